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
