"""The login lockout locks the attacker (declarations/logins.py): a pair of
account and address after 10 wrong passwords, an address after 100 on 5
accounts, and an account from anywhere only slowed down."""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.env import env_int
from declarations import logins
from declarations.models import AccountSlowdown, LoginFailure, LoginLock, Notification
from tests.factories import PASSWORD, make_user
from tests.processes import database_url_for_others

ROOT = Path(__file__).resolve().parents[2]
OFFICE = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


@pytest.fixture
def clock(monkeypatch):
    """Time that moves only when told to."""

    class Clock:
        now = timezone.now()

        def advance(self, seconds):
            self.now += timedelta(seconds=seconds)

    fixed = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


def _log_in(client, username, password, address=OFFICE):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _guess(client, clock, username, address=OFFICE, times=1):
    """Wrong passwords a minute apart: past any retry-after, within the window."""
    for _ in range(times):
        response = _log_in(client, username, "wrong", address)
        assert response.status_code == 200, response.content.decode()
        clock.advance(61)


def test_nine_wrong_passwords_from_one_address_lock_nothing(client, preparer, clock):
    _guess(client, clock, "preparer", times=9)
    assert _log_in(client, "preparer", PASSWORD).status_code == 302


def test_the_tenth_locks_that_account_from_that_address_with_a_message(
    client, preparer, clock
):
    _guess(client, clock, "preparer", times=10)
    locked = _log_in(client, "preparer", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    page = locked.content.decode()
    assert "这个账号在这台电脑上暂时不能登录" in page
    assert "15 分钟内输错密码 10 次" in page and OFFICE in page
    until = timezone.localtime(LoginLock.objects.get().until).strftime("%H:%M")
    assert f"登录暂停到 {until}" in page
    assert "换一台不在同一网络的电脑仍可登录这个账号" in page
    assert "请联系系统管理员解除锁定" in page
    # The lock ends after 15 minutes.
    clock.advance(15 * 60)
    assert _log_in(client, "preparer", PASSWORD).status_code == 302


def test_a_locked_pair_leaves_the_account_to_other_addresses_and_the_address_to_others(
    client, preparer, reviewer, clock
):
    _guess(client, clock, "preparer", times=9)
    _log_in(client, "preparer", "wrong")  # the tenth, and no time after it
    assert _log_in(client, "reviewer", PASSWORD).status_code == 302
    colleague = Client()
    # From elsewhere: at most a retry-after, never the lock.
    slowed = _log_in(colleague, "preparer", PASSWORD, ELSEWHERE)
    assert slowed.status_code == 429
    seconds = int(slowed["Retry-After"])
    assert 0 < seconds <= 60
    assert f"请于 {seconds} 秒后再试" in slowed.content.decode()
    clock.advance(seconds)
    assert _log_in(colleague, "preparer", PASSWORD, ELSEWHERE).status_code == 302
    assert _log_in(client, "preparer", PASSWORD).status_code == 429


def test_a_correct_password_forgets_the_wrong_ones_from_that_address(
    client, preparer, clock
):
    _guess(client, clock, "preparer", times=9)
    assert _log_in(client, "preparer", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    _guess(Client(), clock, "preparer", times=9)
    assert not LoginLock.objects.exists()


def test_a_retry_after_grows_to_sixty_seconds_and_is_answered_at_once(
    client, preparer, clock
):
    waits = []
    for i in range(12):  # each guess from another address: no pair adds up
        _log_in(client, "preparer", "wrong", f"198.51.100.{i}")
        refused = _log_in(Client(), "preparer", PASSWORD, ELSEWHERE)
        if refused.status_code == 429:
            waits.append(int(refused["Retry-After"]))
            clock.advance(waits[-1])
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    assert not LoginLock.objects.exists()  # slowed down, never locked

    # Within the wait even the right password is not tried, and neither it
    # nor a wrong one counts or moves the retry-after.
    _log_in(client, "preparer", "wrong", "198.51.100.99")
    before = AccountSlowdown.objects.get().retry_after
    started = time.monotonic()
    for password in ["wrong", PASSWORD]:
        refused = _log_in(client, "preparer", password, ELSEWHERE)
        assert refused.status_code == 429
        assert "请于 60 秒后再试" in refused.content.decode()
    assert time.monotonic() - started < 1  # nothing sleeps
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.count() == 13
    assert AccountSlowdown.objects.get().retry_after == before


def test_of_logins_arriving_together_after_the_wait_one_is_checked(
    client, preparer, clock
):
    """N guesses sent at once must not all pass the same ended wait."""
    for i in range(5):
        _log_in(client, "preparer", "wrong", f"198.51.100.{i}")
    clock.advance(int(_log_in(Client(), "preparer", "x", ELSEWHERE)["Retry-After"]))
    first = logins.take_turn(username="preparer", address="198.51.100.7")
    second = logins.take_turn(username="preparer", address="198.51.100.8")
    assert first is None
    assert second is not None and second.kind == logins.Kind.SLOWDOWN
    assert (
        "请于 2 秒后再试"
        in _log_in(Client(), "preparer", PASSWORD, ELSEWHERE).content.decode()
    )


def test_a_browser_the_account_logged_in_from_is_not_slowed_down(
    client, preparer, clock
):
    assert _log_in(client, "preparer", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for i in range(8):
        _log_in(Client(), "preparer", "wrong", f"198.51.100.{i}")
    assert _log_in(Client(), "preparer", PASSWORD, ELSEWHERE).status_code == 429
    assert _log_in(client, "preparer", PASSWORD).status_code == 302


def test_a_guessed_name_is_slowed_down_like_an_account(client, preparer, clock):
    """The answer does not tell which names are accounts."""
    for name in ["preparer", "nobody"]:
        for i in range(5):
            _log_in(client, name, "wrong", f"198.51.100.{i}")
        refused = _log_in(client, name, "wrong", ELSEWHERE)
        assert refused.status_code == 429 and refused["Retry-After"] == "1"


def test_an_address_is_locked_after_a_hundred_wrong_passwords_on_many_accounts(
    preparer, reviewer
):
    now = timezone.now()
    for i in range(99):
        logins.record_failure(username=f"guess{i % 20}", address=OFFICE, now=now)
    assert logins.refusal(username="reviewer", address=OFFICE, known=True) is None
    logins.record_failure(username="guess0", address=OFFICE, now=now)
    refused = logins.refusal(username="reviewer", address=OFFICE, known=True)
    assert refused.kind == logins.Kind.ADDRESS
    assert refused.until == now + timedelta(minutes=15)
    assert logins.refusal(username="reviewer", address=ELSEWHERE, known=True) is None


def test_the_address_lock_page_says_other_addresses_log_in(client, reviewer):
    for i in range(100):
        logins.record_failure(username=f"guess{i % 20}", address=OFFICE)
    locked = _log_in(client, "reviewer", PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "这个地址暂时不能登录" in page and "从其他地址可以照常登录" in page
    assert "请联系系统管理员解除这个地址的锁定" in page


def test_a_hundred_wrong_passwords_on_four_accounts_do_not_lock_the_address(
    db, settings
):
    settings.LOGIN_PAIR_LIMIT = 1000  # so that four names can reach a hundred
    now = timezone.now()
    for i in range(100):
        logins.record_failure(username=f"guess{i % 4}", address=OFFICE, now=now)
    assert logins.refusal(username="someone", address=OFFICE, known=True) is None
    logins.record_failure(username="guess4", address=OFFICE, now=now)
    refused = logins.refusal(username="someone", address=OFFICE, known=True)
    assert refused.kind == logins.Kind.ADDRESS


def test_old_wrong_passwords_fall_out_of_the_window(db):
    start = timezone.now()
    for _ in range(9):
        logins.record_failure(username="preparer", address=OFFICE, now=start)
    later = start + timedelta(minutes=15, seconds=1)
    logins.record_failure(username="preparer", address=OFFICE, now=later)
    assert not LoginLock.objects.exists()


def test_the_owner_and_the_administrators_are_told_once_an_hour(
    preparer, django_capture_on_commit_callbacks, mailoutbox
):
    preparer.email = "preparer@example.gov.cn"
    preparer.save()
    admin = make_user("root-admin", is_superuser=True, email="root@example.gov.cn")
    start = timezone.now()

    def guesses(at, count):
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(count):
                logins.record_failure(
                    username="preparer", address=f"198.51.100.{i}", now=at
                )

    guesses(start, 12)
    told = Notification.objects.filter(kind=Notification.Kind.LOGIN)
    assert sorted(told.values_list("user__username", flat=True)) == [
        "preparer",
        "root-admin",
    ]
    owner_text = told.get(user=preparer).text
    assert "输错密码 5 次（来自 5 个地址）" in owner_text
    assert "账号没有被锁定" in owner_text and "请修改密码" in owner_text
    assert "账号“preparer”" in told.get(user=admin).text
    assert len(mailoutbox) == 2

    guesses(start + timedelta(minutes=59), 5)
    assert told.count() == 2
    guesses(start + timedelta(minutes=61), 5)
    assert told.count() == 4


def test_nobody_is_told_of_a_name_that_is_no_account(
    db, django_capture_on_commit_callbacks
):
    make_user("root-admin", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            logins.record_failure(username="nobody", address=OFFICE)
    assert not Notification.objects.exists()


def test_an_administrator_unlocks_in_the_admin(client, preparer, clock):
    _guess(client, clock, "preparer", times=10)
    assert _log_in(client, "preparer", PASSWORD).status_code == 429

    admin = Client()
    admin.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    listed = admin.get(reverse("admin:declarations_loginlock_changelist"))
    assert "preparer" in listed.content.decode() and OFFICE in listed.content.decode()
    lock = LoginLock.objects.get()
    admin.post(
        reverse("admin:declarations_loginlock_delete", args=[lock.pk]), {"post": "yes"}
    )
    assert not LoginFailure.objects.filter(username="preparer").exists()
    assert _log_in(client, "preparer", PASSWORD).status_code == 302
    # The unlock is in the admin log, with who did it.
    assert LogEntry.objects.filter(user__username="root-admin").exists()


def test_an_administrator_unlocks_with_a_command(client, preparer, clock):
    _guess(client, clock, "preparer", times=10)
    call_command("unlock_login", "preparer")
    assert not AccountSlowdown.objects.exists()
    assert _log_in(Client(), "preparer", PASSWORD).status_code == 302
    for i in range(100):
        logins.record_failure(username=f"guess{i % 20}", address=OFFICE)
    call_command("unlock_login", "--address", OFFICE)
    assert not LoginLock.objects.exists()


def test_behind_the_proxy_the_forwarded_address_is_counted_not_the_proxy(
    client, preparer, settings, clock
):
    settings.BEHIND_PROXY = True
    guesser = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.1.2.3"}
    for _ in range(10):
        client.post(
            reverse("login"), {"username": "preparer", "password": "x"}, **guesser
        )
        clock.advance(61)
    # The address the proxy added, not what the client claimed, nor the proxy.
    assert LoginLock.objects.get().address == "10.1.2.3"
    colleague = client.post(
        reverse("login"),
        {"username": "preparer", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.1.2.4",
    )
    assert colleague.status_code == 302


def test_the_admin_login_is_guarded_too(client, db, clock):
    make_user("root-admin", is_staff=True, is_superuser=True)
    for _ in range(10):
        client.post(
            reverse("admin:login"),
            {"username": "root-admin", "password": "wrong"},
            REMOTE_ADDR=OFFICE,
        )
        clock.advance(61)
    client.post(
        reverse("admin:login"),
        {"username": "root-admin", "password": PASSWORD},
        REMOTE_ADDR=OFFICE,
    )
    assert "_auth_user_id" not in client.session


def test_the_numbers_must_be_whole_and_positive(monkeypatch):
    monkeypatch.setenv("LOGIN_PAIR_LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="LOGIN_PAIR_LIMIT"):
        env_int("LOGIN_PAIR_LIMIT", 10, minimum=1)


def test_a_variable_of_the_old_policy_stops_start_up():
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOGIN_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DEBUG": "1", "LOGIN_FAILURE_LIMIT": "5"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT is no longer read; set LOGIN_PAIR_LIMIT" in (
        result.stderr
    )


# Two processes


_WRONG_THEN_RIGHT = """
import json, os, sys, time
from pathlib import Path
import django
django.setup()
from django.test import Client

def all_at(step):
    # Wait for the other processes to reach the same step.
    (Path(os.environ["MEETING"]) / f"{step}-{os.getpid()}").touch()
    while len(list(Path(os.environ["MEETING"]).glob(f"{step}-*"))) < 2:
        time.sleep(0.02)

def log_in(password):
    return Client().post(
        "/accounts/login/", {"username": "preparer", "password": password},
        REMOTE_ADDR="10.0.0.1",
    ).status_code

all_at("ready")
wrong = [log_in("wrong") for _ in range(int(sys.argv[1]))]
all_at("guessed")
print(json.dumps({"wrong": wrong, "right": log_in(sys.argv[2])}))
"""


def test_two_processes_share_the_count(transactional_db, tmp_path):
    make_user("preparer")
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url_for_others(tmp_path),
        # The pair's rule alone: no retry-after between the guesses.
        "LOGIN_SLOWDOWN_AFTER": "1000",
        "MEETING": str(meeting),
    }
    # Five wrong passwords each, at the same moment, then the right one.
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _WRONG_THEN_RIGHT, "5", PASSWORD],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        # Neither made ten itself, but the ten they made together lock the pair.
        assert json.loads(out) == {"wrong": [200] * 5, "right": 429}
