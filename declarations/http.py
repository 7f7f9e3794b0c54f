"""What the views share about HTTP: file downloads, the posted version,
and no caching of what a logged-in user sees."""

from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from declarations.fields import parse_id


def private_responses(get_response):
    """Middleware: a page, PDF or export seen after logging in is never kept
    by the browser or a proxy (Cache-Control: private, no-store …), so the
    next person at a shared office PC cannot bring it back."""

    def middleware(request):
        response = get_response(request)
        if getattr(request, "user", None) and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware


def explained_refusals(get_response):
    """Middleware: Django answers a request with the wrong method (a GET of
    the logout, a refresh of a page that only takes a post) with an empty
    405; it gets a page in Chinese instead, keeping the Allow header."""

    def middleware(request):
        response = get_response(request)
        if response.status_code == 405 and not (response.streaming or response.content):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    return middleware


def client_address(request) -> str | None:
    """The address a request came from. Behind the proxy (BEHIND_PROXY), the
    last X-Forwarded-For entry: the one the proxy itself added, which the
    client cannot forge (what a client sends is to its left). Without it
    every user would seem to come from the proxy, and a lock of one
    address would lock out everybody."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if last := forwarded.rsplit(",", 1)[-1].strip():
            return last
    return request.META.get("REMOTE_ADDR")


def file_response(data: bytes, filename: str, content_type: str, *, download=True):
    """A file for the browser to save (or, with download=False, to show),
    under a Chinese file name that every browser reads (RFC 6266)."""
    response = HttpResponse(data, content_type=content_type)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(filename)}"
    )
    return response


def posted_version(request) -> int:
    """The version the page was opened at, as its form posts it back; a
    missing or garbled one matches no version, so the save is refused."""
    version = parse_id(request.POST.get("version", ""))
    return -1 if version is None else version


def ids_of(values, *, most: int) -> list[int]:
    """The ids of a ticked list (a form's checkboxes, a query string's
    comma-separated list), at most `most` of them. An id that is not ASCII
    digits within a row id's range is no slip of a user: the request is
    answered with the 400 page (`²` passes isdigit() and fails int(); a
    5,000-digit id fails int() or the database)."""
    ids = []
    for value in values[:most]:
        number = parse_id(value)
        if number is None:
            raise BadRequest("not an id")
        ids.append(number)
    return ids


def render_versioned(request, template, context, *, record, stale=None):
    """A page that saves a versioned record; 409 when the save was refused
    as stale. A refused save keeps the version it was opened at, so saving
    again is refused too until the user opens the latest version."""
    return render(
        request,
        template,
        {
            **context,
            "stale": stale,
            "version": request.POST.get("version", record.version),
        },
        status=409 if stale else 200,
    )
