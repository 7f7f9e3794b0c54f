"""Text no database can hold: a NUL (PostgreSQL refuses it in text and in
jsonb) and a lone surrogate (no UTF-8 writes it). A form's text is cleaned
of both as it comes in; JSON typed in the admin can still write them as
\\u0000 and \\ud800, so a layout's definition and a declaration's JSON
fields refuse them with a message naming the field and the character,
where they gave a 500 from PostgreSQL (issue 32). Run with DATABASE_URL
set to PostgreSQL as well."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from declarations.fields import unstorable_in
from declarations.layouts.builtin import documents
from declarations.models import Declaration, TableLayout
from declarations.spreadsheet import importing
from declarations.text import clean_text
from tests.declarations.test_admin import _as_posted
from tests.declarations.test_field_rules import preview
from tests.declarations.test_side_tables import COUNTY
from tests.factories import make_declaration, make_user, use_layout

NUL, SURROGATE = "\\u0000", "\\ud800"  # as JSON writes them


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    return client


def _layout_post(client, text, **more):
    layout = TableLayout.objects.get(code="hebei")
    return client.post(
        reverse("admin:declarations_tablelayout_change", args=[layout.pk]),
        {"document": text, "opened_version": layout.version, **more},
    )


def _hebei_text() -> str:
    return json.dumps(documents()["hebei"], ensure_ascii=False, indent=2)


@pytest.mark.parametrize(
    "escape, named",
    [(NUL, "U+0000（空字符）"), (SURROGATE, "U+D800（不成对的代理字符）")],
)
@pytest.mark.parametrize(
    "where, old, new",
    [
        ("name", '"name": "', '"name": "{}'),
        ("parts[0].text", '"text": "', '"text": "{}'),
        ("定义：有一个名称", '"name": ', '"x{}": 1, "name": '),
    ],
)
def test_a_layout_with_a_nul_or_a_lone_surrogate_is_refused_naming_both(
    admin_client, escape, named, where, old, new
):
    before = TableLayout.objects.get(code="hebei")
    text = _hebei_text().replace(old, new.format(escape), 1)
    response = _layout_post(admin_client, text)
    page = response.content.decode()
    assert response.status_code == 200
    assert where in page and named in page
    after = TableLayout.objects.get(code="hebei")
    assert (after.version, after.definition) == (before.version, before.definition)


def test_a_raw_nul_in_a_layout_says_its_line_and_column(admin_client):
    text = _hebei_text().replace('"name": "', '"name": "\x00', 1)
    page = _layout_post(admin_client, text).content.decode()
    line = text[: text.index("\x00")].count("\n") + 1
    assert f"定义第 {line} 行" in page and "U+0000（空字符）" in page


def test_an_uploaded_layout_with_an_escaped_nul_is_refused(admin_client):
    text = _hebei_text().replace('"name": "', f'"name": "{NUL}', 1)
    upload = SimpleUploadedFile("hebei.json", text.encode(), "application/json")
    response = _layout_post(admin_client, "", upload=upload)
    assert "U+0000（空字符）" in response.content.decode()


@pytest.mark.parametrize(
    "name, text",
    [
        ("spending_plan", f'[[3, "25{NUL}"], [12, "100"]]'),
        ("income_split", f'[["公共{SURROGATE}财政拨款", "1.00"]]'),
        ("extra", f'{{"overview": "概况{NUL}"}}'),
        ("extra", f'{{"overview{SURROGATE}": "概况"}}'),
        ("extra", '{"overview": NaN}'),
        ("extra", "[" * 50_000 + "]" * 50_000),
    ],
)
def test_the_declaration_admin_refuses_what_jsonb_cannot_hold(
    admin_client, unit, name, text
):
    declaration = make_declaration(unit)
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    data = _as_posted(admin_client.get(url))
    response = admin_client.post(url, {**data, name: text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "U+" in page or "NaN、Infinity 或嵌套过深" in page
    stored = Declaration.objects.get(pk=declaration.pk)
    assert stored.version == declaration.version


def test_the_declaration_admin_still_saves_ordinary_json(admin_client, unit):
    declaration = make_declaration(use_layout(unit, "hebei"))
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    data = _as_posted(admin_client.get(url))
    plan = '[[3, "25"], [6, "50"], [10, "75.5"], [12, "100"]]'
    response = admin_client.post(url, {**data, "spending_plan": plan})
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.spending_plan == [
        [3, "25.00"],
        [6, "50.00"],
        [10, "75.50"],
        [12, "100.00"],
    ]


def test_the_walk_names_the_first_bad_string_without_recursion():
    deep = []
    inner = deep
    for _ in range(5000):
        inner.append([])
        inner = inner[0]
    inner.append("a\x00")
    assert "U+0000" in unstorable_in({"parts": deep})
    assert unstorable_in({"a": ["b", {"c": 1.5}]}) == ""


def test_clean_text_drops_lone_surrogates():
    assert clean_text("甲\ud800乙\udfff") == "甲乙"


@pytest.mark.parametrize("escape", [NUL, SURROGATE])
def test_a_side_table_cell_with_an_escaped_nul_or_surrogate_imports_clean(
    client, unit, preparer, escape
):
    from declarations.services.layouts import save_definition

    save_definition(TableLayout(code="county"), COUNTY, by=None)
    declaration = make_declaration(use_layout(unit, "county"), preparer)
    client.force_login(preparer)
    row = '{"实施内容": "登记' + escape + '", "开始时间": "", "完成时间": ""}'
    cell = f"[{row}]"
    plan = preview(client, declaration, "项目实施进度计划", cell)
    assert plan.blocking == []
    importing.apply(plan, preparer)
    declaration.refresh_from_db()
    assert declaration.extra["schedule"] == [
        {"content": "登记", "start": "", "end": ""}
    ]


def test_an_organization_import_with_a_nul_is_read_clean(db):
    """The admin's own import (django-import-export) of organizations."""
    import tablib

    from declarations.models import Organization
    from declarations.resources import OrganizationResource

    data = tablib.Dataset(
        headers=[
            "代码",
            "名称",
            "类型（department/unit）",
            "上级主管部门代码",
            "申报表样式代码（如 hebei、central）",
            "资金支出计划节点（月）",
        ]
    )
    data.append(["301\x00", "某市\x00医疗保障局\ud800", "department", "", "hebei", ""])
    result = OrganizationResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Organization.objects.get(code="301").name == "某市医疗保障局"
