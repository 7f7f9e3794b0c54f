from django.contrib.admin.models import LogEntry
from django.test import Client
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


def _log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_after_five_wrong_passwords_the_account_is_locked_with_a_message(
    client, preparer, settings
):
    from django.core.management import call_command

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _log_in(client, "preparer", "wrong").status_code == 200
    locked = _log_in(client, "preparer", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "密码连续输错 5 次，账号已暂时锁定" in page
    assert "请 30 分钟后再试" in page and "联系本部门的系统管理员" in page
    # Even the right password is refused while the lock lasts…
    assert _log_in(client, "preparer", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # …until an administrator unlocks the account and the address.
    call_command("axes_reset")
    response = _log_in(client, "preparer", PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_guessing_from_one_address_locks_that_address_for_other_names(
    client, preparer, reviewer, settings
):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, f"guess{i}", "wrong")
    assert _log_in(client, "reviewer", PASSWORD).status_code == 429


def test_behind_the_proxy_the_forwarded_address_is_locked_not_the_proxy(
    client, preparer, reviewer, settings
):
    settings.BEHIND_PROXY = True
    guesser = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.1.2.3"}
    colleague = {"HTTP_X_FORWARDED_FOR": "10.1.2.4"}
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": f"guess{i}", "password": "x"}, **guesser
        )
    # The guesser's address (as the proxy saw it) is locked for every name…
    locked = client.post(
        reverse("login"), {"username": "reviewer", "password": PASSWORD}, **guesser
    )
    assert locked.status_code == 429
    # …and a colleague behind the same proxy still logs in.
    other = client.post(
        reverse("login"), {"username": "preparer", "password": PASSWORD}, **colleague
    )
    assert other.status_code == 302


def test_an_administrator_unlocks_an_account_in_the_admin(client, preparer, settings):
    from axes.models import AccessAttempt

    from tests.factories import make_user

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "preparer", "wrong")
    assert _log_in(client, "preparer", PASSWORD).status_code == 429

    admin = Client()
    admin.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    listed = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert "preparer" in listed.content.decode()
    for attempt in AccessAttempt.objects.all():
        admin.post(
            reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
            {"post": "yes"},
        )
    assert _log_in(client, "preparer", PASSWORD).status_code == 302
    # The unlock is in the admin log, with who did it.
    assert LogEntry.objects.filter(user__username="root-admin").exists()
