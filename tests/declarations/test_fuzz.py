"""Hostile input, generated: every form, the review POSTs and the import.

Whatever hypothesis sends, the answer is never a 500 (the test client
raises the server's exception); a refusal says why on the page and writes
nothing; what is saved holds no control character. Each test starts from
the form as the page fills it and replaces a few fields with hostile text,
numbers or counts, so that most examples get past the first check.

CI runs a fixed number of examples from a fixed seed (the "ci" profile of
tests/conftest.py); `HYPOTHESIS_PROFILE=thorough make test` runs many more.
"""

import csv
import io
import re

import pytest
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from declarations.models import Declaration, DepartmentGoals, Status
from declarations.services import workflow
from declarations.snapshots import snapshot
from declarations.spreadsheet.columns import HEADERS
from tests.declarations.test_exchange import _row
from tests.factories import make_declaration, make_user

TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]), max_size=20),
    st.sampled_from(
        [
            "\x00",
            "行一\x0b行二",
            "a\r\nb\rc",
            '=HYPERLINK("http://evil","点我")',
            "<script>alert(1)</script>",
            "{{ request.user }}{% debug %}",
            "' OR 1=1 --",
            "\u202e倒序\ufeff",
        ]
    ),
    st.integers(0, 6000).map(lambda n: "用" * n),
)
NUMBER = st.one_of(
    st.decimals().map(str),
    st.floats().map(repr),
    st.integers().map(str),
    st.sampled_from(["NaN", "Infinity", "-inf", "1e309", "1e20", "１２", "-0", ""]),
    TEXT,
)
COUNT = st.one_of(st.integers(-5, 10**6).map(str), TEXT)
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fields(context) -> dict:
    """What the page's forms would post as they stand."""
    data, seen = {}, set()
    values = [v for each in context for v in each.flatten().values()]
    for value in values:
        if isinstance(value, BaseForm | BaseFormSet) and id(value) not in seen:
            seen.add(id(value))
            data.update(_posted(value))
    return data


def _posted(form) -> dict:
    if isinstance(form, BaseFormSet):
        data = _posted(form.management_form)
        for each in form.forms:
            data.update(_posted(each))
        return data
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = "" if value is None else str(value)
    return data


def _hostile(draw, data: dict) -> dict:
    """`data` with a few of its fields, and maybe a stray one, made hostile."""
    posted = dict(data)
    names = sorted(posted)
    for name in draw(st.lists(st.sampled_from(names), max_size=6, unique=True)):
        if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "version")):
            posted[name] = draw(COUNT)
        elif re.fullmatch(r"-?\d+(\.\d+)?", str(posted[name])):
            posted[name] = draw(NUMBER)
        else:
            posted[name] = draw(TEXT)
    posted.update(draw(st.dictionaries(TEXT.filter(bool), TEXT, max_size=2)))
    return posted


def _refused_with_a_message(response) -> bool:
    page = response.content.decode()
    return any(
        mark in page
        for mark in ("alert-danger", "alert-warning", "invalid-feedback", "is-invalid")
    )


def _texts(declaration) -> list[str]:
    content = snapshot(declaration)
    return [
        *content["fields"].values(),
        *content["goals"],
        *(cell for row in content["rows"] for cell in row),
    ]


def _draft(unit, preparer) -> Declaration:
    """The same fresh draft for every example: what the page offers, and so
    what hypothesis draws, must not depend on the examples before."""
    Declaration.objects.filter(project_code="FUZZ").delete()
    return make_declaration(unit, preparer, project_code="FUZZ")


def _answer(client, url, posted, record):
    """Posts; a refusal says why and leaves `record` as it was."""
    before = snapshot(record), record.version
    response = client.post(url, posted)
    assert response.status_code in (200, 302, 400, 409), response.status_code
    record.refresh_from_db()
    if response.status_code != 302:
        assert _refused_with_a_message(response)
        assert (snapshot(record), record.version) == before
    assert not any(CONTROLS.search(text) for text in _texts(record))
    return response


@pytest.mark.parametrize("step", ["basic", "funds", "goals", "indicators"])
@given(data=st.data())
def test_entry_steps_answer_any_input_with_a_save_or_a_message(
    client, preparer, unit, step, data
):
    _post_a_step(client, preparer, _draft(unit, preparer), step, data)


def _post_a_step(client, preparer, declaration, step, data):
    """One entry step posted as its page fills it, with a few fields hostile."""
    client.force_login(preparer)
    url = reverse("declaration_step", args=[declaration.pk, step])
    page = client.get(url)
    posted = _hostile(
        data.draw, {**_fields(page.context), "version": declaration.version}
    )
    _answer(client, url, posted, declaration)


def _department_wide(department):
    from declarations.models import DeclarationKind
    from declarations.services import drafts

    preparer = _department_preparer(department)
    Declaration.objects.filter(organization=department).delete()
    declaration = drafts.create_declaration(
        department,
        by=preparer,
        fields={"kind": DeclarationKind.DEPARTMENT_WIDE, "year": 2024},
    )
    return declaration, preparer


def _department_preparer(department):
    membership = department.memberships.filter(role="preparer").first()
    if membership:
        return membership.user
    return make_user("dept-fuzz", "preparer", department)


@pytest.mark.parametrize("step", ["basic", "funds", "duties", "goals", "indicators"])
@given(data=st.data())
def test_department_wide_steps_answer_any_input_with_a_save_or_a_message(
    client, department, step, data
):
    declaration, preparer = _department_wide(department)
    _post_a_step(client, preparer, declaration, step, data)


@given(data=st.data())
def test_reopening_with_any_reason_reopens_or_says_why(
    client, preparer, reviewer, unit, data
):
    declaration = _draft(unit, preparer)
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="优")
    client.force_login(reviewer)
    response = client.post(
        reverse("declaration_reopen", args=[declaration.pk]),
        {"reason": data.draw(TEXT)},
        follow=True,
    )
    assert response.status_code == 200
    declaration.refresh_from_db()
    if declaration.status == Status.APPROVED:
        assert _refused_with_a_message(response)
    for event in declaration.events.all():
        assert not CONTROLS.search(event.comment)


@given(data=st.data())
def test_new_declarations_are_made_or_refused_with_a_message(
    client, preparer, unit, data
):
    client.force_login(preparer)
    url = reverse("declaration_new")
    page = client.get(url)
    count = Declaration.objects.count()
    response = client.post(url, _hostile(data.draw, _fields(page.context)))
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert _refused_with_a_message(response)
        assert Declaration.objects.count() == count
    for declaration in Declaration.objects.all():
        assert not any(CONTROLS.search(text) for text in _texts(declaration))


@given(data=st.data())
def test_department_goals_are_saved_or_refused_with_a_message(client, department, data):
    preparer = _department_preparer(department)
    DepartmentGoals.objects.filter(organization=department).delete()
    goals = DepartmentGoals.objects.create(organization=department, year=2024)
    client.force_login(preparer)
    url = reverse("department_goals", args=[goals.pk])
    page = client.get(url)
    posted = _hostile(data.draw, {**_fields(page.context), "version": goals.version})
    before = goals.version
    response = client.post(url, posted)
    assert response.status_code in (200, 302, 400, 409)
    goals.refresh_from_db()
    if response.status_code != 302:
        assert _refused_with_a_message(response)
        assert goals.version == before
    assert not CONTROLS.search(goals.overall)


@given(data=st.data())
def test_review_posts_decide_or_say_why(client, preparer, reviewer, unit, data):
    declaration = _draft(unit, preparer)
    workflow.submit(declaration, by=preparer)
    rows = list(declaration.indicators.values_list("pk", flat=True))
    posted = {
        "decision": data.draw(st.one_of(st.sampled_from(["approve", "return"]), TEXT)),
        "grade": data.draw(
            st.one_of(st.sampled_from(["优", "良", "中", "差", ""]), TEXT)
        ),
        "comment": data.draw(TEXT),
    }
    keys = st.one_of(st.sampled_from(rows).map(str), TEXT)
    for key, text in data.draw(st.dictionaries(keys, TEXT, max_size=3)).items():
        posted[f"row_comment_{key}"] = text
    client.force_login(reviewer)
    response = client.post(reverse("review", args=[declaration.pk]), posted)
    assert response.status_code in (200, 302, 400)
    declaration.refresh_from_db()
    if response.status_code != 302:
        assert _refused_with_a_message(response)
        assert declaration.status == Status.SUBMITTED
    else:
        assert declaration.status in (Status.APPROVED, Status.RETURNED)
    for event in declaration.events.all():
        assert not CONTROLS.search(event.comment)


def _cells(draw) -> list[list]:
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = dict(zip(HEADERS, _row(), strict=True))
        for header in draw(st.lists(st.sampled_from(HEADERS), max_size=4, unique=True)):
            row[header] = draw(st.one_of(TEXT, NUMBER, st.integers(), st.floats()))
        rows.append([row[h] for h in HEADERS])
    return rows


def _file(draw) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["xlsx", "csv", "bytes"]))
    if kind == "bytes":
        name = draw(st.sampled_from(["x.xlsx", "x.csv", "x.txt", "x"]))
        return draw(st.binary(max_size=3000)), name
    rows = _cells(draw)
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([HEADERS, *rows])
        return out.getvalue().encode("utf-8"), "x.csv"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        # What Excel cannot hold, a real file cannot carry either.
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), "x.xlsx"


@given(data=st.data())
def test_imports_preview_or_say_why_and_land_whole_or_not_at_all(
    client, preparer, unit, data
):
    content, name = _file(data.draw)
    client.force_login(preparer)
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post(reverse("declaration_import"), {"file": upload})
    assert response.status_code == 200
    plan = response.context.get("import_plan")
    if plan is None:
        assert _refused_with_a_message(response)
        return
    before = Declaration.objects.count()
    confirmed = client.post(
        reverse("declaration_import_confirm"),
        {"token": response.context["token"]},
        follow=True,
    )
    assert confirmed.status_code == 200
    landed = "导入完成" in confirmed.content.decode()
    assert landed == (not plan.blocking)
    assert Declaration.objects.count() == before + (plan.count_create if landed else 0)
    for declaration in Declaration.objects.all():
        assert not any(CONTROLS.search(text) for text in _texts(declaration))
