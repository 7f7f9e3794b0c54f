"""Every transition of the review workflow, allowed and forbidden, by role."""

import pytest
from django.core import mail

from declarations import selectors
from declarations.models import Action, DeclarationEvent, Status
from declarations.services import drafts, errors, workflow
from tests.factories import make_declaration, make_user


@pytest.fixture
def declaration(unit, preparer):
    return make_declaration(unit, preparer)


@pytest.fixture
def stranger(other_department):
    """A reviewer, but of another department."""
    return make_user("stranger", "reviewer", other_department)


def _put(declaration, status):
    declaration.status = status
    declaration.save(update_fields=["status"])
    return declaration


def _events(declaration):
    return list(
        DeclarationEvent.objects.filter(declaration=declaration).values_list(
            "action", "from_status", "to_status", "actor__username"
        )
    )


def test_preparer_submits_a_clean_draft(declaration, preparer):
    workflow.submit(declaration, by=preparer)
    declaration.refresh_from_db()
    assert declaration.status == Status.SUBMITTED
    assert declaration.submitted_at is not None
    assert _events(declaration) == [("submit", "draft", "submitted", "preparer")]
    (submission,) = declaration.submissions.all()
    assert submission.version == declaration.version
    assert submission.content["fields"]["项目名称"] == "医保经办工作经费"
    assert len(submission.content["rows"]) == 7


def test_errors_block_submission_and_are_listed(unit, preparer):
    declaration = make_declaration(unit, preparer, goals=[], total=99)
    with pytest.raises(errors.SubmissionBlocked) as blocked:
        workflow.submit(declaration, by=preparer)
    assert {f.code for f in blocked.value.findings} == {"funds_sum", "goals_missing"}
    message = str(blocked.value)
    assert "还有 2 处错误" in message
    assert "。；" not in message and message.endswith("。")
    declaration.refresh_from_db()
    assert declaration.status == Status.DRAFT
    assert _events(declaration) == []


def test_preparer_withdraws_an_unreviewed_submission(declaration, preparer):
    workflow.submit(declaration, by=preparer)
    workflow.withdraw(declaration, by=preparer)
    declaration.refresh_from_db()
    assert declaration.status == Status.DRAFT
    assert _events(declaration)[-1] == ("withdraw", "submitted", "draft", "preparer")


def test_reviewer_returns_with_comments_on_the_whole_and_on_a_row(
    declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    event = workflow.return_for_revision(
        declaration,
        by=reviewer,
        comment="成本指标请按预算核实",
        row_comments={4: "业务经费不应超过预算", 2: "  "},
    )
    declaration.refresh_from_db()
    assert declaration.status == Status.RETURNED
    assert (event.action, event.comment) == (Action.RETURN, "成本指标请按预算核实")
    assert [(c.row_number, c.row_name, c.text) for c in event.row_comments.all()] == [
        (4, "业务经费", "业务经费不应超过预算")
    ]
    assert selectors.latest_return(declaration) == event


def test_returned_declaration_is_edited_and_submitted_again(
    declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    workflow.return_for_revision(
        declaration, by=reviewer, comment="请修改", row_comments={}
    )
    drafts.save_changes(
        declaration.pk,
        expected_version=declaration.version,
        by=preparer,
        changes=drafts.DraftChanges(
            fields={"project_name": "医保经办工作经费（修改后）"}
        ),
    )
    workflow.submit(declaration, by=preparer)
    declaration.refresh_from_db()
    assert declaration.status == Status.SUBMITTED
    assert declaration.submissions.count() == 2
    assert [e[0] for e in _events(declaration)] == ["submit", "return", "submit"]


def test_reviewer_approves_with_a_grade(declaration, preparer, reviewer):
    workflow.submit(declaration, by=preparer)
    event = workflow.approve(declaration, by=reviewer, grade="良")
    declaration.refresh_from_db()
    assert (declaration.status, declaration.grade) == (Status.APPROVED, "良")
    assert (event.grade, event.to_status) == ("良", Status.APPROVED)


def test_reviewer_reopens_an_approved_declaration_with_a_reason(
    declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="优")
    workflow.reopen(declaration, by=reviewer, reason="预算调整，需重新填报成本指标")
    declaration.refresh_from_db()
    assert (declaration.status, declaration.grade) == (Status.RETURNED, "")
    assert _events(declaration)[-1] == ("reopen", "approved", "returned", "reviewer")
    assert (
        selectors.latest_return(declaration).comment == "预算调整，需重新填报成本指标"
    )


ALL = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED]
# (action, actor, states it is allowed from)
TRANSITIONS = [
    ("submit", "preparer", {Status.DRAFT, Status.RETURNED}),
    ("withdraw", "preparer", {Status.SUBMITTED}),
    ("return", "reviewer", {Status.SUBMITTED}),
    ("approve", "reviewer", {Status.SUBMITTED}),
    ("reopen", "reviewer", {Status.APPROVED}),
]


def _do(action, declaration, user):
    calls = {
        "submit": lambda: workflow.submit(declaration, by=user),
        "withdraw": lambda: workflow.withdraw(declaration, by=user),
        "return": lambda: workflow.return_for_revision(
            declaration, by=user, comment="请修改", row_comments={}
        ),
        "approve": lambda: workflow.approve(declaration, by=user, grade="中"),
        "reopen": lambda: workflow.reopen(declaration, by=user, reason="重新审核"),
    }
    return calls[action]()


@pytest.mark.parametrize(
    ("action", "status"),
    [(a, s) for a, _, allowed in TRANSITIONS for s in ALL if s not in allowed],
)
def test_a_transition_from_the_wrong_state_is_refused(
    declaration, preparer, reviewer, action, status
):
    actor = {"preparer": preparer, "reviewer": reviewer}[
        next(who for a, who, _ in TRANSITIONS if a == action)
    ]
    _put(declaration, status)
    with pytest.raises(errors.InvalidTransition, match="不能"):
        _do(action, declaration, actor)
    declaration.refresh_from_db()
    assert declaration.status == status
    assert _events(declaration) == []


@pytest.mark.parametrize(
    ("action", "wrong_role"),
    [
        ("submit", "reviewer"),
        ("withdraw", "reviewer"),
        ("return", "preparer"),
        ("approve", "preparer"),
        ("reopen", "preparer"),
        ("submit", "outsider"),
        ("approve", "stranger"),
        ("return", "stranger"),
        ("reopen", "stranger"),
    ],
)
def test_a_transition_by_the_wrong_role_is_not_allowed(
    declaration, preparer, reviewer, outsider, stranger, action, wrong_role
):
    allowed_from = next(s for a, _, s in TRANSITIONS if a == action)
    _put(declaration, sorted(allowed_from)[0])
    user = {
        "preparer": preparer,
        "reviewer": reviewer,
        "outsider": outsider,
        "stranger": stranger,
    }[wrong_role]
    with pytest.raises(errors.NotAllowed):
        _do(action, declaration, user)
    assert _events(declaration) == []


def test_returning_needs_a_comment(declaration, preparer, reviewer):
    workflow.submit(declaration, by=preparer)
    with pytest.raises(errors.DomainError, match="请写明意见"):
        workflow.return_for_revision(
            declaration, by=reviewer, comment=" ", row_comments={1: ""}
        )


def test_approving_needs_a_grade_and_reopening_a_reason(
    declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    with pytest.raises(errors.DomainError, match="综合评定等级"):
        workflow.approve(declaration, by=reviewer, grade="")
    workflow.approve(declaration, by=reviewer, grade="优")
    with pytest.raises(errors.DomainError, match="写明原因"):
        workflow.reopen(declaration, by=reviewer, reason="")


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_a_submitted_or_approved_declaration_cannot_be_saved(
    declaration, preparer, status
):
    _put(declaration, status)
    with pytest.raises(errors.NotEditable, match="不能修改"):
        drafts.save_changes(
            declaration.pk,
            expected_version=declaration.version,
            by=preparer,
            changes=drafts.DraftChanges(fields={"project_name": "偷偷修改"}),
        )
    declaration.refresh_from_db()
    assert declaration.project_name == "医保经办工作经费"


def test_reviewers_are_mailed_on_submission_and_preparers_on_return(
    declaration, preparer, reviewer, django_capture_on_commit_callbacks
):
    reviewer.email = "shenhe@example.gov.cn"
    reviewer.save()
    preparer.email = "tianbao@example.gov.cn"
    preparer.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(declaration, by=preparer)
    assert [m.to for m in mail.outbox] == [["shenhe@example.gov.cn"]]
    assert "待审核" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_revision(
            declaration, by=reviewer, comment="请核实成本", row_comments={}
        )
    assert mail.outbox[1].to == ["tianbao@example.gov.cn"]
    assert "请核实成本" in mail.outbox[1].body
