"""gunicorn's settings: `gunicorn config.wsgi -c config/gunicorn.py …`, as
`make serve`, `make loadtest` and the systemd unit run it.

gunicorn answers a few requests itself, before Django sees them: a request
line (the URL) longer than limit_request_line (414), a header longer than
limit_request_field_size or more than limit_request_fields of them (431), a
request it cannot parse (400). Its own pages are in English; here they are
our Chinese pages of static/errors/, which nginx shows for its own refusals
too (README, nginx). The parser's detail still goes to gunicorn's log.
"""

from pathlib import Path

from gunicorn import util

# As long as nginx's buffers (large_client_header_buffers 4 8k) let through,
# so that what passes nginx is answered by Django: 8,190 is gunicorn's most.
limit_request_line = 8190
limit_request_field_size = 8190
limit_request_fields = 100

ERROR_PAGES = Path(__file__).resolve().parent.parent / "static" / "errors"
_pages = {int(page.stem): page.read_bytes() for page in ERROR_PAGES.glob("*.html")}


def _page(status: int) -> bytes:
    return _pages.get(status) or _pages[500 if status >= 500 else 400]


def write_error(sock, status_int, reason, mesg):
    """gunicorn's `util.write_error` with our page for the status."""
    page = _page(status_int)
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(page)}\r\n"
        "\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + page)


# Every worker class writes its error answers through this one function
# (gunicorn.workers.base.Worker.handle_error); the workers fork from the
# process that read this file, so they all have it.
util.write_error = write_error
