"""What the views share about HTTP: file downloads, the posted version,
and no caching of what a logged-in user sees."""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


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
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


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
