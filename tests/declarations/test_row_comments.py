"""A reviewer's comment on a row stands beside that row, for the preparer
while fixing it and for the reviewer on the next look, with the preparer's
answer, until an approval settles it."""

import pytest
from django.urls import reverse

from declarations.models import RowComment
from declarations.services import workflow
from tests.factories import make_declaration


@pytest.fixture
def returned(unit, preparer, reviewer):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    workflow.return_for_revision(
        declaration, by=reviewer, comment="", row_comments={4: "业务经费应低于预算"}
    )
    return declaration


def _answer(client, declaration, text):
    comment = RowComment.objects.get()
    url = reverse("row_comment_answer", args=[declaration.pk, comment.pk])
    return client.post(url, {"answer": text})


def test_the_comment_stands_beside_its_row_on_the_edit_page_even_moved(
    client, preparer, returned
):
    # The preparer moves the commented row (业务经费) to the top first.
    rows = list(returned.indicators.all())
    for i, row in enumerate([rows[3], *rows[:3], *rows[4:]]):
        row.position = i + 1
        row.save()
    client.force_login(preparer)
    page = client.get(reverse("declaration_step", args=[returned.pk, "indicators"]))
    comments = page.context["comments_by_prefix"]
    assert list(comments) == ["indicators-0"]
    assert "业务经费应低于预算" in page.content.decode()


def test_the_preparer_answers_and_the_reviewer_reads_it_beside_the_row(
    client, preparer, reviewer, returned
):
    client.force_login(preparer)
    response = _answer(client, returned, "已按预算调整为 ≤30万元")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#row-comment-{RowComment.objects.get().pk}")
    comment = RowComment.objects.get()
    assert (comment.answer, comment.answered_by) == ("已按预算调整为 ≤30万元", preparer)
    workflow.submit(returned, by=preparer)

    client.force_login(reviewer)
    review = client.get(reverse("review", args=[returned.pk])).content.decode()
    assert "业务经费应低于预算" in review and "已按预算调整为 ≤30万元" in review
    # The reviewer reads it; only the preparer may answer.
    assert _answer(client, returned, "审核人不能答复").status_code == 403


def test_an_answer_after_resubmitting_is_refused_with_a_message(
    client, preparer, returned
):
    workflow.submit(returned, by=preparer)
    client.force_login(preparer)
    response = _answer(client, returned, "晚了")
    assert response.status_code == 302
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "申报表已提交，不能再答复审核意见" in page
    assert RowComment.objects.get().answer == ""


def test_an_approval_settles_the_comments(client, preparer, reviewer, returned):
    workflow.submit(returned, by=preparer)
    workflow.approve(returned, by=reviewer, grade="良")
    client.force_login(preparer)
    page = client.get(reverse("declaration_detail", args=[returned.pk]))
    assert (
        "业务经费应低于预算"
        not in page.content.decode().split('data-testid="timeline"')[0]
    )
