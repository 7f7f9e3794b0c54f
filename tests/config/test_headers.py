"""Headers on what a logged-in user sees: nothing kept by a shared office
PC's browser, no referrer to other sites, no content sniffing."""

import pytest
from django.urls import reverse

from tests.factories import make_declaration


@pytest.fixture
def declaration(unit, preparer):
    return make_declaration(unit, preparer)


@pytest.mark.parametrize(
    "url",
    [
        lambda d: reverse("declaration_detail", args=[d.pk]),
        lambda d: reverse("declaration_pdf", args=[d.pk]),
        lambda d: reverse("declaration_export") + "?format=xlsx",
        lambda d: reverse("declaration_export") + "?format=csv",
    ],
    ids=["page", "pdf", "xlsx", "csv"],
)
def test_what_a_logged_in_user_sees_is_never_cached(client, preparer, declaration, url):
    client.force_login(preparer)
    response = client.get(url(declaration))
    assert response.status_code == 200
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_run_only_this_sites_own_scripts_and_styles(
    client, preparer, declaration
):
    client.force_login(preparer)
    response = client.get(reverse("declaration_detail", args=[declaration.pk]))
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_login_page_has_the_policy_too(client):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
