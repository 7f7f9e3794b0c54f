from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from declarations import desk, selectors
from declarations.access import readable_organizations
from declarations.models import default_year
from declarations.spreadsheet.files import human_size


@require_GET
def home(request):
    """The desk: what needs the preparer, the reviewer's year at a glance."""
    year = _year(request.GET.get("year"))
    return render(
        request,
        "declarations/home.html",
        {
            "year": year,
            "preparer": desk.preparer_desk(request.user, year),
            "reviewer": desk.reviewer_desk(request.user, year),
            "memberships": selectors.memberships_of(request.user),
            # An administrator reviews nowhere: the organizations instead.
            "organizations": readable_organizations(request.user).select_related(
                "parent"
            )
            if request.user.is_superuser
            else [],
        },
    )


def _year(asked: str | None) -> int:
    try:
        year = int(asked or "")
    except ValueError:
        return default_year()
    return year if 2000 <= year <= 2100 else default_year()


@login_not_required
@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def not_found(request, exception=None):
    """Anonymous visitors learn nothing about which URLs exist: they log in first."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "404.html", status=404)


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@login_not_required
def bad_request(request, exception=None):
    """A post past the limits is the one bad request a user makes by typing:
    say how to keep what was typed."""
    return render(
        request,
        "400.html",
        {
            "too_large": isinstance(exception, RequestDataTooBig),
            "too_many": isinstance(exception, TooManyFieldsSent),
            "limit": human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
            "fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        },
        status=400,
    )


@login_not_required
def locked_out(request, original_response=None, credentials=None):
    """django-axes's answer to a login after too many wrong passwords."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": settings.LOGIN_LOCKOUT_MINUTES,
        },
        status=429,
    )
