"""Every URL of the app that names an object, walked by someone of another
department: nothing but 404 (not found) or 403/405 (not allowed)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from declarations.models import DepartmentGoals
from declarations.services import workflow
from tests.factories import make_declaration, make_user

STEPS = ["basic", "funds", "duties", "goals", "indicators"]
# Which object a URL's pk names, when it is not a declaration.
OBJECT_OF = {
    "department_goals": "goals",
    "department_book": "department",
    "department_book_docx": "department",
}
# URLs that name a declaration and one of its parts.
PART_OF = {"row_comment_answer": ("returned", "row_comment")}


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue  # the admin needs is_staff; tested on its own
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _urls_naming_an_object(objects):
    urls = []
    for _, entry in _patterns():
        names = set(entry.pattern.converters)
        if not names:
            continue  # lists and forms: they show only the user's own data
        pk = objects[OBJECT_OF.get(entry.name, "declaration")]
        if entry.name in PART_OF:
            owner, part = PART_OF[entry.name]
            kwargs = {"pk": objects[owner], "comment_pk": objects[part]}
            urls.append(reverse(entry.name, kwargs=kwargs))
        elif names == {"pk"}:
            urls.append(reverse(entry.name, kwargs={"pk": pk}))
        elif names == {"pk", "step"}:
            urls += [reverse(entry.name, kwargs={"pk": pk, "step": s}) for s in STEPS]
        elif names == {"pk", "year"}:
            urls.append(reverse(entry.name, kwargs={"pk": pk, "year": 2024}))
        elif names == {"token"}:  # another user's zip of PDFs
            urls.append(reverse(entry.name, kwargs={"token": objects["pack"]}))
        else:
            raise AssertionError(f"teach the walk the arguments of {entry.name}")
    return urls


@pytest.fixture
def declaration(unit, preparer, reviewer):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    return declaration


@pytest.fixture
def objects(declaration, department, unit, preparer, reviewer):
    goals = DepartmentGoals.objects.create(organization=department, year=2024)
    returned = make_declaration(unit, preparer, project_code="RETURNED")
    workflow.submit(returned, by=preparer)
    event = workflow.return_for_revision(
        returned, by=reviewer, comment="", row_comments={1: "请核实"}
    )
    from declarations.printing import packs

    packs.keep_pack("reviewers0pack", b"PK")  # the reviewer's zip of PDFs
    return {
        "pack": "reviewers0pack",
        "declaration": declaration.pk,
        "goals": goals.pk,
        "department": department.pk,
        "returned": returned.pk,
        "row_comment": event.row_comments.get().pk,
    }


def test_the_walk_covers_every_object_url(declaration, objects):
    urls = set(_urls_naming_an_object(objects))
    pk = declaration.pk
    assert {
        f"/declarations/{pk}/",
        f"/declarations/{pk}/edit/indicators/",
        f"/declarations/{pk}/submit/",
        f"/declarations/{pk}/withdraw/",
        f"/declarations/{pk}/review/",
        f"/declarations/{pk}/reopen/",
        f"/declarations/{pk}/copy-next-year/",
        f"/declarations/{pk}/pdf/",
        f"/department/goals/{objects['goals']}/",
        f"/department/{objects['department']}/book/2024/pdf/",
        f"/declarations/{objects['returned']}/comments/{objects['row_comment']}/answer/",
    } <= urls


@pytest.mark.parametrize("who", ["preparer", "reviewer"])
def test_users_of_another_department_get_only_404_or_403(
    client, declaration, objects, other_unit, other_department, who
):
    organization = other_unit if who == "preparer" else other_department
    client.force_login(make_user("stranger", who, organization))
    for url in _urls_naming_an_object(objects):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            # 405: the wrong method for that URL, refused before any lookup.
            assert status in {403, 404, 405}, (method, url, status)
    declaration.refresh_from_db()
    assert declaration.status == "submitted"
    assert declaration.events.count() == 1
    from declarations.models import RowComment

    assert RowComment.objects.get(pk=objects["row_comment"]).answer == ""
