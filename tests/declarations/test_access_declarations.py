"""A declaration is reached only from the organizations it belongs to."""

import pytest
from django.urls import reverse

from tests.factories import make_declaration, make_user

STEPS = ["basic", "funds", "goals", "indicators"]


@pytest.fixture
def declaration(unit, preparer):
    return make_declaration(unit, preparer)


def _urls(declaration):
    return [
        reverse("declaration_detail", args=[declaration.pk]),
        *(reverse("declaration_step", args=[declaration.pk, s]) for s in STEPS),
    ]


def test_preparer_of_another_department_gets_404_everywhere(
    client, declaration, outsider
):
    client.force_login(outsider)
    for url in _urls(declaration):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"version": 1}).status_code in {404, 405}, url
    copy = reverse("declaration_copy_next_year", args=[declaration.pk])
    assert client.post(copy).status_code == 404


def test_reviewer_of_another_department_gets_404(client, declaration, other_department):
    stranger = make_user("stranger", "reviewer", other_department)
    client.force_login(stranger)
    assert (
        client.get(reverse("declaration_detail", args=[declaration.pk])).status_code
        == 404
    )


def test_reviewer_of_the_department_reads_but_cannot_edit(
    client, declaration, reviewer
):
    client.force_login(reviewer)
    detail = client.get(reverse("declaration_detail", args=[declaration.pk]))
    assert detail.status_code == 200
    assert "复制为" not in detail.content.decode()
    edit = client.get(reverse("declaration_step", args=[declaration.pk, "basic"]))
    assert edit.status_code == 403
    assert "不能修改" in edit.content.decode()


def test_copying_another_units_declaration_is_refused(client, declaration, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("declaration_copy"), {"source": declaration.pk, "year": 2025}
    )
    assert response.status_code == 302
    assert declaration.copies.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "请选择本单位的一份往年申报表。" in page


def test_new_declaration_cannot_be_filed_for_a_foreign_unit(client, outsider, unit):
    client.force_login(outsider)
    response = client.post(
        reverse("declaration_new"),
        {"organization": unit.pk, "year": 2025, "project_name": "越权项目"},
    )
    assert response.status_code == 200
    assert "请选择您所在的填报单位" in response.content.decode()
    assert unit.declarations.count() == 0


def test_unknown_step_is_404(client, declaration, preparer):
    client.force_login(preparer)
    url = reverse("declaration_step", args=[declaration.pk, "nonsense"])
    assert client.get(url).status_code == 404
