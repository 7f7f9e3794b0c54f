"""Every door parses alike: one rule per field (declarations.fields), and a
value one door refuses every other door refuses, in the same words. Each
rule's bad inputs walk through each door that takes the field: the entry
page, the spreadsheet import's preview (a generated .xlsx), the admin's
change form and, where a Word table holds the field, the Word import's
preview. Issue 32: a budget of -5.00 万元 in a spreadsheet row was accepted
(检查通过) while the funds page refused it."""

import io
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from declarations import fields as rules
from declarations.demo.tables import HEBEI_2020
from declarations.models import Declaration
from declarations.spreadsheet.export import export_file
from indicators.taxonomy import Taxonomy
from tests.declarations.test_admin import _as_posted
from tests.declarations.test_department import make_department_declaration
from tests.declarations.test_side_tables import COUNTY, _schedule
from tests.factories import formset_data, make_declaration, make_user, use_layout
from tests.wordfiles.builders import docx_from_table

MONEY = rules.money("万元")
PERCENT = rules.PERCENT
WEIGHT = rules.WEIGHT

# Each rule's bad inputs and the words every door refuses them in.
BAD = {
    "amount": [
        ("-5.00", MONEY.negative),
        ("-0.01", MONEY.negative),
        ("3.555", MONEY.too_precise),
        ("1234567890123", MONEY.too_big),  # 13 digits: numeric(14, 2) holds 12
        ("1e400", MONEY.too_big),
        ("NaN", MONEY.invalid),
        ("-Infinity", MONEY.invalid),
        ("1,5", MONEY.invalid),  # a decimal comma, not 15
        ("3²", MONEY.invalid),
        ("٣", MONEY.invalid),  # an Arabic-Indic 3, which Decimal() reads
    ],
    "percent": [
        ("-5", PERCENT.negative),
        ("100.5", PERCENT.too_big),
        ("12.345", PERCENT.too_precise),
        ("NaN", PERCENT.invalid),
        ("五十", PERCENT.invalid),
    ],
    "months": [("6,3", rules.MONTHS_MESSAGE)],
    "year": [
        ("1999", rules.YEAR_MESSAGE),
        ("2101", rules.YEAR_MESSAGE),
        ("24", rules.YEAR_MESSAGE),
        ("2025.5", rules.YEAR_MESSAGE),
        ("二〇二五", rules.YEAR_MESSAGE),
    ],
    "weight": [
        ("-1", WEIGHT.negative),
        ("10000", WEIGHT.too_big),
        ("2.555", WEIGHT.too_precise),
        ("十分", WEIGHT.invalid),
    ],
    "split": [
        ("-5", MONEY.negative),
        ("834.025", MONEY.too_precise),
        ("1e99", MONEY.too_big),
        ("NaN", MONEY.invalid),
    ],
    "date": [
        ("明年", rules.DATE_MESSAGE),
        ("2026-02-30", rules.DATE_MESSAGE),
        ("20260331", rules.DATE_MESSAGE),
        ("1066-10-14", rules.DATE_RANGE_MESSAGE),
    ],
}


@dataclass
class World:
    unit: object
    department: object
    preparer: object
    department_preparer: object
    admin: object

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def world(unit, department, preparer):
    from declarations.models import TableLayout
    from declarations.services.layouts import save_definition

    save_definition(TableLayout(code="county"), COUNTY, by=None)
    return World(
        unit,
        department,
        preparer,
        make_user("dept-preparer", "preparer", department),
        make_user("root-admin", is_staff=True, is_superuser=True),
    )


# The declaration each field is typed into, and who prepares it.


def _project(world):
    return make_declaration(use_layout(world.unit, "hebei"), world.preparer)


def _county(world):
    return make_declaration(use_layout(world.unit, "county"), world.preparer)


def _department_wide(world, layout="department_wide"):
    world.department.department_wide_layout_id = layout
    world.department.save()
    return make_department_declaration(world.department, world.department_preparer)


DECLARATION = {
    "amount": _project,
    "percent": _project,
    "months": _project,
    "year": _project,
    "weight": lambda world: _department_wide(world, "zhejiang"),
    "split": _department_wide,
    "date": _county,
}


def _preparer(world, declaration):
    if declaration.organization_id == world.department.pk:
        return world.department_preparer
    return world.preparer


# Door 1: the entry page.

FUNDS = {
    "total": "35",
    "fiscal": "30",
    "other": "5",
    "fund_use": "用于打印宣传材料",
    **{f"month_{i}": m for i, m in enumerate([3, 6, 10, 12])},
    **{f"percent_{i}": p for i, p in enumerate(["25", "50", "75", "100"])},
}


def _basic(declaration, year):
    return {
        "year": year,
        "project_code": declaration.project_code,
        "project_name": declaration.project_name,
        "department_name": declaration.department_name,
        "department_code": "450",
        "attribute": "continuing",
        "period": "1年期",
    }


def _one_indicator(weight):
    taxonomy = Taxonomy.load()
    output = taxonomy.find_level1("产出指标")
    count = taxonomy.find_level2(output, "数量指标")
    row = {"level1": output.pk, "level2": count.pk, "level3": "参保人数"}
    return formset_data("indicators", [{**row, "weight": weight, "ORDER": 1}])


def _department_funds(declaration, amount):
    data = {"total": "834.02"}
    for split in ("income", "spending"):
        for i, (label, value) in enumerate(getattr(declaration, f"{split}_split")):
            data[f"{split}_label_{i}"] = label
            data[f"{split}_amount_{i}"] = value or ""
    data["income_amount_0"] = amount
    return data


def _form_post(value, declaration, field):
    """(step, data) of the entry page that takes the field."""
    match field:
        case "amount":
            return "funds", {**FUNDS, "total": value}
        case "percent":
            return "funds", {**FUNDS, "percent_0": value}
        case "months":
            first, second = value.split(",")
            return "funds", {**FUNDS, "month_0": first, "month_1": second}
        case "year":
            return "basic", _basic(declaration, value)
        case "weight":
            return "indicators", _one_indicator(value)
        case "split":
            return "funds", _department_funds(declaration, value)
        case "date":
            row = {"content": "完成参保登记", "start": value, "end": ""}
            return "tables", _schedule([row])
    raise AssertionError(field)


def form_door(world, field, value) -> str:
    declaration = DECLARATION[field](world)
    step, data = _form_post(value, declaration, field)
    response = world.client(_preparer(world, declaration)).post(
        reverse("declaration_step", args=[declaration.pk, step]),
        {"version": declaration.version, **data},
    )
    assert response.status_code == 200, "the page saved it"
    return response.content.decode()


# Door 2: the spreadsheet import's preview, of a file exported and changed.


def _cell(field, value) -> tuple[str, str]:
    match field:
        case "amount":
            return "预算数（万元）", value
        case "percent":
            return (
                "资金支出计划（%）",
                f"3月底:{value}；6月底:50；10月底:75；12月底:100",
            )
        case "months":
            first, second = value.split(",")
            return "资金支出计划（%）", f"{first}月底:25；{second}月底:50；12月底:100"
        case "year":
            return "年度", value
        case "weight":
            return "分值", value
        case "split":
            return "按收入性质分（万元）", f"公共财政拨款:{value}"
        case "date":
            row = {"实施内容": "完成参保登记", "开始时间": value, "完成时间": ""}
            return "项目实施进度计划", json.dumps([row], ensure_ascii=False)
    raise AssertionError(field)


def preview(client, declaration, header, value, name="改过的.xlsx"):
    """The import's preview of the declaration exported to .xlsx with every
    row's `header` cell set to `value`."""
    data = export_file(Declaration.objects.filter(pk=declaration.pk), "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index(header) + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=column).value = value
    out = io.BytesIO()
    workbook.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = name
    response = client.post(reverse("declaration_import"), {"file": upload})
    assert response.status_code == 200
    return response.context["import_plan"]


def import_door(world, field, value) -> str:
    declaration = DECLARATION[field](world)
    header, text = _cell(field, value)
    client = world.client(_preparer(world, declaration))
    plan = preview(client, declaration, header, text)
    refused = [p.message for p in plan.blocking if p.column == header]
    assert refused, f"the import took {text!r}: {plan.problems}"
    return "\n".join(refused)


# Door 3: the admin's change form.


def _admin_value(field, value) -> tuple[str, str]:
    match field:
        case "amount":
            return "total", value
        case "percent":
            plan = [[3, value], [6, "50.00"], [10, "75.00"], [12, "100.00"]]
            return "spending_plan", json.dumps(plan, ensure_ascii=False)
        case "months":
            first, second = (int(m) for m in value.split(","))
            plan = [[first, "25.00"], [second, "50.00"], [12, "100.00"]]
            return "spending_plan", json.dumps(plan)
        case "year":
            return "year", value
        case "split":
            return "income_split", json.dumps(
                [["公共财政拨款", value]], ensure_ascii=False
            )
        case "date":
            row = {"content": "完成参保登记", "start": value, "end": ""}
            return "extra", json.dumps({"schedule": [row]}, ensure_ascii=False)
    raise AssertionError(field)


def admin_door(world, field, value) -> str:
    declaration = DECLARATION[field](world)
    client = world.client(world.admin)
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    data = _as_posted(client.get(url))
    name, text = _admin_value(field, value)
    response = client.post(url, {**data, name: text})
    assert response.status_code == 200, "the admin saved it"
    return response.content.decode()


# Door 4: the Word import's preview (its rows go through the spreadsheet
# import, so through the same columns and rules).


def word_door(world, field, value) -> str:
    table = dict(HEBEI_2020[0])
    year = "2025"
    match field:
        case "amount":
            table["total"] = value
        case "percent":
            table["plan"] = [[3, value], [6, "50.00"], [10, "75.00"], [12, "100.00"]]
        case "months":
            first, second = (int(m) for m in value.split(","))
            table["plan"] = [[first, "25.00"], [second, "50.00"], [12, "100.00"]]
        case "year":  # the year a Word file is imported as
            year = value
    upload = io.BytesIO(docx_from_table(table))
    upload.name = "绩效目标表.docx"
    client = world.client(world.preparer)
    response = client.post(
        reverse("declaration_import"), {"file": upload, "year": year}
    )
    assert response.status_code == 200
    plan = response.context.get("import_plan")
    if plan is None:  # refused by the upload form
        return response.content.decode()
    assert plan.blocking, f"the Word import took {value!r}: {plan.problems}"
    return "\n".join(p.message for p in plan.blocking)


DOORS = {
    "form": form_door,
    "import": import_door,
    "admin": admin_door,
    "word": word_door,
}
# Which doors take each field (the admin shows no 分值; Word tables hold
# no side table, 分值 or split the recognition reads).
TAKES = {
    "amount": ["form", "import", "admin", "word"],
    "percent": ["form", "import", "admin", "word"],
    "months": ["form", "import", "admin", "word"],
    "year": ["form", "import", "admin", "word"],
    "weight": ["form", "import"],
    "split": ["form", "import", "admin"],
    "date": ["form", "import", "admin"],
}


@pytest.mark.parametrize(
    "field, door, value, message",
    [
        pytest.param(field, door, value, message, id=f"{field}-{door}-{value}")
        for field, cases in BAD.items()
        for value, message in cases
        for door in TAKES[field]
    ],
)
def test_each_door_refuses_a_bad_value_in_the_same_words(
    world, field, door, value, message
):
    assert message in DOORS[door](world, field, value)


# The same value taken alike.


@pytest.mark.parametrize("typed", ["３．５０", "3.500", "+3.5"])
def test_a_full_width_or_padded_amount_is_taken_alike_at_every_door(world, typed):
    form = DECLARATION["amount"](world)
    step, data = _form_post(typed, form, "amount")
    world.client(world.preparer).post(
        reverse("declaration_step", args=[form.pk, step]),
        {"version": form.version, **data},
    )
    form.refresh_from_db()

    admin = make_declaration(world.unit, world.preparer, project_code="ADMIN")
    client = world.client(world.admin)
    url = reverse("admin:declarations_declaration_change", args=[admin.pk])
    response = client.post(url, {**_as_posted(client.get(url)), "total": typed})
    assert response.status_code == 302
    admin.refresh_from_db()

    plan = preview(world.client(world.preparer), form, "预算数（万元）", typed)
    assert [p for p in plan.blocking if p.column == "预算数（万元）"] == []
    (incoming,) = plan.declarations
    assert form.total == admin.total == incoming.fields["total"] == Decimal("3.50")


def test_thousands_separators_in_threes_are_read_as_a_number():
    assert MONEY.parse("1,234,567.50") == Decimal("1234567.50")
    assert MONEY.parse("１，２３４") == Decimal("1234.00")


# The finding: a negative budget in a spreadsheet row, as a number cell and
# as CSV text, is refused by the import as the funds page refuses it.


@pytest.mark.parametrize("value", [-5.0, "-5.00"])
def test_a_negative_budget_in_a_spreadsheet_row_is_refused_like_the_funds_page(
    world, value
):
    declaration = _project(world)
    client = world.client(world.preparer)
    plan = preview(client, declaration, "预算数（万元）", value)
    (problem,) = [p for p in plan.blocking if p.column == "预算数（万元）"]
    assert (
        problem.message == MONEY.negative == "金额不能为负数，请填写 0 或正数（万元）。"
    )
    step, data = _form_post("-5.00", declaration, "amount")
    page = client.post(
        reverse("declaration_step", args=[declaration.pk, step]),
        {"version": declaration.version, **data},
    )
    assert MONEY.negative in page.content.decode()


def test_a_layout_in_yuan_is_read_to_the_fen_in_the_file_and_the_admin(world):
    """The file is in 万元 whatever the layout keeps; a layout in 元 keeps
    the 分, six decimals of 万元, and no more."""
    declaration = make_declaration(use_layout(world.unit, "shanxi"), world.preparer)
    client = world.client(world.preparer)
    plan = preview(client, declaration, "预算数（万元）", "1.2345678")
    (problem,) = [p for p in plan.blocking if p.column == "预算数（万元）"]
    assert problem.message == "金额最多保留 6 位小数（万元，即到分）。"
    plan = preview(client, declaration, "预算数（万元）", "1.234567")
    (incoming,) = plan.declarations
    assert incoming.fields["total"] == Decimal("12345.67")
    admin = world.client(world.admin)
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    page = admin.post(url, {**_as_posted(admin.get(url)), "total": "-1"})
    assert "金额不能为负数，请填写 0 或正数（元）。" in page.content.decode()


def test_a_month_past_december_is_refused_by_the_import_and_the_admin(world):
    declaration = _project(world)
    plan = preview(
        world.client(world.preparer),
        declaration,
        "资金支出计划（%）",
        "3月底:25；13月底:100",
    )
    assert [p.message for p in plan.blocking] == [rules.MONTH_MESSAGE]
    client = world.client(world.admin)
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    plan_json = json.dumps([[3, "25.00"], [13, "100.00"]])
    page = client.post(url, {**_as_posted(client.get(url)), "spending_plan": plan_json})
    assert rules.MONTH_MESSAGE in page.content.decode()


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("year", "1999", rules.YEAR_MESSAGE),
        ("due", "2026-02-30", rules.DATE_MESSAGE),
    ],
)
def test_the_deadline_admin_reads_its_year_and_day_by_the_same_rules(
    world, field, typed, message
):
    client = world.client(world.admin)
    data = {"department": world.department.pk, "year": "2025", "due": "2025-09-30"}
    response = client.post(
        reverse("admin:declarations_deadline_add"), {**data, field: typed}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
