"""Every error page is in Chinese: Django's with DEBUG off, and gunicorn's own
answers before the app runs (config/gunicorn.py)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.test import Client

from declarations.views import general

ROOT = Path(__file__).resolve().parents[2]


# Django, DEBUG off (the test settings are the production ones)


@pytest.fixture
def home_raises(monkeypatch):
    def raising(error):
        def fail(*args, **kwargs):
            raise error

        monkeypatch.setattr(general.desk, "preparer_desk", fail)

    return raising


@pytest.mark.parametrize(
    ("error", "status", "words"),
    [
        (BadRequest("garbled"), 400, "无法处理这次请求"),
        (PermissionDenied(), 403, "您无权进行此操作"),
        (RuntimeError("bug"), 500, "系统出现错误，本次操作没有完成"),
    ],
)
def test_django_answers_an_error_with_its_chinese_page(
    preparer, home_raises, error, status, words
):
    home_raises(error)
    client = Client(raise_request_exception=False)
    client.force_login(preparer)
    response = client.get("/")
    assert response.status_code == status
    assert words in response.content.decode()


def test_an_unknown_address_gets_the_chinese_404(client, preparer):
    client.force_login(preparer)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "找不到该页面或记录" in response.content.decode()


def test_a_wrong_method_gets_a_chinese_page_not_an_empty_one(client, preparer):
    client.force_login(preparer)
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "这个地址不能这样打开" in response.content.decode()
    assert "POST" in response["Allow"]


# gunicorn, before the app runs


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn():
    """The project's gunicorn configuration on a free port, one worker."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "-c",
            "config/gunicorn.py",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                assert server.poll() is None, "gunicorn stopped"
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _ask(port: int, request: bytes) -> tuple[int, str, str]:
    """Status, headers and body of gunicorn's answer to a raw request."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head.decode("latin-1"), body.decode("utf-8")


def test_a_very_long_url_gets_the_chinese_414(gunicorn):
    status, head, body = _ask(
        gunicorn, b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    assert status == 414
    assert "Content-Type: text/html; charset=utf-8" in head
    assert "网址太长，无法打开" in body and "URI" not in body


def test_a_very_large_header_gets_the_chinese_431(gunicorn):
    status, head, body = _ask(
        gunicorn,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nCookie: " + b"c" * 10240 + b"\r\n\r\n",
    )
    assert status == 431
    assert "Content-Type: text/html; charset=utf-8" in head
    assert "请在浏览器设置中清除本网站的 Cookie" in body


def test_a_garbled_request_gets_the_chinese_400(gunicorn):
    status, _, body = _ask(gunicorn, b"GET / HTTP/9.9\r\nHost: localhost\r\n\r\n")
    assert status == 400
    assert "无法处理这次请求" in body


def test_what_passes_the_limits_is_answered_by_django(gunicorn):
    status, _, body = _ask(
        gunicorn,
        b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    assert (status, body) == (200, "ok")
