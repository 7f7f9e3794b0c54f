"""A costing side table (项目预算成本构成, DOMAIN.md §13) whose amounts add up
to a 合计 row, computed and never typed, that the checks compare with the
budget; and labels that say {year}, {year-1}, {year-2} printed for the
declaration's year, so that a layout is not edited every year."""

import json

import pytest
from django.urls import reverse

from declarations.checks import findings_for
from declarations.layouts.definition import DefinitionError, read
from declarations.models import TableLayout
from declarations.printing import declaration as pdf
from declarations.services.layouts import save_definition
from tests.declarations.pdf_reading import body_text, row_holds, table_rows
from tests.declarations.test_side_tables import COUNTY, _schedule
from tests.factories import formset_data, make_declaration, use_layout

COSTS = {
    "kind": "side_table",
    "key": "costs",
    "title": "项目预算成本构成",
    "widths": [20, 15, 35, 15, 15],
    "columns": [
        {"key": "item", "label": "成本项目"},
        {
            "key": "amount",
            "label": "金额（万元）",
            "kind": "money",
            "total": True,
            "compare": {"field": "total", "level": "error"},
        },
        {"key": "basis", "label": "测算（公式）依据", "kind": "text"},
        {
            "key": "actual1",
            "label": "{year-1}年实际执行数",
            "kind": "money",
            "total": True,
        },
        {
            "key": "actual2",
            "label": "{year-2}年实际执行数",
            "kind": "money",
            "total": True,
        },
    ],
}


def _costing(costs=COSTS) -> dict:
    document = json.loads(json.dumps(COUNTY))
    document["parts"].insert(4, json.loads(json.dumps(costs)))
    return document


@pytest.fixture
def costing(db):
    save_definition(TableLayout(code="costing"), _costing(), by=None)


def _declaration(unit, preparer, rows, **fields):
    declaration = make_declaration(use_layout(unit, "costing"), preparer, **fields)
    declaration.extra = {"costs": rows}
    declaration.save()
    return declaration


LABOUR = {"item": "劳务费", "amount": "12.50", "basis": "2人×6.25万元"}
RENT = {"item": "场地租金", "amount": "22.50", "actual1": "20.00", "actual2": "18.00"}


def test_the_total_row_is_summed_on_the_entry_page_and_printed(
    client, costing, unit, preparer
):
    declaration = _declaration(unit, preparer, [])
    client.force_login(preparer)
    url = reverse("declaration_step", args=[declaration.pk, "tables"])
    costs = formset_data(
        "costs", [{**row, "ORDER": i + 1} for i, row in enumerate([LABOUR, RENT])]
    )
    response = client.post(url, {"version": 1, **_schedule([]), **costs})
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert "total" not in declaration.extra["costs"][0]  # computed, never kept

    page = client.get(url).content.decode()
    footer = page.split('data-testid="side-total-costs"', 1)[1].split("</tr>")[0]
    assert "<th>合计</th>" in footer
    assert "35.00" in footer and "20.00" in footer and "18.00" in footer

    rows = table_rows(pdf.render_declaration(declaration))
    head = ["成本项目", "金额（万元）", "测算（公式）依据"]
    assert _printed(rows, head + ["2023年实际执行数", "2022年实际执行数"])
    assert ["合计", "35.00", "20.00", "18.00"] in rows


def _printed(rows, cells) -> bool:
    """A row holds the cells (a draft's watermark may cross one)."""
    return any(row_holds(row, cells) for row in rows)


def test_a_total_unlike_the_budget_is_an_error_in_the_layouts_words(
    client, costing, unit, preparer
):
    declaration = _declaration(unit, preparer, [RENT])  # 22.50 against 35.00
    found = [f for f in findings_for(declaration) if f.code == "side_total"]
    assert [f.message for f in found] == [
        "项目预算成本构成的合计 22.50 万元与年度资金总额 35.00 万元不一致，请核对。"
    ]
    assert found[0].is_error
    client.force_login(preparer)
    check = client.get(reverse("declaration_detail", args=[declaration.pk]))
    assert "项目预算成本构成的合计 22.50 万元" in check.content.decode()
    client.post(reverse("declaration_submit", args=[declaration.pk]))
    declaration.refresh_from_db()
    assert declaration.status == "draft"  # the error blocks the submission

    declaration.extra = {"costs": [LABOUR, RENT]}  # 35.00: as budgeted
    declaration.save()
    assert "side_total" not in {f.code for f in findings_for(declaration)}


def test_a_layout_may_make_the_comparison_a_warning(unit, preparer, db):
    costs = json.loads(json.dumps(COSTS))
    costs["columns"][1]["compare"]["level"] = "warning"
    save_definition(TableLayout(code="costing"), _costing(costs), by=None)
    declaration = _declaration(unit, preparer, [LABOUR])
    (found,) = [f for f in findings_for(declaration) if f.code == "side_total"]
    assert not found.is_error and "12.50 万元" in found.message


@pytest.mark.parametrize(
    "column, words",
    [
        ({"compare": {"field": "budget", "level": "error"}}, ["budget", "total"]),
        ({"compare": {"field": "total", "level": "fatal"}}, ["level", "fatal"]),
        ({"total": False}, ['"total": true']),
        ({"kind": "text"}, ["money"]),
    ],
)
def test_a_total_or_comparison_the_layout_cannot_keep_is_refused(column, words):
    costs = json.loads(json.dumps(COSTS))
    costs["columns"][1].update(column)
    with pytest.raises(DefinitionError) as refused:
        read(_costing(costs))
    message = str(refused.value)
    assert "parts[4].columns[1]" in message
    assert "“金额（万元）”（amount）" in message
    assert all(word in message for word in words), message


def test_the_first_column_holds_the_word_and_is_not_summed():
    costs = json.loads(json.dumps(COSTS))
    costs["columns"][0].update(kind="money", total=True)
    with pytest.raises(DefinitionError, match="第一栏"):
        read(_costing(costs))


def test_past_years_are_filled_in_labels_and_headings(client, db, unit, preparer):
    document = _costing()
    document["parts"][1]["text"] = "（{year}年度，上年为{year-1}年）"
    document["parts"][4]["title"] = "项目预算成本构成（{year-2}—{year}年）"
    save_definition(TableLayout(code="costing"), document, by=None)
    declaration = _declaration(unit, preparer, [LABOUR], year=2026)
    client.force_login(preparer)
    url = reverse("declaration_step", args=[declaration.pk, "tables"])
    page = client.get(url).content.decode()
    assert "<th>2025年实际执行数</th><th>2024年实际执行数</th>" in page
    assert "项目预算成本构成（2024—2026年）" in page and "{year" not in page
    output = pdf.render_declaration(declaration)
    assert _printed(
        table_rows(output),
        ["成本项目", "金额（万元）", "2025年实际执行数", "2024年实际执行数"],
    )
    text = body_text(output)
    assert "（2026年度，上年为2025年）" in text and "（2024—2026年）" in text
