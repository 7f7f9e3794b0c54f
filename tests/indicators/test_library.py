"""The indicator library: its seed loads and loads again without undoing
curation; administrators search, approve, retire, merge, import and export
it."""

import json
import re

import pytest
import tablib
from django.urls import reverse

from indicators.library import curation
from indicators.library.categories import categories_of
from indicators.library.seed import SEED, load_seed
from indicators.models import IndicatorLevel2, LibraryEntry
from indicators.resources import LibraryEntryResource
from tests.factories import make_user


def _seed(tmp_path, *entries):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(list(entries), ensure_ascii=False), encoding="utf-8")
    return path


def _entry(name="培训班次", **more):
    return {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": name,
        "explanation": "实际举办的培训班期数。",
        "unit": "次",
        "operator": "≥",
        "values": "≥4次",
        "basis": "计划标准",
        "scoring": "",
        "categories": ["培训类"],
        "sectors": ["通用"],
        "source": "通用共性指标",
        **more,
    }


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    return client


def test_the_shipped_seed_holds_over_200_approved_entries(db):
    loaded = load_seed()
    assert loaded.created >= 200
    approved = LibraryEntry.objects.filter(state=LibraryEntry.State.APPROVED)
    assert approved.count() == loaded.created
    categories = {t for e in approved for t in LibraryEntry.tags(e.categories)}
    for category in ["购置类", "培训类", "会议类", "编纂研究类", "信息化", "宣传类"]:
        assert category in categories
    assert load_seed().created == 0 and load_seed().updated == 0
    assert json.loads(SEED.read_text(encoding="utf-8"))  # the file the app ships


def test_loading_again_updates_what_nobody_curated_and_keeps_what_they_did(
    db, tmp_path
):
    load_seed(_seed(tmp_path, _entry(), _entry("参训人数", unit="人")))
    curated = LibraryEntry.objects.get(name="参训人数")
    curated.explanation = "本局的写法"
    curated.updated_by = make_user("curator", is_staff=True)
    curated.save()

    loaded = load_seed(
        _seed(
            tmp_path,
            _entry(values="≥6次"),
            _entry("参训人数", unit="人次", explanation="新的解释"),
            _entry("出勤率", unit="%"),
        )
    )
    assert (loaded.created, loaded.updated, loaded.kept) == (1, 1, 1)
    assert LibraryEntry.objects.get(name="培训班次").values == "≥6次"
    kept = LibraryEntry.objects.get(name="参训人数")
    assert (kept.explanation, kept.unit) == ("本局的写法", "人")


def test_an_admin_finds_approves_and_retires_entries(admin_client, db, tmp_path):
    load_seed(_seed(tmp_path, _entry(), _entry("参训人数", unit="人")))
    url = reverse("admin:indicators_libraryentry_changelist")
    page = admin_client.get(url, {"q": "参训"}).content.decode()
    assert "参训人数" in page and "培训班次" not in page
    entries = list(LibraryEntry.objects.order_by("pk"))
    response = admin_client.post(
        url, {"action": "retire", "_selected_action": [entries[0].pk]}, follow=True
    )
    assert "已停用 1 条。" in response.content.decode()
    entries[0].refresh_from_db()
    assert entries[0].state == LibraryEntry.State.RETIRED
    assert entries[0].updated_by.username == "root-admin"  # now curated


def test_duplicates_merge_into_the_most_used(admin_client, db, tmp_path):
    load_seed(_seed(tmp_path, _entry(), _entry("培训期数", explanation="", unit="")))
    used, twin = (
        LibraryEntry.objects.get(name="培训期数"),
        LibraryEntry.objects.get(name="培训班次"),
    )
    LibraryEntry.objects.filter(pk=used.pk).update(uses=7)
    LibraryEntry.objects.filter(pk=twin.pk).update(uses=2)
    response = admin_client.post(
        reverse("admin:indicators_libraryentry_changelist"),
        {"action": "merge", "_selected_action": [used.pk, twin.pk]},
        follow=True,
    )
    assert "已合并为“培训期数”" in response.content.decode()
    used.refresh_from_db()
    twin.refresh_from_db()
    assert (used.uses, used.unit, used.explanation) == (
        9,
        "次",
        "实际举办的培训班期数。",
    )
    assert (twin.state, twin.merged_into) == (LibraryEntry.State.RETIRED, used)


def test_entries_of_two_second_levels_are_not_merged(db, tmp_path):
    load_seed(_seed(tmp_path, _entry(), _entry(level2="质量指标")))
    with pytest.raises(curation.CannotMerge, match="只能合并同一个二级指标下的条目"):
        curation.merge(list(LibraryEntry.objects.all()), by=None)


def test_the_library_exports_and_imports_in_chinese(db, tmp_path):
    load_seed(_seed(tmp_path, _entry()))
    exported = LibraryEntryResource().export()
    assert exported.headers[:3] == ["一级指标", "二级指标", "指标名称"]
    assert exported.dict[0]["状态"] == "已采用"

    curator = make_user("curator", is_staff=True)
    data = tablib.Dataset(headers=exported.headers)
    data.append(
        [
            {"指标名称": "结业人数", "状态": "待审核", "计量单位": "人"}.get(h, row)
            for h, row in zip(exported.headers, exported[0], strict=True)
        ]
    )
    result = LibraryEntryResource(user=curator).import_data(data)
    assert not result.has_errors() and not result.has_validation_errors()
    added = LibraryEntry.objects.get(name="结业人数")
    assert (added.state, added.unit, added.updated_by) == ("proposed", "人", curator)
    assert added.level2 == IndicatorLevel2.objects.get(name="数量指标")

    data[0] = [
        {"指标名称": "结业率", "状态": "通过"}.get(h, v)
        for h, v in zip(data.headers, data[0], strict=True)
    ]
    result = LibraryEntryResource(user=curator).import_data(data)
    assert result.has_validation_errors() or result.has_errors()
    assert not LibraryEntry.objects.filter(name="结业率").exists()


@pytest.mark.parametrize(
    "name, value, code",
    [
        ("服务对象满意度", "≤90%", "library_direction"),
        ("服务对象满意度", "≥90%", None),
        ("服务对象满意度", "≥90分", "library_unit"),
        ("业务经费", "≤35次", "library_unit"),
        ("业务经费", "≤350000元", None),  # 元 and 万元 are both money
    ],
)
def test_a_value_unlike_the_librarys_entry_of_its_name_is_warned_of(
    db, tmp_path, unit, name, value, code
):
    from declarations.checks import findings_for
    from tests.factories import make_declaration

    load_seed(
        _seed(
            tmp_path,
            _entry(
                "服务对象满意度",
                level1="满意度指标",
                level2="服务对象满意度指标",
                unit="%",
                values="≥90%、≥95%",
            ),
            _entry(
                "业务经费",
                level2="成本指标",
                unit="万元",
                operator="≤",
                values="≤30万元",
            ),
        )
    )
    declaration = make_declaration(unit)
    declaration.indicators.filter(level3=name).update(value=value)
    found = [f for f in findings_for(declaration) if f.code.startswith("library_")]
    assert [f.code for f in found] == ([code] if code else [])
    if code == "library_direction":
        assert found[0].message == (
            "指标库中的“服务对象满意度”应写成“≥”（如 ≥90%），这里是“≤90%”，"
            "方向相反，请核对计算符号。"
        )


def _approved_table(unit, preparer, reviewer):
    from declarations.services import workflow
    from tests.factories import make_declaration

    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="良")
    declaration.refresh_from_db()
    return declaration


def test_a_reviewer_proposes_an_approved_tables_indicators(
    client, unit, preparer, reviewer, tmp_path
):
    load_seed(
        _seed(
            tmp_path,
            _entry("参保人数", unit="人"),
            _entry("一站式结算比率", level2="质量指标", unit="%"),
        )
    )
    declaration = _approved_table(unit, preparer, reviewer)
    assert LibraryEntry.objects.get(name="参保人数").uses == 1  # counted at approval
    url = reverse("propose_to_library", args=[declaration.pk])
    client.force_login(preparer)
    assert client.post(url).status_code == 403
    client.force_login(reviewer)
    detail = client.get(reverse("declaration_detail", args=[declaration.pk]))
    assert "将本表指标提交到指标库" in detail.content.decode()
    page = client.post(url, follow=True).content.decode()
    rows = declaration.indicators.count()
    assert f"已提交 {rows - 1} 条指标，等待管理员审核" in page
    assert "1 条指标库中已有，未重复提交" in page
    assert "“一站式结算率”与“一站式结算比率”相近，可能重复" in page
    proposed = LibraryEntry.objects.filter(state=LibraryEntry.State.PROPOSED)
    assert proposed.count() == rows - 1
    entry = proposed.get(name="待遇支付及时率")
    assert (entry.values, entry.operator, entry.unit) == ("100%", "", "%")
    assert entry.source == "已审核申报表：医保经办工作经费（2024）"
    assert entry.updated_by == reviewer
    # Proposed entries are not offered until approved.
    from indicators.taxonomy import Taxonomy

    assert (entry.level2_id, entry.name) not in Taxonomy.load().library


def test_only_an_approved_table_is_proposed(client, unit, preparer, reviewer):
    from tests.factories import make_declaration

    draft = make_declaration(unit, preparer)
    client.force_login(reviewer)
    page = client.post(
        reverse("propose_to_library", args=[draft.pk]), follow=True
    ).content.decode()
    assert "只有审核通过的申报表，才能把指标提交到指标库。" in page
    assert not LibraryEntry.objects.exists()


@pytest.mark.parametrize(
    ("project", "categories"),
    [
        ("计划生育特殊家庭人员医疗医保救助", {"补助救助类"}),
        ("城乡居民医疗保险专项业务费", {"运转保障"}),
        ("劳务派遣人员经费", {"人员经费"}),
        ("医保政策业务培训 举办培训班", {"培训类"}),
        ("社保专线网络租赁费", {"信息化"}),
    ],
)
def test_a_project_is_placed_in_its_categories_by_its_words(project, categories):
    assert categories_of(project) == categories


def test_an_approval_withdrawn_takes_its_use_back(unit, preparer, reviewer, tmp_path):
    from declarations.services import workflow

    load_seed(_seed(tmp_path, _entry("参保人数", unit="人")))
    declaration = _approved_table(unit, preparer, reviewer)
    workflow.reopen(declaration, by=reviewer, reason="补充依据")
    assert LibraryEntry.objects.get(name="参保人数").uses == 0
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="良")
    assert LibraryEntry.objects.get(name="参保人数").uses == 1


def test_the_admin_names_the_entry_a_proposal_likely_repeats(
    admin_user, client, unit, preparer, reviewer, tmp_path
):
    load_seed(_seed(tmp_path, _entry("一站式结算比率", level2="质量指标", unit="%")))
    declaration = _approved_table(unit, preparer, reviewer)
    client.force_login(reviewer)
    client.post(reverse("propose_to_library", args=[declaration.pk]))
    client.force_login(admin_user)
    page = client.get(
        reverse("admin:indicators_libraryentry_changelist"), {"state": "proposed"}
    ).content.decode()
    assert "可能重复" in page
    cells = re.findall(r'<td class="field-duplicate_of">([^<]*)</td>', page)
    assert sorted(cells)[-1] == "一站式结算比率"  # beside 一站式结算率
    assert sum(bool(c.strip("-")) for c in cells) == 1
