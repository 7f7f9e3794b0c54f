"""Ids and years from a request are read strictly: ASCII digits within a
row id's (or a year's) range, else a 400 page in Chinese, a 404 or a
message, never a 500. `²` passes isdigit() and fails int(); a 5,000-digit id
fails int(), and a 25-digit one overflows SQLite (OverflowError) and
PostgreSQL (out of range). Findings of issue 32."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from declarations.fields import (
    MAX_ID,
    YEAR_MESSAGE,
    parse_id,
    parse_year,
    whole_number,
)
from declarations.models import DeclarationEvent, Status, default_year
from declarations.services import workflow
from tests.factories import make_declaration, make_user

HUGE = "9" * 5000
PAST_BIGINT = str(2**63)  # 19 digits, one past the largest id
TWENTY_FIVE = "9" * 25
BAD_IDS = ["²", "٣", HUGE, PAST_BIGINT, TWENTY_FIVE, "0", "-1", "1.0", " ", "1e3"]


@pytest.mark.parametrize("value", BAD_IDS)
def test_what_is_no_id_is_none(value):
    assert parse_id(value) is None


def test_an_id_is_ascii_digits_up_to_the_largest_bigint():
    assert parse_id("7") == 7
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert whole_number("12", 1, 10) is None


@pytest.mark.parametrize("ids", [["²"], [HUGE], [TWENTY_FIVE], [PAST_BIGINT], ["-3"]])
@pytest.mark.parametrize("url_name", ["review_batch", "review_batch_pdfs"])
def test_a_batch_with_an_id_that_is_no_id_is_a_400_in_chinese(
    client, reviewer, unit, preparer, url_name, ids
):
    table = make_declaration(unit, preparer)
    workflow.submit(table, by=preparer)
    client.force_login(reviewer)
    response = client.post(
        reverse(url_name),
        {
            "declaration": [str(table.pk), *ids],
            "decision": "approve",
            "grade": "良",
            "back": "/declarations/",
        },
    )
    assert response.status_code == 400
    assert "无法处理这次请求" in response.content.decode()
    table.refresh_from_db()
    assert table.status == Status.SUBMITTED
    assert not DeclarationEvent.objects.filter(action="approve").exists()


@pytest.mark.parametrize("selected", ["²", HUGE, TWENTY_FIVE, "1,²"])
def test_the_list_ticked_again_with_an_id_that_is_no_id_is_a_400(
    client, preparer, unit, selected
):
    make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.get(reverse("declaration_list"), {"selected": selected})
    assert response.status_code == 400


def test_the_list_ticks_again_the_ids_it_is_given(client, reviewer, unit, preparer):
    table = make_declaration(unit, preparer)
    workflow.submit(table, by=preparer)
    client.force_login(reviewer)
    page = client.get(reverse("declaration_list"), {"selected": f"{table.pk}"})
    assert page.status_code == 200
    assert page.context["selected"] == {table.pk}


@pytest.mark.parametrize("level2", ["²", HUGE, TWENTY_FIVE, PAST_BIGINT])
def test_suggestions_for_a_level_that_is_no_id_ask_for_the_level(
    client, preparer, unit, level2
):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.get(
        reverse("indicator_suggestions", args=[declaration.pk]), {"level2": level2}
    )
    assert response.status_code == 200
    assert response.json()["message"] == "请先选择二级指标。"


@pytest.mark.parametrize("year", ["²", "٢٠٢٥", HUGE, "99999", "1999", "2025.0"])
def test_the_desk_of_a_year_that_is_no_year_is_this_years(client, preparer, year):
    client.force_login(preparer)
    response = client.get(reverse("home"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == default_year()


def test_a_year_is_four_digits_from_2000_to_2100_full_width_too():
    assert parse_year("2025") == parse_year("２０２５") == 2025
    assert parse_year("") is None


@pytest.mark.parametrize("pk", [HUGE, TWENTY_FIVE, PAST_BIGINT, "0"])
@pytest.mark.parametrize(
    "path, method",
    [
        ("/declarations/{pk}/", "get"),
        ("/declarations/{pk}/pdf/", "get"),
        ("/declarations/{pk}/docx/", "get"),
        ("/declarations/{pk}/edit/basic/", "get"),
        ("/declarations/{pk}/review/", "get"),
        ("/declarations/{pk}/submit/", "post"),
        ("/declarations/1/comments/{pk}/answer/", "post"),
        ("/notifications/{pk}/open/", "post"),
        ("/department/goals/{pk}/", "get"),
        ("/department/{pk}/book/2025/pdf/", "get"),
    ],
)
def test_an_id_in_a_path_that_no_row_can_have_is_a_404(
    client, reviewer, path, method, pk
):
    client.force_login(reviewer)
    response = getattr(client, method)(path.format(pk=pk))
    assert response.status_code == 404


@pytest.mark.parametrize("year", ["99999", "0999", "1999", "2101", "²０２５"])
def test_a_book_of_a_year_that_is_no_year_is_a_404(client, reviewer, department, year):
    client.force_login(reviewer)
    response = client.get(f"/department/{department.pk}/book/{year}/pdf/")
    assert response.status_code == 404


@pytest.mark.parametrize("pk", [HUGE, TWENTY_FIVE])
def test_a_layout_download_of_an_id_no_row_can_have_is_not_found(client, db, pk):
    """Not a download: the admin's own catch-all then says that no layout
    has the id."""
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    for path in (
        f"/admin/declarations/tablelayout/{pk}/download/",
        f"/admin/declarations/tablelayout/1/versions/{pk}/download/",
    ):
        response = client.get(path, follow=True)
        assert response.status_code == 200
        assert "不存在" in response.content.decode()


@pytest.mark.parametrize("number", [HUGE, TWENTY_FIVE, "²"])
def test_a_row_comment_on_a_row_number_that_is_no_number_is_not_a_500(
    client, unit, preparer, reviewer, number
):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    client.force_login(reviewer)
    # Url-encoded: a multipart part's header caps a field's name first.
    response = client.post(
        reverse("review", args=[declaration.pk]),
        urlencode(
            {
                "decision": "return",
                "comment": "请核实",
                f"row_comment_{number}": "此行有误",
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302)


# "١" is an Arabic-Indic 1: int() reads it, and it matched version 1.
@pytest.mark.parametrize("version", ["١", "²", HUGE, TWENTY_FIVE])
def test_a_posted_version_that_is_no_number_is_a_stale_save(
    client, preparer, unit, version
):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.post(
        reverse("declaration_step", args=[declaration.pk, "basic"]),
        {
            "version": version,
            "year": declaration.year,
            "project_name": "改过的名称",
        },
    )
    assert response.status_code == 409
    declaration.refresh_from_db()
    assert declaration.project_name != "改过的名称"


@pytest.mark.parametrize("year", ["٢٠٢٥", "²", HUGE, "1999"])
def test_the_lists_year_filter_reads_a_year_as_every_door_does(
    client, preparer, unit, year
):
    make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.get(reverse("declaration_list"), {"year": year})
    assert response.status_code == 200
    assert YEAR_MESSAGE in response.content.decode()
