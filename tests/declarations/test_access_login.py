from django.urls import reverse

from tests.factories import PASSWORD


def test_anonymous_visitor_is_sent_to_login_from_the_home_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitor_is_sent_to_login_from_an_unknown_url(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/no/such/page/"


def test_anonymous_visitor_is_sent_to_login_from_the_admin(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_login_page_is_in_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "用户名" in body and "密码" in body


def test_wrong_password_gets_a_chinese_error_and_keeps_the_username(client, preparer):
    response = client.post(
        reverse("login"), {"username": "preparer", "password": "wrong"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in body
    assert 'value="preparer"' in body


def test_login_leads_to_the_home_page(client, preparer):
    response = client.post(
        reverse("login"), {"username": "preparer", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_needs_a_post_and_ends_the_session(client, preparer):
    client.force_login(preparer)
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


def test_users_change_their_own_password(client, preparer):
    client.force_login(preparer)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "修改密码" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Xin-mima-2027!",
            "new_password2": "Xin-mima-2027!",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    preparer.refresh_from_db()
    assert preparer.check_password("Xin-mima-2027!")


def test_there_is_no_self_service_password_reset(client, db):
    assert client.get("/accounts/password_reset/").status_code == 302  # to login


# The lockout after wrong passwords: tests/declarations/test_login_lockout.py
