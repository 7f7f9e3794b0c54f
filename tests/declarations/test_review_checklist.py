"""The review checklist (四性审核) on the review page: questions and ready
opinions kept in the admin, the answers kept with the approval or return
and shown in the history, and a ready comment for every warning on a row."""

import pytest
from django.urls import reverse

from declarations.checklist import ready_comment
from declarations.models import (
    Action,
    DeclarationEvent,
    ReviewQuestion,
    RowComment,
    Status,
)
from declarations.services import workflow
from declarations.services.errors import DomainError
from indicators.checks import Finding
from tests.factories import STANDARD_ROWS, make_declaration, make_user

COMPLETE = "绩效目标和绩效指标是否填写完整，产出、效益、满意度指标是否齐全"
WITHIN_YEAR = "指标值能否在本年度内实现"
COST = "成本指标是否不超过预算，测算是否合理"


@pytest.fixture
def submitted(unit, preparer):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    return declaration


def review_url(declaration):
    return reverse("review", args=[declaration.pk])


def question(text) -> ReviewQuestion:
    return ReviewQuestion.objects.get(text=text)


def answers(*pairs) -> dict:
    """POST fields answering (question text, answer, opinion) triples."""
    data = {}
    for text, answer, opinion in pairs:
        pk = question(text).pk
        data[f"check-{pk}"] = answer
        data[f"opinion-{pk}"] = opinion
    return data


def test_the_review_page_offers_the_seeded_checklist_by_the_four_aspects(
    client, submitted, reviewer
):
    client.force_login(reviewer)
    body = client.get(review_url(submitted)).content.decode()
    checklist = body[body.index('data-testid="review-checklist"') :]
    positions = [
        checklist.index(f'<h3 class="h6 checklist-aspect-title">{a}</h3>')
        for a in ["完整性", "相关性", "适当性", "可行性"]
    ]
    assert positions == sorted(positions)
    assert COMPLETE in checklist and WITHIN_YEAR in checklist
    assert "产出数量指标未体现项目主要工作内容，请补充。" in checklist
    assert f'name="check-{question(COST).pk}" value="部分"' in checklist
    assert "js/review.js" in body


def test_an_inactive_question_is_not_offered(client, submitted, reviewer):
    ReviewQuestion.objects.filter(text=WITHIN_YEAR).update(active=False)
    client.force_login(reviewer)
    body = client.get(review_url(submitted)).content.decode()
    assert WITHIN_YEAR not in body and COMPLETE in body


def test_approving_keeps_the_answers_and_the_history_shows_them(
    client, submitted, preparer, reviewer
):
    client.force_login(reviewer)
    response = client.post(
        review_url(submitted),
        {
            "decision": "approve",
            "grade": "良",
            **answers(
                (COMPLETE, "是", ""),
                (COST, "部分", "请说明成本指标的测算方法和依据。"),
            ),
        },
    )
    assert response["Location"] == reverse("review_queue")
    event = DeclarationEvent.objects.get(action=Action.APPROVE)
    assert event.checklist == [
        {"aspect": "completeness", "question": COMPLETE, "answer": "是", "opinion": ""},
        {
            "aspect": "appropriateness",
            "question": COST,
            "answer": "部分",
            "opinion": "请说明成本指标的测算方法和依据。",
        },
    ]
    client.force_login(preparer)
    detail = client.get(reverse("declaration_detail", args=[submitted.pk]))
    history = detail.content.decode().split('data-testid="timeline"')[1]
    assert '<td class="text-nowrap">适当性</td>' in history
    assert COST in history and "请说明成本指标的测算方法和依据。" in history
    assert '<td class="text-nowrap">部分</td>' in history


def test_returning_keeps_the_answers_with_the_return(client, submitted, reviewer):
    client.force_login(reviewer)
    client.post(
        review_url(submitted),
        {
            "decision": "return",
            "comment": "请按意见修改",
            **answers(
                (WITHIN_YEAR, "否", "部分指标值在年度内难以完成，请结合实施进度调整。")
            ),
        },
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    (entry,) = DeclarationEvent.objects.get(action=Action.RETURN).checklist
    assert (entry["aspect"], entry["answer"]) == ("feasibility", "否")
    history = client.get(review_url(submitted)).content.decode()
    assert "可行性" in history and "部分指标值在年度内难以完成" in history


def test_an_unknown_answer_is_refused_and_what_was_typed_stays(
    client, submitted, reviewer
):
    client.force_login(reviewer)
    response = client.post(
        review_url(submitted),
        {
            "decision": "return",
            "comment": "总体上还需修改",
            "row_comment_2": "一站式结算率请写依据",
            **answers((COST, "也许", "预算测算过程请补充")),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"“{COST}”只能选择是、否、部分、不适用，请重新选择。" in body
    assert "总体上还需修改" in body and "预算测算过程请补充" in body
    assert "一站式结算率请写依据" in body
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_too_long_opinion_is_refused_and_every_answer_stays_ticked(
    client, submitted, reviewer
):
    client.force_login(reviewer)
    response = client.post(
        review_url(submitted),
        {
            "decision": "approve",
            "grade": "优",
            **answers((COMPLETE, "是", ""), (COST, "否", "长" * 1001)),
        },
    )
    body = response.content.decode()
    assert f"“{COST}”的意见最多 1000 字，现在有 1001 字，请删减。" in body
    pk = question(COMPLETE).pk
    assert f'value="是" class="form-check-input" id="id_check-{pk}_0" checked' in body
    assert "长" * 1001 in body
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_an_opinion_without_an_answer_asks_for_the_answer(client, submitted, reviewer):
    client.force_login(reviewer)
    response = client.post(
        review_url(submitted),
        {"decision": "approve", "grade": "优", **answers((COST, "", "请核实成本"))},
    )
    assert f"“{COST}”还没有选择" in response.content.decode()
    assert not DeclarationEvent.objects.filter(action=Action.APPROVE).exists()


def test_the_service_refuses_an_unknown_aspect_or_answer(submitted, reviewer):
    entry = {"aspect": "relevance", "question": "指标是否相关", "opinion": ""}
    with pytest.raises(DomainError, match="请选择是、否、部分、不适用中的一项"):
        workflow.approve(
            submitted, by=reviewer, grade="良", checklist=[{**entry, "answer": "?"}]
        )
    with pytest.raises(DomainError, match="审核要点已有变动"):
        workflow.return_for_revision(
            submitted,
            by=reviewer,
            comment="改",
            row_comments={},
            checklist=[{**entry, "aspect": "beauty", "answer": "是"}],
        )
    with pytest.raises(DomainError, match="的意见最多 1000 字"):
        workflow.approve(
            submitted,
            by=reviewer,
            grade="良",
            checklist=[{**entry, "answer": "否", "opinion": "长" * 1001}],
        )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and not submitted.events.exclude(
        action=Action.SUBMIT
    )


def test_approval_without_a_checklist_keeps_an_empty_one(submitted, reviewer):
    event = workflow.approve(submitted, by=reviewer, grade="良", comment="同意")
    assert event.checklist == []


OVER_BUDGET = [
    (*row[:4], "≤50万元", row[5]) if row[2] == "业务经费" else row
    for row in STANDARD_ROWS
]
READY = "成本指标上限 ≤50万元（50 万元）超过项目预算 35.00 万元，请核对指标值或预算。"


def test_a_warning_on_a_row_offers_its_ready_comment_which_returns_with_the_row(
    client, unit, preparer, reviewer
):
    declaration = make_declaration(unit, preparer, rows=OVER_BUDGET)
    workflow.submit(declaration, by=preparer)
    client.force_login(reviewer)
    response = client.get(review_url(declaration))
    assert response.context["ready_comments"] == {4: [READY]}
    body = response.content.decode()
    assert f'data-fill="row_comment_4" data-text="{READY}">采用为该行意见' in body

    client.post(review_url(declaration), {"decision": "return", "row_comment_4": READY})
    comment = RowComment.objects.get()
    assert (comment.row_number, comment.row_name, comment.text) == (
        4,
        "业务经费",
        READY,
    )


def test_a_ready_comment_asks_to_verify_and_leaves_out_the_note_to_ignore():
    beyond = Finding.warning(
        "year_beyond_term",
        "年度指标值“≥50人”超出了中期指标值“≥40人”：年度目标是中期目标的一部分，"
        "一般不应比它更高，请核对；确实如此的，可以忽略这条提醒。",
        row=0,
    )
    assert ready_comment(beyond) == (
        "年度指标值“≥50人”超出了中期指标值“≥40人”：年度目标是中期目标的一部分，"
        "一般不应比它更高，请核对。"
    )
    plain = Finding.warning("x", "成本指标上限 15.87 万元高于预算 5.07 万元", row=1)
    assert ready_comment(plain) == "成本指标上限 15.87 万元高于预算 5.07 万元，请核实。"


def test_a_reviewer_of_another_department_gets_404(client, submitted, other_department):
    stranger = make_user("stranger", "reviewer", other_department)
    client.force_login(stranger)
    assert client.get(review_url(submitted)).status_code == 404
    response = client.post(
        review_url(submitted),
        {"decision": "approve", "grade": "优", **answers((COMPLETE, "是", ""))},
    )
    assert response.status_code == 404


def test_the_admin_lists_the_seeded_questions_with_their_opinions(client, db):
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    changelist = client.get(
        reverse("admin:declarations_reviewquestion_changelist")
    ).content.decode()
    assert WITHIN_YEAR in changelist and "选择 审核要点 来修改" in changelist
    change = client.get(
        reverse("admin:declarations_reviewquestion_change", args=[question(COST).pk])
    ).content.decode()
    assert "请说明成本指标的测算方法和依据。" in change
