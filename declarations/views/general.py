from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from declarations import selectors
from declarations.access import readable_organizations
from declarations.models import Organization


@require_GET
def home(request):
    memberships = selectors.memberships_of(request.user)
    organizations = readable_organizations(request.user).select_related("parent")
    return render(
        request,
        "declarations/home.html",
        {
            "memberships": memberships,
            "departments": [
                o for o in organizations if o.kind == Organization.Kind.DEPARTMENT
            ],
            "organizations": organizations,
        },
    )


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
