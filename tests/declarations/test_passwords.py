"""Password rules: a weak new password gets a Chinese message that says what
a good one needs, on the user's own page and in the admin alike."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_user


def _change(client, new):
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    "weak, message",
    [
        ("Ab1!", "密码长度太短"),
        ("12345678901", "密码只包含数字"),
        ("password1", "这个密码太常见了"),
        ("abcdefghij1", "至少 3 种"),
        ("Caizheng@2026", "常见的词加上数字或符号"),
        ("Woaini1314!", "常见的词加上数字或符号"),
        ("Preparer#2026", "密码跟 用户名 太相似了"),
        ("1Qaz2wsx!", "常见的词加上数字或符号"),
    ],
)
def test_a_weak_new_password_is_refused_with_a_reason(client, preparer, weak, message):
    client.force_login(preparer)
    response = _change(client, weak)
    assert response.status_code == 200
    assert message in response.content.decode()
    preparer.refresh_from_db()
    assert preparer.check_password(PASSWORD)


def test_a_password_of_three_kinds_and_no_common_word_is_accepted(client, preparer):
    client.force_login(preparer)
    assert _change(client, "Lq7#vx9Pt2").status_code == 302
    preparer.refresh_from_db()
    assert preparer.check_password("Lq7#vx9Pt2")


def test_the_page_says_what_a_password_needs(client, preparer):
    client.force_login(preparer)
    page = client.get(reverse("password_change")).content.decode()
    assert "密码至少 8 个字符" in page
    assert "大写字母、小写字母、数字、符号中的至少 3 种" in page


def test_an_admin_cannot_give_a_new_user_a_weak_password(client, db):
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-preparer",
            "password1": "Jixiao2026",
            "password2": "Jixiao2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "常见的词加上数字或符号" in response.content.decode()
