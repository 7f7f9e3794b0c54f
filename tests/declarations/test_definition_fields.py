"""A layout definition cannot lose a field: every field it prints is entered
on some entry page, and the check refuses, in Chinese and naming the printed
label beside the key, an own field on a step that shows none, a field this
kind of declaration never enters, an unknown {placeholder} and grid rows
whose spans do not fill the table."""

import copy

import pytest
from django.urls import reverse

from declarations.forms.steps import DEPARTMENT_WIDE_STEPS, PROJECT_STEPS
from declarations.layouts.builtin import documents
from declarations.layouts.catalogue import ENTRY_STEPS, OWN_FIELD_STEPS
from declarations.layouts.definition import DefinitionError, read
from tests.declarations.test_department import make_department_declaration
from tests.declarations.test_side_tables import COUNTY
from tests.factories import formset_data, make_declaration, make_user, use_layout

SHIPPED = documents()
GUIDE = "（可用的栏目见“样式定义说明”页）"
SIGNATURE = ["填报人：{preparer}", "单位负责人：{head}", "填报日期：{filed}"]
SIGNERS = [
    {"key": "preparer", "label": "填报人"},
    {"key": "head", "label": "单位负责人"},
    {"key": "filed", "label": "填报日期", "kind": "date"},
]


def county(**changes) -> dict:
    """The county layout (own fields, a side table, a signature line)."""
    return {**copy.deepcopy(COUNTY), **changes}


def refusals(document) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        read(document)
    return caught.value.messages


def signed(line: dict | None = None, signers=SIGNERS) -> dict:
    """The county layout with 填报人 · 单位负责人 · 填报日期 filled in its
    signature line (its last part)."""
    document = county()
    document["fields"] += copy.deepcopy(signers)
    document["parts"][-1] = {
        "kind": "line",
        "style": "signature",
        "items": SIGNATURE,
        **(line or {}),
    }
    return document


@pytest.mark.parametrize("code", [*SHIPPED, "county"])
def test_every_shipped_layout_is_still_read(code):
    read(SHIPPED.get(code, COUNTY))


def test_the_catalogue_names_the_steps_as_the_entry_pages_do():
    for kind, steps in [
        ("project", PROJECT_STEPS),
        ("department_wide", DEPARTMENT_WIDE_STEPS),
    ]:
        pages = {s.name: s.label for s in steps if s.build}
        assert pages == ENTRY_STEPS[kind]


def test_an_own_field_on_a_step_that_shows_none_is_refused():
    document = county()
    document["fields"][2]["step"] = "indicators"
    assert refusals(document) == [
        "自定义栏目“项目负责人及电话”（leader）放在了“绩效指标”（indicators）步骤，"
        "这个步骤不显示自定义栏目；可用的步骤：基本信息（basic）、"
        "资金与支出计划（funds）、绩效目标（goals）"
    ]
    document["fields"][2]["step"] = "stamp"
    assert refusals(document)[0].startswith(
        "自定义栏目“项目负责人及电话”（leader）放在了“stamp”步骤，"
    )


def test_a_department_wide_table_takes_own_fields_on_basic_and_goals_only():
    document = copy.deepcopy(SHIPPED["department_wide"])
    document["fields"] = [{"key": "leader", "label": "部门负责人", "step": "funds"}]
    assert refusals(document) == [
        "自定义栏目“部门负责人”（leader）放在了“年度预算申请”（funds）步骤，"
        "这个步骤不显示自定义栏目；可用的步骤：基本信息（basic）、"
        "年度总体目标（goals）"
    ]
    document["fields"][0]["step"] = "goals"
    assert read(document).own_field("leader").step == "goals"


def test_an_unknown_placeholder_is_refused_wherever_it_is_printed():
    document = county()
    document["parts"][-1]["items"] = ["填报人：{preparer}", "填报日期：{year}"]
    document["parts"][1]["text"] = "（{yaer}年度）"
    document["parts"][2]["rows"][3][0] = {"label": "年度资金总额（{money}）"}
    assert refusals(document) == [
        "第 2 部分的文字“（{yaer}年度）”中的 {yaer} 不是任何栏目，"
        f"也不是 fields 中定义的自定义栏目{GUIDE}",
        "第 3 部分第 4 行第 1 格的文字“年度资金总额（{money}）”中的 {money} "
        f"不是任何栏目，也不是 fields 中定义的自定义栏目{GUIDE}",
        "第 7 部分第 1 项的文字“填报人：{preparer}”中的 {preparer} 不是任何栏目，"
        f"也不是 fields 中定义的自定义栏目{GUIDE}",
    ]


def test_a_version_stored_before_these_checks_still_prints(db, unit, preparer):
    """Declarations made under a version these checks would refuse keep
    printing: a stored version is read without them."""
    from declarations.layouts.versions import definition_of
    from declarations.models import TableLayoutVersion

    document = county()
    document["parts"][1]["text"] = "（{yaer}年度）"
    document["parts"][2]["rows"][0][1]["span"] = 2
    with pytest.raises(DefinitionError):
        read(document)
    assert read(document, stored=True).name == document["name"]
    declaration = make_declaration(unit, preparer)
    TableLayoutVersion.objects.filter(
        layout__code=declaration.layout_id, number=declaration.layout_version
    ).update(definition=document)
    assert definition_of(declaration).name == document["name"]
    page = preparer_client(preparer).get(
        reverse("declaration_pdf", args=[declaration.pk])
    )
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"


def preparer_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_years_before_are_placeholders_a_text_may_print():
    document = county()
    document["parts"][1]["text"] = "（{year}年度，对比{year-1}、{year-2}年）"
    read(document)


def test_a_row_short_of_the_tables_width_is_refused():
    document = county()
    document["parts"][2]["rows"][0][1]["span"] = 2
    assert refusals(document) == [
        "第 3 部分第 1 行共占 3 列，表格有 4 列；"
        "请调整这一行的 span（或上面格子的 rows）"
    ]


def test_a_cell_spanning_rows_holds_its_columns_in_the_rows_below():
    document = copy.deepcopy(SHIPPED["central"])
    rows = document["parts"][2]["rows"]
    read(document)  # 项目资金 spans three rows: the two below hold 4 + 1
    rows[4][0]["span"] = 3
    assert refusals(document) == [
        "第 3 部分第 5 行共占 6 列（其中 1 列由上面的格子跨行占用），表格有 5 列；"
        "请调整这一行的 span（或上面格子的 rows）"
    ]
    rows[4][0]["span"] = 2
    rows[6][0]["rows"] = 2
    assert refusals(document) == [
        "第 3 部分第 7 行第 1 格向下跨 2 行（rows），但连同本行只剩 1 行"
    ]


def test_a_field_the_kind_never_enters_is_refused_naming_its_label():
    document = copy.deepcopy(SHIPPED["tianjin"])
    line = next(p for p in document["parts"] if p["kind"] == "line")
    line["items"] = ["项目编码：{project_code}", "单位：{money_unit}"]
    info = next(p for p in document["parts"] if p["kind"] == "info")
    info["rows"].append([{"label": "实施单位"}, {"field": "implementing_unit"}])
    info["rows"][-1][1]["span"] = 2
    assert refusals(document) == [
        "第 3 部分第 1 项的“项目编码”（project_code）在部门整体支出的录入页上"
        "没有地方填写，打印出来会是空的；请删去，或在 fields 中定义一个自定义栏目代替",
        f"第 4 部分第 {len(info['rows'])} 行第 2 格的“实施单位”（implementing_unit）"
        "在部门整体支出的录入页上没有地方填写，打印出来会是空的；请删去，"
        "或在 fields 中定义一个自定义栏目代替",
    ]


def test_an_own_key_taken_by_the_system_names_the_systems_label():
    document = county()
    document["fields"].append({"key": "project_code", "label": "编码"})
    assert refusals(document) == [
        "fields[3].key：“项目编码”（project_code）已是本系统的栏目，请换一个键名"
    ]


def test_signature_fields_are_entered_on_basic_unless_the_line_names_a_step():
    definition = read(signed())
    assert {f.key: f.step for f in definition.fields[3:]} == {
        "preparer": "basic",
        "head": "basic",
        "filed": "basic",
    }
    assert {"preparer", "head", "filed"} <= set(definition.header_fields())
    definition = read(signed({"step": "goals"}))
    assert {f.step for f in definition.fields[3:]} == {"goals"}
    # A field's own step wins over a line that names none.
    mixed = [*SIGNERS[:2], {**SIGNERS[2], "step": "funds"}]
    assert read(signed(signers=mixed)).own_field("filed").step == "funds"


def test_a_line_and_its_field_naming_two_steps_are_refused():
    mixed = [*SIGNERS[:2], {**SIGNERS[2], "step": "funds"}]
    assert refusals(signed({"step": "goals"}, signers=mixed)) == [
        "自定义栏目“填报日期”（filed）要在“资金与支出计划”（funds）步骤填写，"
        "第 7 部分的文字行却写在“绩效目标”（goals）步骤；请把两处的 step 写成一样"
    ]
    assert refusals(signed({"step": "indicators"})) == [
        "第 7 部分（文字行）的 step 是“绩效指标”（indicators），这个步骤不显示"
        "自定义栏目；可用的步骤：基本信息（basic）、资金与支出计划（funds）、"
        "绩效目标（goals）"
    ]


# The entry pages: what the check accepts is shown and saved where it says.


def step_url(declaration, step):
    return reverse("declaration_step", args=[declaration.pk, step])


def _save_layout(code, document):
    from declarations.models import TableLayout
    from declarations.services.layouts import save_definition

    save_definition(TableLayout(code=code), document, by=None)


def _goals_post(declaration, **fields):
    annual = declaration.goals.get()
    return {
        "version": declaration.version,
        **formset_data(
            "goals", [{"id": annual.pk, "text": annual.text, "ORDER": 1}], initial=1
        ),
        **fields,
    }


def test_an_own_field_on_the_goals_step_is_shown_and_saved_there(
    client, preparer, unit
):
    document = county()
    document["fields"][0]["step"] = "goals"  # 项目概况, printed after 年度目标
    _save_layout("county-goals", document)
    declaration = make_declaration(use_layout(unit, "county-goals"), preparer)
    client.force_login(preparer)
    assert 'name="x_overview"' not in client.get(step_url(declaration, "basic")).text
    page = client.get(step_url(declaration, "goals")).text
    assert 'name="x_overview"' in page and "项目概况" in page
    response = client.post(
        step_url(declaration, "goals"),
        _goals_post(declaration, x_overview="全市参保人员的经办服务"),
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.extra == {"overview": "全市参保人员的经办服务"}
    assert list(declaration.goals.values_list("text", flat=True)) == [
        "确保医保业务正常办理"
    ]
    detail = client.get(reverse("declaration_detail", args=[declaration.pk]))
    assert "全市参保人员的经办服务" in detail.text


def test_a_signature_lines_fields_are_entered_on_its_step_and_printed(
    client, preparer, unit
):
    _save_layout("county-signed", signed({"step": "goals"}))
    declaration = make_declaration(use_layout(unit, "county-signed"), preparer)
    client.force_login(preparer)
    page = client.get(step_url(declaration, "goals")).text
    assert 'name="x_preparer"' in page and 'type="date"' in page
    response = client.post(
        step_url(declaration, "goals"),
        _goals_post(
            declaration, x_preparer="王芳", x_head="李强", x_filed="2026-03-02"
        ),
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.extra == {
        "preparer": "王芳",
        "head": "李强",
        "filed": "2026-03-02",
    }
    detail = client.get(reverse("declaration_detail", args=[declaration.pk])).text
    assert "填报人：王芳" in detail and "单位负责人：李强" in detail


@pytest.mark.parametrize(
    "kind, step", [(k, s) for k, steps in OWN_FIELD_STEPS.items() for s in steps]
)
def test_each_step_the_check_accepts_shows_its_own_fields(
    client, department, unit, preparer, kind, step
):
    base = "hebei" if kind == "project" else "department_wide"
    document = copy.deepcopy(SHIPPED[base])
    document["name"] += "（加负责人）"
    document["fields"] = [{"key": "leader", "label": "负责人", "step": step}]
    document["parts"].append(
        {"kind": "line", "style": "signature", "items": ["负责人：{leader}"]}
    )
    _save_layout("plus", document)
    if kind == "project":
        declaration = make_declaration(use_layout(unit, "plus"), preparer)
        user = preparer
    else:
        department.department_wide_layout_id = "plus"
        department.save()
        user = make_user("dept-preparer", "preparer", department)
        declaration = make_department_declaration(department, user)
    client.force_login(user)
    shown = [
        name
        for name in ENTRY_STEPS[kind]
        if 'name="x_leader"' in client.get(step_url(declaration, name)).text
    ]
    assert shown == [step]
