"""The guide beside the layouts in the admin: someone who sees only the
admin and the guide can write a new layout. Every key a definition may name
is listed with the label it prints, every part kind has an example that is
read as written, and each layout's first page is shown as a picture drawn
from it (kept, never shipped as a file)."""

import io
import json
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image

from declarations.layouts import guide, pictures
from declarations.layouts.builtin import documents
from declarations.layouts.catalogue import HEADER_FIELDS, OWN_FIELD_KINDS, ROW_FIELDS
from declarations.layouts.definition import (
    CONTEXT_NAMES,
    PART_KINDS,
    PAST_YEARS,
    SIDE_KINDS,
    read,
)
from declarations.models import TableLayout
from declarations.services.layouts import save_definition
from tests.factories import make_user

GUIDE = reverse("admin:declarations_tablelayout_guide")


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    return client


def picture_url(code):
    layout = TableLayout.objects.get(code=code)
    return reverse("admin:declarations_tablelayout_picture", args=[layout.pk])


def png_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_every_key_a_definition_may_name_is_listed_with_its_label(admin_client):
    page = admin_client.get(GUIDE).content.decode()
    keys = [*HEADER_FIELDS, *ROW_FIELDS, *CONTEXT_NAMES, *PAST_YEARS]
    keys += [*OWN_FIELD_KINDS, *SIDE_KINDS]
    for key in keys:
        assert f'data-key="{key}"' in page, key
    for spec in [*HEADER_FIELDS.values(), *ROW_FIELDS.values()]:
        assert spec.label in page
    for kind in PART_KINDS:
        assert f'id="part-{kind}"' in page, kind


def test_every_part_kind_has_an_example_that_is_read_as_written():
    examples = {part.kind: json.loads(part.json) for part in guide.part_kinds()}
    assert set(examples) == PART_KINDS
    for kind, example in examples.items():  # as the page prints it
        definition = read(guide.minimal(example))
        assert kind in [p.kind for p in definition.parts]


def test_the_whole_definition_to_start_from_is_read():
    definition = read(json.loads(guide.as_json(guide.STARTER)))
    assert [f.key for f in definition.fields] == ["overview"]


def test_the_guide_is_for_those_who_may_see_the_layouts(client, db):
    client.force_login(make_user("clerk", is_staff=True))
    assert client.get(GUIDE).status_code == 403
    assert client.get(picture_url("hebei")).status_code == 404
    client.force_login(make_user("preparer-x"))
    assert client.get(GUIDE).status_code == 302  # to the admin's login


def test_the_list_and_the_definition_editor_link_to_the_guide(admin_client):
    layout = TableLayout.objects.get(code="hebei")
    for url in [
        reverse("admin:declarations_tablelayout_changelist"),
        reverse("admin:declarations_tablelayout_change", args=[layout.pk]),
        reverse("admin:declarations_tablelayout_add"),
    ]:
        assert f'href="{GUIDE}"' in admin_client.get(url).content.decode(), url


def test_the_gallery_shows_every_shipped_layout_with_its_definition(admin_client):
    page = admin_client.get(GUIDE).content.decode()
    for code in documents():
        layout = TableLayout.objects.get(code=code)
        assert picture_url(code) in page
        download = reverse("admin:declarations_tablelayout_download", args=[layout.pk])
        assert f'href="{download}"' in page
        assert layout.name in page


@pytest.mark.parametrize("code", list(documents()))
def test_the_first_page_of_every_shipped_layout_is_drawn(code):
    started = time.perf_counter()
    data = pictures.draw(documents()[code])
    print(f"{code}: drawn in {time.perf_counter() - started:.2f} s")
    assert png_size(data)[0] == pictures.WIDTH


def test_a_picture_is_drawn_when_first_shown_then_kept(admin_client, monkeypatch):
    response = admin_client.get(picture_url("hebei"))
    assert response["Content-Type"] == "image/png"
    width, height = png_size(response.content)
    assert width == 600 and height > width  # an A4 page, upright
    assert default_storage.exists("layout-pictures/hebei-1.png")

    def refuse(document):
        raise AssertionError("drawn again")

    monkeypatch.setattr(pictures, "draw", refuse)
    assert admin_client.get(picture_url("hebei")).content == response.content


def test_a_layout_not_drawn_shows_a_note_instead(admin_client, monkeypatch):
    def broken(html):
        raise ValueError("no layout")

    monkeypatch.setattr("declarations.printing.render.html_to_pdf", broken)
    response = admin_client.get(picture_url("central"))
    assert response["Content-Type"] == "image/svg+xml"
    assert "没有画出来" in response.content.decode()
    page = admin_client.get(GUIDE).content.decode()
    assert "这个样式的第一页没有画出来" in page
    assert f'<img src="{picture_url("central")}"' not in page
    assert f'<img src="{picture_url("hebei")}"' in page


def test_a_saved_version_is_drawn_in_the_background(admin_client):
    layout = TableLayout.objects.get(code="hebei")
    pictures.picture(layout)  # version 1, as shown before
    saved = save_definition(layout, {**layout.definition, "name": "改名"}, by=None)
    pictures.saved(saved)
    task = DBTaskResult.objects.get(task_path=pictures.draw_saved.module_path)
    assert task.args_kwargs["args"] == [layout.pk, 2]

    pictures.draw_saved.call(layout.pk, 2)  # what the worker runs
    assert default_storage.exists("layout-pictures/hebei-2.png")
    assert not default_storage.exists("layout-pictures/hebei-1.png")


def test_saving_in_the_admin_asks_for_the_picture(admin_client):
    layout = TableLayout.objects.get(code="tianjin")
    admin_client.post(
        reverse("admin:declarations_tablelayout_change", args=[layout.pk]),
        {
            "document": json.dumps({**layout.definition, "name": "天津（改）"}),
            "opened_version": layout.version,
        },
    )
    task = DBTaskResult.objects.get(task_path=pictures.draw_saved.module_path)
    assert task.args_kwargs["args"] == [layout.pk, 2]
