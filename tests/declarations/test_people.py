"""Names as a Chinese office writes them: family name first, no space."""

from django.urls import reverse

from declarations.people import full_name
from declarations.services import workflow
from tests.factories import make_declaration, make_user


def test_a_chinese_name_is_family_name_first(db):
    user = make_user("wxh", first_name="小红", last_name="王")
    assert full_name(user) == "王小红"


def test_a_latin_name_keeps_its_order_and_no_name_is_the_user_name(db):
    assert full_name(make_user("js", first_name="John", last_name="Smith")) == (
        "John Smith"
    )
    assert full_name(make_user("nobody")) == "nobody"


def test_pages_name_people_family_name_first(client, unit, reviewer):
    preparer = make_user("wxh", "preparer", unit, first_name="小红", last_name="王")
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    client.force_login(preparer)
    home = client.get(reverse("home")).content.decode()
    assert "您好，王小红" in home and "小红 王" not in home
    detail = client.get(reverse("declaration_detail", args=[declaration.pk]))
    assert "王小红" in detail.content.decode()
