"""The home page is a desk: what needs the preparer, and the reviewer's
year at a glance; every number from the user's own organizations, in a
fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from declarations.models import Deadline, Declaration
from declarations.services import workflow
from tests.factories import make_declaration, make_unit


@pytest.fixture
def year_2024(unit, department, preparer, reviewer, other_unit):
    centre = make_unit(department, "450003", "北戴河区医保中心")
    returned = make_declaration(
        unit, preparer, project_code="R-1", project_name="退回的项目"
    )
    workflow.submit(returned, by=preparer)
    workflow.return_for_revision(
        returned, by=reviewer, comment="", row_comments={2: "一站式结算率请写依据"}
    )
    make_declaration(
        unit, preparer, project_code="E-1", project_name="有错的草稿", goals=[]
    )
    waiting = make_declaration(
        centre, None, project_code="W-1", total=Decimal(80), fiscal=Decimal(80)
    )
    Declaration.objects.filter(pk=waiting.pk).update(
        status="submitted", submitted_at=timezone.now() - datetime.timedelta(days=3)
    )
    approved = make_declaration(
        centre, None, project_code="A-1", project_name="医保政策培训"
    )
    Declaration.objects.filter(pk=approved.pk).update(status="approved", grade="良")
    make_declaration(other_unit, None, project_code="X-1", total=Decimal(999))
    Deadline.objects.create(
        department=department,
        year=2024,
        due=timezone.localdate() + datetime.timedelta(days=5),
    )


def test_the_preparer_sees_returns_with_their_comments_errors_and_the_deadline(
    client, preparer, year_2024
):
    client.force_login(preparer)
    page = client.get(reverse("home"), {"year": 2024}).content.decode()
    assert "已审核 0 / 2 份" in page
    assert (
        "退回的项目" in page and "第 2 行“一站式结算率”：一站式结算率请写依据" in page
    )
    assert "有错的草稿" in page and "个错误" in page
    assert "还有 5 天" in page and "还有 2 份未提交" in page
    assert "北戴河区医保中心" not in page  # not the preparer's unit


def test_the_reviewer_sees_the_departments_year_per_unit(client, reviewer, year_2024):
    client.force_login(reviewer)
    response = client.get(reverse("home"), {"year": 2024})
    page = response.content.decode()
    desk = response.context["reviewer"]
    rows = {u.unit.code: u for u in desk["units"]}
    assert rows["450002"].counts == {
        "draft": 1,
        "submitted": 0,
        "returned": 1,
        "approved": 0,
    }
    assert rows["450003"].counts == {
        "draft": 0,
        "submitted": 1,
        "returned": 0,
        "approved": 1,
    }
    assert desk["budget"] == Decimal("35.00") * 3 + Decimal(
        80
    )  # not the 999 of another department
    assert "1 / 4 份已审核" in page
    assert "已等 3 天" in page
    assert 'data-testid="chart-states"' in page and "<rect" in page
    assert "培训类" in page  # the approved training project's budget by purpose


def test_no_number_on_the_desk_comes_from_another_department(
    client, outsider, year_2024
):
    client.force_login(outsider)
    response = client.get(reverse("home"), {"year": 2024})
    assert response.context["reviewer"] is None
    desk = response.context["preparer"]
    assert desk["progress"].total == 1  # X-1 only
    page = response.content.decode()
    assert "退回的项目" not in page and "北戴河" not in page


def test_the_desks_run_a_fixed_number_of_queries(
    client, reviewer, preparer, unit, django_assert_max_num_queries
):
    from declarations.demo import year as bulk

    make_declaration(unit, preparer, project_code="ONE", year=2027)
    counts = {}
    for who in (reviewer, preparer):
        client.force_login(who)
        with django_assert_max_num_queries(40) as few:
            client.get(reverse("home"), {"year": 2027})
        counts[who.pk] = len(few.captured_queries)
    bulk.load_year(declarations=250, year=2027)
    for i in range(4):  # more units and tables of the reviewer's own
        more = make_unit(unit.parent, f"45001{i}", f"单位{i}")
        for j in range(3):
            make_declaration(more, None, project_code=f"M{i}{j}", year=2027)
    make_declaration(unit, preparer, project_code="TWO", year=2027, goals=[])
    workflow.submit(
        make_declaration(unit, preparer, project_code="THREE", year=2027), by=preparer
    )
    for who in (reviewer, preparer):
        client.force_login(who)
        with django_assert_max_num_queries(counts[who.pk]):
            client.get(reverse("home"), {"year": 2027})


def test_the_preparer_is_told_how_many_are_left_however_many_are_listed(
    client, unit, preparer
):
    from declarations.desk import SHOWN

    for i in range(SHOWN + 5):
        make_declaration(unit, preparer, project_code=f"N-{i:03d}", goals=[])
    client.force_login(preparer)
    page = client.get(reverse("home"), {"year": 2024}).content.decode()
    assert f"尚未提交（{SHOWN + 5} 份，下面列出前 {SHOWN} 份" in page
    assert f"核对发现错误的草稿（{SHOWN + 5} 份）" in page
