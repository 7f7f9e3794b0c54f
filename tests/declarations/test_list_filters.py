"""The list finds things: filters by year, unit, state, 项目属性, grade and
what the checks found, a search, sorting by any column, pages through
thousands, and an export of exactly what is filtered."""

from decimal import Decimal

import pytest
from django.urls import reverse

from declarations.models import Declaration
from declarations.services import workflow
from tests.factories import make_declaration, make_unit


@pytest.fixture
def year_of_tables(unit, department, preparer, reviewer):
    centre = make_unit(department, "450003", "北戴河区医保中心")
    made = {
        "draft": make_declaration(
            unit,
            preparer,
            project_code="A-1",
            total=Decimal(40),
            other=Decimal(5),
        ),
        "submitted": make_declaration(
            unit, preparer, project_code="A-2", project_name="人事代理经费"
        ),
        "approved": make_declaration(
            centre,
            None,
            project_code="C-1",
            attribute="new",
            total=Decimal(80),
            fiscal=Decimal(80),
        ),
        "empty": make_declaration(unit, preparer, project_code="A-3", goals=[]),
    }
    workflow.submit(made["submitted"], by=preparer)
    Declaration.objects.filter(pk=made["approved"].pk).update(
        status="approved", grade="优"
    )
    return made


def _codes(client, **query):
    page = client.get(reverse("declaration_list"), query).context["page"]
    return [d.project_code for d in page]


def test_each_filter_narrows_the_list(client, reviewer, year_of_tables, unit):
    client.force_login(reviewer)
    assert sorted(_codes(client)) == ["A-1", "A-2", "A-3", "C-1"]
    assert _codes(client, status="submitted") == ["A-2"]
    assert sorted(_codes(client, unit=unit.pk)) == ["A-1", "A-2", "A-3"]
    assert _codes(client, attribute="new") == ["C-1"]
    assert _codes(client, grade="优") == ["C-1"]
    assert _codes(client, findings="errors") == ["A-3"]  # no goals
    assert "A-3" not in _codes(client, findings="clean")
    assert _codes(client, q="人事代理") == ["A-2"]
    assert _codes(client, q="c-1") == ["C-1"]
    assert _codes(client, status="submitted", unit=unit.pk, q="A") == ["A-2"]


def test_a_bad_filter_value_says_so_and_the_rest_still_apply(
    client, reviewer, year_of_tables
):
    client.force_login(reviewer)
    response = client.get(reverse("declaration_list"), {"status": "lost", "q": "人事"})
    assert response.status_code == 200
    assert "状态：请从列表中选择。" in response.content.decode()
    assert [d.project_code for d in response.context["page"]] == ["A-2"]


def test_any_column_sorts_both_ways(client, reviewer, year_of_tables):
    client.force_login(reviewer)
    # 35, 35 (in the list's own order), 40, 80.
    assert _codes(client, sort="total") == ["A-2", "A-3", "A-1", "C-1"]
    assert _codes(client, sort="-total")[0] == "C-1"  # 80
    assert _codes(client, sort="code") == ["A-1", "A-2", "A-3", "C-1"]
    assert _codes(client, sort="-code") == ["C-1", "A-3", "A-2", "A-1"]
    page = client.get(reverse("declaration_list"), {"sort": "code"})
    body = page.content.decode()
    assert "sort=-code" in body  # the column's link now sorts the other way
    assert 'aria-sort="ascending"' in body


def test_pages_through_thousands_in_a_fixed_number_of_queries(
    client, reviewer, unit, django_assert_max_num_queries
):
    from declarations.demo import year as bulk

    client.force_login(reviewer)
    make_declaration(unit, None, project_code="ONE")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("declaration_list"))
    bulk.load_year(declarations=250, year=2027)
    make_declaration(unit, None, project_code="MORE", year=2027)
    client.force_login(reviewer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("declaration_list"), {"page": "last"})
    assert page.context["page"].number == page.context["page"].paginator.num_pages


def test_the_export_holds_what_the_list_filtered(client, reviewer, year_of_tables):
    client.force_login(reviewer)
    response = client.get(
        reverse("declaration_export"), {"format": "csv", "status": "submitted"}
    )
    text = response.content.decode("utf-8-sig")
    assert "A-2" in text and "A-1" not in text and "C-1" not in text
