"""The department-wide declaration and the department's goals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from declarations.checks import DeclarationData, check, findings_for
from declarations.demo.department import HENGDONG_2021
from declarations.demo.loading import department_wide_content
from declarations.models import Declaration, DeclarationKind, DepartmentGoals, Status
from declarations.printing import declaration as pdf
from declarations.services import drafts, workflow
from indicators.taxonomy import Taxonomy
from indicators.values import normalised
from tests.background import run_tasks
from tests.declarations.pdf_reading import body_text, row_holds, table_rows
from tests.factories import make_user


@pytest.fixture
def department_preparer(department):
    return make_user("dept-preparer", "preparer", department)


def make_department_declaration(department, user, **fields):
    content = department_wide_content(HENGDONG_2021)
    content["fields"].update(fields)
    return drafts.create_draft(department, by=user, **content)


def test_the_published_department_table_has_no_errors(department, department_preparer):
    declaration = make_department_declaration(department, department_preparer)
    findings = findings_for(declaration)
    assert [f for f in findings if f.is_error] == []
    # The published table repeats names, and writes 予以保障 and 100% under
    # 数量指标.
    assert {f.code for f in findings} == {
        "duplicate_name",
        "qualitative_value",
        "percent_under_count",
    }


def test_each_split_must_add_up_to_the_total(db):
    data = DeclarationData(
        layout="department_wide",
        kind="department_wide",
        total=Decimal("834.02"),
        fiscal=None,
        other=None,
        income_split=[("公共财政拨款", Decimal("800.00"))],
        spending_split=[("基本支出", Decimal("728.02")), ("项目支出", Decimal("106"))],
        goals=["保证正常工作运转"],
    )
    codes = [f.code for f in check(data, Taxonomy.load()) if f.is_error]
    assert "income_sum" in codes and "spending_sum" not in codes
    assert "plan_missing" not in codes  # no spending plan on this table


def test_department_preparer_creates_it_from_the_list(
    client, department, department_preparer
):
    client.force_login(department_preparer)
    assert (
        "部门整体支出申报" in client.get(reverse("declaration_list")).content.decode()
    )
    response = client.post(
        reverse("department_wide_new"),
        {"organization": department.pk, "year": 2021, "project_name": department.name},
    )
    declaration = Declaration.objects.get()
    assert response["Location"] == reverse(
        "declaration_step", args=[declaration.pk, "funds"]
    )
    assert (declaration.kind, declaration.layout_id) == (
        "department_wide",
        "department_wide",
    )
    assert [label for label, _ in declaration.spending_split] == [
        "基本支出",
        "项目支出",
    ]
    again = client.post(
        reverse("department_wide_new"),
        {"organization": department.pk, "year": 2021, "project_name": department.name},
    )
    assert "已有部门整体支出绩效目标申报表" in again.content.decode()


def test_unit_preparers_cannot_create_one(client, preparer, department):
    client.force_login(preparer)
    response = client.post(
        reverse("department_wide_new"),
        {"organization": department.pk, "year": 2021, "project_name": "x"},
        follow=True,
    )
    assert "只有主管部门的填报人" in response.content.decode()
    assert Declaration.objects.count() == 0


def test_funds_and_duties_steps_save(client, department, department_preparer):
    declaration = drafts.create_declaration(
        department,
        by=department_preparer,
        fields={"kind": DeclarationKind.DEPARTMENT_WIDE, "year": 2021},
    )
    client.force_login(department_preparer)
    data = {"version": 1, "total": "834.02"}
    for i, (label, _) in enumerate(declaration.income_split):
        data[f"income_label_{i}"] = label
    data["income_amount_0"] = "834.02"
    for i, (label, _) in enumerate(declaration.spending_split):
        data[f"spending_label_{i}"] = label
    data["spending_amount_0"] = "728.02"
    data["spending_amount_1"] = "106"
    response = client.post(
        reverse("declaration_step", args=[declaration.pk, "funds"]), data
    )
    assert response["Location"] == reverse(
        "declaration_step", args=[declaration.pk, "duties"]
    )
    client.post(
        reverse("declaration_step", args=[declaration.pk, "duties"]),
        {"version": 2, "duties": "1、贯彻执行医疗保障政策。\n2、完成交办的其他任务。"},
    )
    declaration.refresh_from_db()
    assert declaration.income_split[0] == ["公共财政拨款", "834.02"]
    assert declaration.spending_split == [
        ["基本支出", "728.02"],
        ["项目支出", "106.00"],
    ]
    assert declaration.duties.startswith("1、贯彻执行")


def test_it_goes_through_the_same_review(department, department_preparer, reviewer):
    declaration = make_department_declaration(department, department_preparer)
    workflow.submit(declaration, by=department_preparer)
    workflow.approve(declaration, by=reviewer, grade="优")
    declaration.refresh_from_db()
    assert declaration.status == Status.APPROVED


def test_department_pdf_holds_every_cell_of_the_reference(
    department, department_preparer
):
    declaration = make_department_declaration(
        department,
        department_preparer,
        project_name="衡东县医疗保障局",
        status=Status.APPROVED,  # no watermark letters among the cells
    )
    output = pdf.render_declaration(declaration)
    text = body_text(output)
    for line in [
        "部门整体支出绩效目标申报表",
        "（2021年度）",
        "填报单位（盖章）：",
        "单位负责人（签名）：",
    ]:
        assert line in text
    rows = table_rows(output)
    expected = [
        ["部门名称", "衡东县医疗保障局"],
        ["年度预算申请（万元）", "资金总额：834.02万元"],
        ["按收入性质分", "按支出性质分"],
        ["公共财政拨款：834.02", "基本支出：728.02万元", "项目支出：106.00万元"],
        ["部门职能职责概述", *HENGDONG_2021["duties"].split("\n")],
        ["年度总体目标", *HENGDONG_2021["goals"]],
    ]
    for actual, cells in zip(rows, expected, strict=False):
        assert row_holds(actual, cells), (actual, cells)
    indicator_cells = [c for row in rows[len(expected) :] for c in row]
    joined = "\x00".join(indicator_cells)
    position = 0
    for _, _, name, value in HENGDONG_2021["rows"]:
        for cell in (name, normalised(value)):  # ≧ is stored as ≥
            found = joined.find(cell.replace(" ", ""), position)
            assert found >= 0, cell
            position = found


def _goals_form(goals, *, version, overall, items):
    data = {
        "version": version,
        "overall": overall,
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        "measures-TOTAL_FORMS": 1,
        "measures-INITIAL_FORMS": 0,
        "measures-MIN_NUM_FORMS": 0,
        "measures-MAX_NUM_FORMS": 1000,
        "measures-0-text": "建立健全医疗保障基金安全防控机制",
        "measures-0-ORDER": 1,
    }
    for i, (goal, indicators) in enumerate(items):
        data[f"items-{i}-goal"] = goal
        data[f"items-{i}-indicators"] = indicators
        data[f"items-{i}-ORDER"] = i + 1
    return data


def test_department_goals_are_edited_by_the_department_preparer(
    client, department, department_preparer
):
    client.force_login(department_preparer)
    response = client.post(
        reverse("department_goals_start"), {"department": department.pk, "year": 2020}
    )
    goals = DepartmentGoals.objects.get()
    assert response["Location"] == reverse("department_goals", args=[goals.pk])
    response = client.post(
        reverse("department_goals", args=[goals.pk]),
        _goals_form(
            goals,
            version=1,
            overall="贯彻落实医疗保障工作的方针政策",
            items=[
                ("贯彻医保基金监督管理办法", "基金监管覆盖率100%"),
                ("完成交办任务", ""),
            ],
        ),
    )
    assert response.status_code == 302
    goals.refresh_from_db()
    assert goals.version == 2
    assert [(i.position, i.goal) for i in goals.items.all()] == [
        (1, "贯彻医保基金监督管理办法"),
        (2, "完成交办任务"),
    ]
    assert goals.measures.get().text == "建立健全医疗保障基金安全防控机制"


def test_a_stale_goals_save_is_refused_and_keeps_the_text(
    client, department, department_preparer
):
    goals = DepartmentGoals.objects.create(
        organization=department, year=2020, version=3
    )
    client.force_login(department_preparer)
    response = client.post(
        reverse("department_goals", args=[goals.pk]),
        _goals_form(goals, version=2, overall="我刚写的总体目标", items=[]),
    )
    assert response.status_code == 409
    assert "我刚写的总体目标" in response.content.decode()


def test_reviewer_reads_the_goals_but_cannot_change_them(client, department, reviewer):
    goals = DepartmentGoals.objects.create(
        organization=department, year=2020, overall="既定目标"
    )
    client.force_login(reviewer)
    page = client.get(reverse("department_goals", args=[goals.pk]))
    assert (
        "既定目标" in page.content.decode()
        and "<form" not in page.content.decode().split("退出登录")[1]
    )
    response = client.post(
        reverse("department_goals", args=[goals.pk]),
        _goals_form(goals, version=1, overall="改掉", items=[]),
    )
    assert response.status_code == 403


def test_another_department_gets_404_for_goals_and_book(client, department, outsider):
    goals = DepartmentGoals.objects.create(organization=department, year=2020)
    client.force_login(outsider)
    assert client.get(reverse("department_goals", args=[goals.pk])).status_code == 404
    url = reverse("department_book", args=[department.pk, 2020])
    assert client.get(url).status_code == 404


def test_saving_the_goals_prepares_the_book(
    client, department, department_preparer, django_capture_on_commit_callbacks
):
    from declarations.printing import book, kept
    from tests.declarations.pdf_reading import body_text

    goals = DepartmentGoals.objects.create(organization=department, year=2020)
    client.force_login(department_preparer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("department_goals", args=[goals.pk]),
            _goals_form(goals, version=1, overall="新的总体目标", items=[]),
        )
    name = book.kept_name(department, 2020)
    assert kept.read_kept(name) is None  # not laid out in the request
    assert run_tasks() == 1
    assert "新的总体目标" in body_text(kept.read_kept(name))
