from django.urls import reverse

from declarations.models import Declaration
from tests.factories import make_declaration


def _content(declaration):
    return (
        [g.text for g in declaration.goals.all()],
        [
            (r.level1_id, r.level2_id, r.level3, r.description, r.value, r.basis)
            for r in declaration.indicators.all()
        ],
        declaration.total,
        declaration.spending_plan,
    )


def test_one_button_copies_last_year_into_a_new_draft(client, preparer, unit):
    source = make_declaration(unit, preparer, year=2024)
    client.force_login(preparer)
    response = client.post(reverse("declaration_copy_next_year", args=[source.pk]))
    copy = Declaration.objects.get(year=2025)
    assert response["Location"] == reverse("declaration_step", args=[copy.pk, "basic"])
    assert copy.copied_from == source
    assert (copy.status, copy.version, copy.project_code) == (
        "draft",
        1,
        source.project_code,
    )
    assert _content(copy) == _content(source)
    assert copy.indicators.first().value_unit == "万人"


def test_any_earlier_declaration_can_be_chosen_as_the_start(client, preparer, unit):
    older = make_declaration(unit, preparer, year=2022, project_code="OLD")
    make_declaration(unit, preparer, year=2024, project_code="NEW")
    client.force_login(preparer)
    client.post(reverse("declaration_copy"), {"source": older.pk, "year": 2026})
    copy = Declaration.objects.get(year=2026)
    assert copy.project_code == "OLD"
    assert _content(copy) == _content(older)


def test_copying_twice_into_the_same_year_is_refused_with_a_message(
    client, preparer, unit
):
    source = make_declaration(unit, preparer, year=2024)
    client.force_login(preparer)
    url = reverse("declaration_copy_next_year", args=[source.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert Declaration.objects.filter(year=2025).count() == 1
    assert "2025 年已有项目编码为 450-0101-TEST 的申报表" in response.content.decode()


def test_list_offers_last_years_continuing_projects_not_yet_declared(
    client, preparer, unit
):
    make_declaration(unit, preparer, year=2024, project_code="A", project_name="甲项目")
    make_declaration(unit, preparer, year=2024, project_code="B", project_name="乙项目")
    make_declaration(
        unit,
        preparer,
        year=2024,
        project_code="C",
        project_name="丙项目",
        attribute="new",
    )
    make_declaration(unit, preparer, year=2025, project_code="B", project_name="乙项目")
    client.force_login(preparer)
    response = client.get(reverse("declaration_list"), {"year": 2025})
    pending = [d.project_name for d in response.context["pending_copies"]]
    assert pending == ["甲项目"]


def test_a_copy_of_an_approved_declaration_starts_ungraded(
    client, preparer, reviewer, unit
):
    from declarations.services import workflow

    source = make_declaration(unit, preparer, year=2024)
    workflow.submit(source, by=preparer)
    workflow.approve(source, by=reviewer, grade="优")
    client.force_login(preparer)
    client.post(reverse("declaration_copy_next_year", args=[source.pk]))
    copy = Declaration.objects.get(year=2025)
    assert (copy.status, copy.grade, copy.submitted_at) == ("draft", "", None)


def test_a_copy_without_a_year_goes_to_the_year_after_its_source(
    client, preparer, unit
):
    source = make_declaration(unit, preparer, year=2020, project_code="OLD")
    client.force_login(preparer)
    page = client.get(reverse("declaration_new")).content.decode()
    assert "留空则为所选申报年度的下一年" in page
    client.post(reverse("declaration_copy"), {"source": source.pk, "year": ""})
    assert Declaration.objects.get(project_code="OLD", year=2021).copied_from == source


def test_a_table_that_leaves_its_attribute_blank_is_offered_for_copying(
    client, preparer, unit
):
    make_declaration(unit, preparer, year=2024, project_code="A", attribute="")
    make_declaration(unit, preparer, year=2024, project_code="N", attribute="new")
    client.force_login(preparer)
    response = client.get(reverse("declaration_list"), {"year": 2025})
    assert [d.project_code for d in response.context["pending_copies"]] == ["A"]
