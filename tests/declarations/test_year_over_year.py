"""A continuing project's review page sets this year's indicators beside
those approved for it last year, with what changed marked."""

import pytest
from django.urls import reverse

from declarations.comparison import Change, compared_with_last_year
from declarations.services import workflow
from tests.factories import STANDARD_ROWS, make_declaration

THIS_YEAR = [
    (*row[:4], "≥32万人", row[5]) if row[2] == "参保人数" else row
    for row in STANDARD_ROWS
    if row[2] != "经办能力"
] + [("效益指标", "可持续影响指标", "经办服务规范化水平", "", "持续提升", "其他标准")]


@pytest.fixture
def last_year(unit, preparer, reviewer):
    declaration = make_declaration(unit, preparer, year=2023)
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="良")
    return declaration


def submitted(unit, preparer, **fields):
    declaration = make_declaration(unit, preparer, year=2024, rows=THIS_YEAR, **fields)
    workflow.submit(declaration, by=preparer)
    return declaration


def review_page(client, reviewer, declaration):
    client.force_login(reviewer)
    return client.get(reverse("review", args=[declaration.pk]))


def test_a_continuing_project_shows_last_years_indicators_with_the_changes(
    client, unit, preparer, reviewer, last_year
):
    response = review_page(client, reviewer, submitted(unit, preparer))
    compared = response.context["year_over_year"]
    assert compared.previous == last_year
    rows = {row.name: row for row in compared.rows}
    assert (
        rows["参保人数"].change,
        rows["参保人数"].before,
        rows["参保人数"].after,
    ) == (
        Change.CHANGED,
        "≥30万人",
        "≥32万人",
    )
    assert (rows["经办服务规范化水平"].change, rows["经办服务规范化水平"].after) == (
        Change.ADDED,
        "持续提升",
    )
    assert (rows["经办能力"].change, rows["经办能力"].before) == (
        Change.REMOVED,
        "显著提升",
    )
    assert rows["一站式结算率"].change == Change.SAME
    assert (compared.changed, compared.added, compared.removed) == (1, 1, 1)

    body = response.content.decode()
    table = body.split('data-testid="year-over-year"')[1].split("</section>")[0]
    assert "与上年（2023 年度）审核通过的绩效指标对比" in table
    assert "修改指标值 1 项，新增指标 1 项，删除指标 1 项" in table
    assert "<del>≥30万人</del></td><td><ins>≥32万人</ins>" in table
    assert '<span class="badge text-bg-success">新增</span>' in table
    assert '<span class="badge text-bg-danger">删除</span>' in table


def test_a_new_project_is_not_compared(client, unit, preparer, reviewer, last_year):
    response = review_page(client, reviewer, submitted(unit, preparer, attribute="new"))
    assert response.context["year_over_year"] is None
    assert 'data-testid="year-over-year"' not in response.content.decode()


def test_last_years_declaration_counts_only_once_approved(
    client, unit, preparer, reviewer
):
    draft = make_declaration(unit, preparer, year=2023)
    workflow.submit(draft, by=preparer)  # submitted, not yet approved
    response = review_page(client, reviewer, submitted(unit, preparer))
    assert response.context["year_over_year"] is None
    assert 'data-testid="year-over-year"' not in response.content.decode()


def test_only_the_same_project_code_of_the_year_before_is_compared(
    unit, preparer, reviewer, last_year
):
    other_code = submitted(unit, preparer, project_code="450-0101-OTHER")
    assert compared_with_last_year(other_code) is None
    two_years_on = make_declaration(unit, preparer, year=2025)
    assert compared_with_last_year(two_years_on) is None


def test_an_unchanged_table_says_nothing_changed(
    client, unit, preparer, reviewer, last_year
):
    declaration = make_declaration(unit, preparer, year=2024)
    workflow.submit(declaration, by=preparer)
    response = review_page(client, reviewer, declaration)
    compared = response.context["year_over_year"]
    assert {row.change for row in compared.rows} == {Change.SAME}
    assert "指标与上年相同，指标值都没有变化。" in response.content.decode()
