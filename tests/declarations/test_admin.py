import pytest
from django.urls import reverse

from tests.factories import make_declaration, make_user


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    return client


def test_admin_is_in_chinese_and_manages_organizations(admin_client, unit):
    response = admin_client.get(reverse("admin:declarations_organization_changelist"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "选择 组织 来修改" in body
    assert "450002" in body


@pytest.mark.parametrize(
    "name",
    [
        "admin:declarations_membership_changelist",
        "admin:indicators_indicatorlevel1_changelist",
        "admin:indicators_indicatorlevel2_changelist",
        "admin:declarations_declaration_changelist",
    ],
)
def test_admin_pages_open(admin_client, name, unit):
    make_declaration(unit)
    assert admin_client.get(reverse(name)).status_code == 200


def test_taxonomy_can_be_extended_by_an_admin(admin_client):
    from indicators.models import IndicatorLevel1

    output = IndicatorLevel1.objects.get(name="产出指标")
    response = admin_client.get(
        reverse("admin:indicators_indicatorlevel1_change", args=[output.pk])
    )
    body = response.content.decode()
    assert "数量指标" in body and "成本指标" in body


def test_preparer_cannot_open_the_admin(client, preparer):
    client.force_login(preparer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
