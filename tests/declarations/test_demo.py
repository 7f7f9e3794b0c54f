from django.contrib.auth import get_user_model
from django.core.management import call_command

from declarations.models import Declaration, IndicatorRow, Membership, Organization


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
        list(Declaration.objects.values_list("pk", "version", "project_name")),
        IndicatorRow.objects.count(),
    )


def test_load_demo_creates_the_three_bureaus_with_people(db):
    call_command("load_demo")
    unit = Organization.objects.get(code="450002")
    assert str(unit) == "450002秦皇岛市北戴河区医疗保障局"
    assert unit.parent.code == "450"
    names = set(Organization.objects.values_list("name", flat=True))
    assert names == {
        "秦皇岛市北戴河区医疗保障局",
        # Two more units of Beidaihe file the desk's demo year.
        "秦皇岛市北戴河区医疗保障服务中心",
        "秦皇岛市北戴河区医疗保障基金稽核中心",
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


def test_the_demo_year_has_tables_of_every_state_in_three_units(db):
    from declarations.models import Declaration, default_year

    call_command("load_demo")
    year = Declaration.objects.filter(
        year=default_year(), organization__parent__code="450"
    )
    assert set(year.values_list("organization__code", flat=True)) == {
        "450002",
        "450003",
        "450004",
    }
    assert set(year.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "approved",
    }
    assert year.filter(status="draft", error_count__gt=0).exists()


def test_load_demo_twice_changes_nothing(db):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


def test_demo_accounts_log_in_with_the_readme_password(client, db):
    from django.urls import reverse

    call_command("load_demo")
    for username in ("bdh_tb", "admin"):
        # Through the login page: the lockout backend needs the request.
        response = client.post(
            reverse("login"), {"username": username, "password": "Demo@2026"}
        )
        assert response.status_code == 302 and "_auth_user_id" in client.session
        client.logout()


def test_load_demo_loads_the_seven_reference_project_tables(db):
    call_command("load_demo")
    hebei = Declaration.objects.filter(organization__code="450002", year=2020)
    assert sorted(hebei.values_list("project_code", flat=True)) == [
        "450-0101-JBN-GZ2I",
        "450-0104-JBN-5ZL1",
        "450-0201-JBN-GGHB",
        "450-0301-JBN-ZCIO",
        "450-0401-JBN-1S1K",
    ]
    assert {d.layout_id for d in hebei} == {"hebei"}
    rescue = hebei.get(project_code="450-0401-JBN-1S1K")
    assert rescue.spending_plan == [
        [3, "25.00"],
        [6, "50.00"],
        [10, "75.00"],
        [12, "100.00"],
    ]
    third = rescue.indicators.all()[2]
    # The 2020 book says 效果指标; it is stored as the same level, 效益指标.
    assert (third.level1.name, third.level2.name) == ("效益指标", "社会效益指标")
    assert third.description == "城乡居民医疗保险参\n保率"

    central = Declaration.objects.filter(organization__code="640502001", year=2023)
    assert sorted(central.values_list("project_name", "total")) == [
        ("城乡居民医疗保险业务经办工作经费", 35),
        ("社保专线网络租赁费", 48),
    ]
    network = central.get(project_name="社保专线网络租赁费")
    assert network.layout_id == "central"
    assert network.goals.count() == 3
    assert [r.value for r in network.indicators.all()][-1] == "≥90%"
