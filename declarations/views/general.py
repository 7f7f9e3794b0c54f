from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    ValidationError,
)
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from declarations import desk, logins, selectors
from declarations.access import readable_organizations
from declarations.fields import parse_year
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
    """The year asked for in the query string; any other text, the default."""
    try:
        return parse_year(asked) or default_year()
    except ValidationError:
        return default_year()


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


class LoginView(auth_views.LoginView):
    """Django's login page. A login refused by the lockout (declarations/logins.py)
    is answered with why and until when; a login remembers the browser."""

    def form_valid(self, form):
        response = super().form_valid(form)
        logins.remember_browser(response, self.request, form.get_user().get_username())
        return response

    def form_invalid(self, form):
        if refusal := getattr(self.request, "login_refusal", None):
            return locked_out(self.request, refusal)
        return super().form_invalid(form)


def locked_out(request, refusal: logins.Refusal):
    seconds = refusal.seconds()
    response = render(
        request,
        "registration/locked_out.html",
        {
            "refusal": refusal,
            "seconds": seconds,
            "pair_limit": settings.LOGIN_PAIR_LIMIT,
            "window": settings.LOGIN_WINDOW_MINUTES,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
