from django.contrib.auth import get_user_model
from django.core.management import call_command

from declarations.models import Membership, Organization


def _snapshot():
    users = get_user_model().objects.order_by("username")
    return (
        list(Organization.objects.values_list("code", "name", "kind", "parent__code")),
        list(users.values_list("username", "password", "is_superuser")),
        sorted(
            Membership.objects.values_list(
                "user__username", "organization__code", "role"
            )
        ),
    )


def test_load_demo_creates_the_three_bureaus_with_people(db):
    call_command("load_demo")
    unit = Organization.objects.get(code="450002")
    assert str(unit) == "450002秦皇岛市北戴河区医疗保障局"
    assert unit.parent.code == "450"
    names = set(Organization.objects.values_list("name", flat=True))
    assert names == {
        "秦皇岛市北戴河区医疗保障局",
        "中卫市沙坡头区医疗保障局",
        "衡东县医疗保障局",
    }
    for prefix in ["bdh", "spt", "hd"]:
        roles = set(
            Membership.objects.filter(user__username__startswith=prefix).values_list(
                "role", flat=True
            )
        )
        assert roles == {"preparer", "reviewer"}


def test_load_demo_twice_changes_nothing(db):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


def test_demo_accounts_log_in_with_the_readme_password(client, db):
    call_command("load_demo")
    assert client.login(username="bdh_tb", password="Demo@2026")
    assert client.login(username="admin", password="Demo@2026")
