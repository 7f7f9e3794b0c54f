"""The bulk year that load tests and benchmarks run on: as many tables as
asked, in the states a real year has, each as complete as a typed one."""

import pytest
from django.urls import reverse

from declarations.checks import errors, findings_for
from declarations.demo import year as bulk
from declarations.models import Declaration, Status


def test_a_bulk_year_holds_complete_tables_in_every_state(db, client):
    loaded = bulk.load_year(declarations=250, year=2027)
    tables = Declaration.objects.filter(year=2027)
    assert loaded.declarations == tables.count() == 250
    assert tables.filter(status=Status.DRAFT).count() == 150
    assert tables.filter(status=Status.SUBMITTED).count() == 50
    assert tables.filter(status=Status.APPROVED).count() == 50
    sample = tables.filter(status=Status.APPROVED).last()
    assert sample.indicators.count() == 8 and sample.goals.count() == 2
    assert not errors(findings_for(sample))
    assert [e.action for e in sample.events.all()] == ["submit", "approve"]

    client.post(
        reverse("login"),
        {"username": loaded.reviewers[0], "password": bulk.PASSWORD},
    )
    queue = client.get(reverse("declaration_list") + "?status=submitted")
    assert queue.status_code == 200
    assert sample.organization.name in queue.content.decode()


def test_a_second_year_goes_to_the_same_departments_and_a_loaded_year_is_refused(
    db,
):
    first = bulk.load_year(declarations=250, year=2027)
    second = bulk.load_year(declarations=500, year=2028)
    assert second.declarations == Declaration.objects.filter(year=2028).count() == 500
    # The first year's department and accounts carry on; one more is made.
    assert [d.pk for d in second.departments[:1]] == [d.pk for d in first.departments]
    assert second.reviewers[:1] == first.reviewers and len(second.reviewers) == 2
    assert Declaration.objects.filter(year=2027).count() == 250

    with pytest.raises(ValueError, match="2028 年的批量数据已经载入过了"):
        bulk.load_year(declarations=250, year=2028)
    assert Declaration.objects.filter(year=2028).count() == 500
