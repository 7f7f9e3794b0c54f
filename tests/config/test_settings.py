import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["ture", "2", "enabled"])
def test_env_bool_rejects_a_value_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("Off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_int_rejects_text(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "a.example, b.example,,")
    assert env_list("SOME_HOSTS", []) == ["a.example", "b.example"]


def test_unset_database_url_means_the_sqlite_file(tmp_path):
    config = database_from_url(None, sqlite_path=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"


def test_postgres_url_selects_postgresql():
    config = database_from_url(
        "postgres://root@127.0.0.1:5432/test", sqlite_path="unused"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "test"


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/test", "postgres://root@127.0.0.1:5432"]
)
def test_unsupported_or_incomplete_database_url_is_rejected(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url, sqlite_path="unused")


_SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "HTTPS",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_with_debug_off_stops_start_up():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("proxy", ["0", "1"], ids=["direct", "behind-nginx"])
def test_production_settings_pass_the_deploy_check(proxy):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-key-" + "k3y!" * 10,
        ALLOWED_HOSTS="jixiao.example.gov.cn",
        BEHIND_PROXY=proxy,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_models_and_migrations_agree():
    result = _manage("makemigrations", "--check", "--dry-run", DEBUG="1")
    assert result.returncode == 0, result.stdout + result.stderr
