from tests.factories import make_user


def test_preparer_sees_their_unit_and_role(client, preparer, unit):
    client.force_login(preparer)
    body = client.get("/").content.decode()
    assert "450002" in body
    assert "填报人" in body
    assert "审核人" not in body


def test_reviewer_sees_the_department_and_every_unit_below_it(
    client, reviewer, unit, department
):
    client.force_login(reviewer)
    response = client.get("/")
    body = response.content.decode()
    assert "审核人" in body
    units = response.context["reviewer"]["units"]
    assert [u.unit.code for u in units] == ["450002"]


def test_reviewer_does_not_see_other_departments(client, reviewer, unit, other_unit):
    client.force_login(reviewer)
    body = client.get("/").content.decode()
    assert "430424" not in body


def test_admin_sees_every_organization_and_the_admin_link(client, unit, other_unit):
    admin = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/")
    body = response.content.decode()
    assert "系统管理员" in body
    assert "/admin/" in body
    assert {o.code for o in response.context["organizations"]} == {
        "450",
        "450002",
        "430424",
        "430424001",
    }


def test_user_without_any_organization_is_told_whom_to_ask(client, db):
    client.force_login(make_user("newcomer"))
    body = client.get("/").content.decode()
    assert "尚未分配到任何单位" in body
