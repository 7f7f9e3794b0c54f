from django.urls import reverse

from tests.factories import make_declaration


def test_list_shows_the_units_declarations_with_status_and_budget(
    client, preparer, unit, other_unit
):
    make_declaration(unit, preparer, project_name="人事代理经费")
    make_declaration(other_unit, None, project_name="别的部门的项目")
    client.force_login(preparer)
    response = client.get(reverse("declaration_list"))
    body = response.content.decode()
    assert "人事代理经费" in body and "35.00" in body and "草稿" in body
    assert "别的部门的项目" not in body


def test_list_is_searchable_by_code_and_name_and_filtered_by_year(
    client, preparer, unit
):
    make_declaration(
        unit, preparer, year=2024, project_code="450-0101-A", project_name="甲"
    )
    make_declaration(
        unit,
        preparer,
        year=2024,
        project_code="450-0201-B",
        project_name="人事代理经费",
    )
    make_declaration(
        unit, preparer, year=2025, project_code="450-0101-A", project_name="甲"
    )
    client.force_login(preparer)

    def names(**query):
        page = client.get(reverse("declaration_list"), query).context["page"]
        return sorted((d.year, d.project_name) for d in page)

    assert names(q="0201") == [(2024, "人事代理经费")]
    assert names(q="人事") == [(2024, "人事代理经费")]
    assert names(year=2025) == [(2025, "甲")]
    assert names(q="0101", year=2024) == [(2024, "甲")]


def test_list_is_paginated(client, preparer, unit):
    for i in range(23):
        make_declaration(unit, preparer, project_code=f"P-{i:02d}")
    client.force_login(preparer)
    first = client.get(reverse("declaration_list"))
    assert len(first.context["page"]) == 20
    second = client.get(reverse("declaration_list"), {"page": 2})
    assert len(second.context["page"]) == 3
    assert "第 2 / 2 页，共 23 份" in second.content.decode()


def test_reviewer_sees_every_unit_of_the_department(
    client, reviewer, unit, department, preparer
):
    from tests.factories import make_unit

    second = make_unit(department, "450003", "北戴河区医保中心")
    make_declaration(unit, preparer, project_name="局机关项目")
    make_declaration(second, None, project_name="中心项目")
    client.force_login(reviewer)
    body = client.get(reverse("declaration_list")).content.decode()
    assert "局机关项目" in body and "中心项目" in body
