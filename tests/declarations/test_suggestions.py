"""Suggested indicators for a row: the unit's own earlier year first, then
similar approved projects the user may read, then the library, the
project's categories first; what is typed narrows them."""

import pytest
from django.urls import reverse

from declarations.models import Declaration, Status
from declarations.suggestions import suggest
from indicators.library.seed import load_seed
from indicators.models import IndicatorLevel2
from tests.factories import make_declaration, make_unit
from tests.indicators.test_library import _entry, _seed


def _approved(declaration):
    Declaration.objects.filter(pk=declaration.pk).update(status=Status.APPROVED)
    return declaration


def _rows(*names):
    return [
        ("产出指标", "数量指标", name, "", "≥10人", "计划标准") for name in names
    ] + [
        ("效益指标", "社会效益指标", "政策知晓率", "", "≥80%", "历史标准"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "", "≥90%", "行业标准"),
    ]


@pytest.fixture
def count(db):
    return IndicatorLevel2.objects.get(name="数量指标")


@pytest.fixture
def library(db, tmp_path):
    load_seed(
        _seed(
            tmp_path,
            _entry("购置数量", categories=["购置类"]),
            _entry("参训人数", categories=["培训类"], unit="人", values="≥100人"),
            _entry("培训班次", categories=["培训类"]),
            _entry("服务人次", categories=["通用"], unit="人次"),
        )
    )


def _names(found):
    return [(s.source, s.name) for s in found]


def test_the_units_own_earlier_year_comes_first(unit, preparer, count, library):
    make_declaration(unit, preparer, year=2023, rows=_rows("参保人数"))
    _approved(
        make_declaration(
            unit,
            preparer,
            year=2024,
            project_code="450-OTHER",
            project_name="医保经办业务工作经费",
            rows=_rows("经办窗口数量"),
        )
    )
    _approved(
        make_declaration(
            unit,
            preparer,
            year=2024,
            project_code="450-FAR",
            project_name="办公楼维修",
            fund_use="屋面防水",
            rows=_rows("维修面积"),
        )
    )
    current = make_declaration(unit, preparer, year=2024, rows=[])
    found = _names(suggest(current, preparer, level2_id=count.pk))
    assert found[:2] == [
        ("2023 年 本单位", "参保人数"),
        ("相似项目：医保经办业务工作经费", "经办窗口数量"),
    ]
    assert ("相似项目：办公楼维修", "维修面积") not in found  # not alike
    assert [s for s, _ in found[2:]] == ["指标库"] * (len(found) - 2)


def test_suggestions_come_only_from_declarations_the_user_may_read(
    unit, preparer, reviewer, count, other_unit, outsider
):
    sibling = make_unit(unit.parent, "450003", "北戴河区医疗保障事务中心")
    _approved(make_declaration(sibling, None, year=2024, rows=_rows("兄弟单位指标")))
    _approved(
        make_declaration(other_unit, outsider, year=2024, rows=_rows("外部门指标"))
    )
    current = make_declaration(unit, preparer, year=2024, project_code="NEW", rows=[])
    by_preparer = [s.name for s in suggest(current, preparer, level2_id=count.pk)]
    assert "兄弟单位指标" not in by_preparer and "外部门指标" not in by_preparer
    by_reviewer = [s.name for s in suggest(current, reviewer, level2_id=count.pk)]
    assert "兄弟单位指标" in by_reviewer and "外部门指标" not in by_reviewer


def test_the_library_offers_the_projects_categories_first(
    unit, preparer, count, library
):
    current = make_declaration(
        unit, preparer, project_name="医保政策业务培训", fund_use="举办培训班", rows=[]
    )
    found = [s.name for s in suggest(current, preparer, level2_id=count.pk)]
    # Both 培训类; 培训班次 shares more of the project's words (培训, 训班).
    assert found[:2] == ["培训班次", "参训人数"]
    assert found.index("服务人次") < found.index("购置数量")  # 通用 before others


def test_what_is_typed_narrows_the_suggestions(unit, preparer, count, library):
    current = make_declaration(unit, preparer, rows=[])
    found = suggest(current, preparer, level2_id=count.pk, typed="参训")
    assert [s.name for s in found] == ["参训人数"]
    assert (found[0].value, found[0].unit) == ("≥100人", "人")


def test_the_page_asks_for_suggestions_of_its_own_declarations_only(
    client, unit, preparer, outsider, count, library
):
    current = make_declaration(unit, preparer, rows=[])
    url = reverse("indicator_suggestions", args=[current.pk])
    client.force_login(preparer)
    data = client.get(url, {"level2": count.pk, "q": "培训"}).json()
    assert [s["name"] for s in data["suggestions"]] == ["培训班次"]
    assert data["suggestions"][0]["source"] == "指标库"
    assert client.get(url, {"level2": "x"}).json()["message"] == "请先选择二级指标。"
    client.force_login(outsider)
    assert client.get(url, {"level2": count.pk}).status_code == 404


def test_a_draft_from_similar_projects_covers_every_level_the_checks_ask_for(
    unit, preparer, db
):
    from declarations.checks import findings_for
    from declarations.services import drafts
    from declarations.suggestions import draft
    from indicators.taxonomy import Taxonomy
    from tests.factories import use_layout

    load_seed()
    use_layout(unit, "central")  # 必填 second levels: 数量, 时效, 成本 …
    similar = _approved(
        make_declaration(
            unit,
            preparer,
            year=2024,
            project_code="OLD",
            project_name="医保政策业务培训",
            rows=[("产出指标", "数量指标", "培训人次", "", "≥300人次", "计划标准")],
        )
    )
    current = make_declaration(
        unit, preparer, year=2024, project_name="医保政策业务培训班", rows=[]
    )
    taxonomy = Taxonomy.load()
    rows = draft(current, preparer, taxonomy)
    assert (rows[0].name, rows[0].source) == (
        "培训人次",
        f"相似项目：{similar.project_name}",
    )
    drafts.replace_content(
        current,
        rows=drafts.rows_from_names(
            [
                (
                    taxonomy.level1_by_id[r.level1_id].name,
                    taxonomy.level2_by_id[r.level2_id].name,
                    r.name,
                    "",
                    r.value,
                    r.basis,
                )
                for r in rows
            ],
            taxonomy,
        ),
    )
    codes = {f.code for f in findings_for(current) if f.is_error}
    assert not codes & {"level1_missing", "mandatory_level2_missing", "name_missing"}
