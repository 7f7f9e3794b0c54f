"""Review and approval: every transition is one function that checks the
current state and the actor's role under a row lock, and leaves an event.

草稿 → 待审核 → 已审核, or 待审核 → 已退回 → (edited) → 待审核 again.
A preparer may withdraw a submission nobody has reviewed; a reviewer may
reopen an approved declaration, with a reason, which returns it.
"""

from django.db import transaction
from django.utils import timezone

from declarations import notifications
from declarations.access import can_edit
from declarations.checklist import ANSWERS
from declarations.checks import errors, findings_for
from declarations.models import (
    Action,
    Aspect,
    Declaration,
    DeclarationEvent,
    Grade,
    RowComment,
    Status,
    Submission,
)
from declarations.people import full_name
from declarations.printing import tasks as printing
from declarations.selectors import may_review, open_return
from declarations.services.errors import (
    DomainError,
    InvalidTransition,
    NotAllowed,
    SubmissionBlocked,
)
from declarations.snapshots import snapshot
from declarations.text import TEXT_LIMITS
from indicators.library import curation as library


def _locked(pk) -> Declaration:
    return (
        Declaration.objects.select_for_update(of=("self",))
        .select_related("organization__parent")
        .get(pk=pk)
    )


def _require_preparer(user, declaration):
    if not can_edit(user, declaration):
        raise NotAllowed("只有本单位的填报人可以提交或撤回申报表。")


def _require_reviewer(user, declaration):
    if not may_review(user, declaration):
        raise NotAllowed("只有主管部门的审核人可以审核申报表。")


def _require_status(declaration, allowed, action_label):
    if declaration.status not in allowed:
        last = declaration.events.select_related("actor").last()
        by = ""
        if last is not None:
            when = timezone.localtime(last.created_at).strftime("%Y-%m-%d %H:%M")
            who = full_name(last.actor)
            by = f"（{who}于 {when}{last.get_action_display()}）"
        raise InvalidTransition(
            f"这份申报表现在是“{declaration.get_status_display()}”{by}，"
            f"不能{action_label}。请刷新页面查看最新状态。"
        )


def _record(
    declaration,
    *,
    action,
    from_status,
    by,
    comment="",
    grade="",
    submission=None,
    checklist=(),
):
    return DeclarationEvent.objects.create(
        declaration=declaration,
        action=action,
        from_status=from_status,
        to_status=declaration.status,
        actor=by,
        comment=comment,
        grade=grade,
        submission=submission,
        checklist=list(checklist),
    )


def _move(declaration, to, *fields):
    declaration.status = to
    declaration.save(update_fields=["status", "updated_at", *fields])


def submit(declaration: Declaration, *, by) -> DeclarationEvent:
    with transaction.atomic():
        locked = _locked(declaration.pk)
        _require_preparer(by, locked)
        _require_status(locked, {Status.DRAFT, Status.RETURNED}, "提交")
        blocking = errors(findings_for(locked))
        if blocking:
            raise SubmissionBlocked(blocking)
        submission = Submission.objects.create(
            declaration=locked, version=locked.version, content=snapshot(locked)
        )
        was = locked.status
        locked.submitted_at = timezone.now()
        locked.grade = ""
        _move(locked, Status.SUBMITTED, "submitted_at", "grade")
        event = _record(
            locked, action=Action.SUBMIT, from_status=was, by=by, submission=submission
        )
        transaction.on_commit(lambda: notifications.submitted(locked))
    return event


def withdraw(declaration: Declaration, *, by) -> DeclarationEvent:
    with transaction.atomic():
        locked = _locked(declaration.pk)
        _require_preparer(by, locked)
        _require_status(locked, {Status.SUBMITTED}, "撤回")
        _move(locked, Status.DRAFT)
        return _record(
            locked, action=Action.WITHDRAW, from_status=Status.SUBMITTED, by=by
        )


def return_for_revision(
    declaration: Declaration,
    *,
    by,
    comment: str,
    row_comments: dict[int, str],
    checklist: list[dict] | None = None,
) -> DeclarationEvent:
    """row_comments maps a 1-based indicator row number to the reviewer's
    text; checklist is the review checklist as answered (_answered)."""
    comment = _within(comment.strip(), "comment", "总体意见")
    checklist = _answered(checklist)
    row_comments = {
        n: _within(t.strip(), "row_comment", f"第 {n} 行的意见")
        for n, t in row_comments.items()
        if t.strip()
    }
    if not comment and not row_comments:
        raise DomainError(
            "退回时请写明意见：填写总体意见，或在需要修改的指标行旁写意见。"
        )
    with transaction.atomic():
        locked = _locked(declaration.pk)
        _require_reviewer(by, locked)
        _require_status(locked, {Status.SUBMITTED}, "退回")
        names = dict(enumerate(locked.indicators.values_list("level3", flat=True), 1))
        unknown = set(row_comments) - set(names)
        if unknown:
            raise DomainError("意见所指的指标行已不存在，请刷新页面后重新填写。")
        _move(locked, Status.RETURNED)
        event = _record(
            locked,
            action=Action.RETURN,
            from_status=Status.SUBMITTED,
            by=by,
            comment=comment,
            submission=locked.submissions.last(),
            checklist=checklist,
        )
        RowComment.objects.bulk_create(
            RowComment(event=event, row_number=n, row_name=names[n], text=text)
            for n, text in sorted(row_comments.items())
        )
        transaction.on_commit(lambda: notifications.returned(locked, event))
    return event


def approve(
    declaration: Declaration,
    *,
    by,
    grade: str,
    comment: str = "",
    checklist: list[dict] | None = None,
):
    if grade not in Grade.values:
        raise DomainError("审核通过时请选择综合评定等级（优、良、中、差）。")
    _within(comment.strip(), "comment", "总体意见")
    checklist = _answered(checklist)
    with transaction.atomic():
        locked = _locked(declaration.pk)
        _require_reviewer(by, locked)
        _require_status(locked, {Status.SUBMITTED}, "审核通过")
        locked.grade = grade
        _move(locked, Status.APPROVED, "grade")
        library.count_uses(locked.indicators.all())
        printing.approved(locked)  # a background task, in this transaction
        event = _record(
            locked,
            action=Action.APPROVE,
            from_status=Status.SUBMITTED,
            by=by,
            comment=comment.strip(),
            grade=grade,
            submission=locked.submissions.last(),
            checklist=checklist,
        )
        transaction.on_commit(lambda: notifications.approved(locked, event))
    return event


def _answered(checklist: list[dict] | None) -> list[dict]:
    """The review checklist as the event keeps it: [{"aspect", "question",
    "answer", "opinion"}, …], each aspect one of the four, each answer one of
    ANSWERS, each text within its limit."""
    kept = []
    for entry in checklist or []:
        aspect, answer = entry.get("aspect"), entry.get("answer")
        question = _within(
            str(entry.get("question", "")).strip(), "row_comment", "审核要点"
        )
        if aspect not in Aspect.values or not question:
            raise DomainError("审核要点已有变动，请刷新页面后重新勾选。")
        if answer not in ANSWERS:
            raise DomainError(
                f"审核要点“{question}”请选择{'、'.join(ANSWERS)}中的一项。"
            )
        opinion = str(entry.get("opinion", "")).strip()
        kept.append(
            {
                "aspect": aspect,
                "question": question,
                "answer": answer,
                "opinion": _within(opinion, "row_comment", f"“{question}”的意见"),
            }
        )
    return kept


def _within(text: str, limit_of: str, what: str) -> str:
    limit = TEXT_LIMITS[limit_of]
    if len(text) > limit:
        raise DomainError(f"{what}最多 {limit} 字，现在有 {len(text)} 字，请删减。")
    return text


def reopen(declaration: Declaration, *, by, reason: str) -> DeclarationEvent:
    if not reason.strip():
        raise DomainError("撤销审核时请写明原因，填报人会看到这条原因。")
    _within(reason.strip(), "comment", "撤销原因")
    with transaction.atomic():
        locked = _locked(declaration.pk)
        _require_reviewer(by, locked)
        _require_status(locked, {Status.APPROVED}, "撤销审核")
        locked.grade = ""
        _move(locked, Status.RETURNED, "grade")
        library.count_uses(locked.indicators.all(), step=-1)
        event = _record(
            locked,
            action=Action.REOPEN,
            from_status=Status.APPROVED,
            by=by,
            comment=reason.strip(),
        )
        transaction.on_commit(lambda: notifications.returned(locked, event))
        if not locked.is_department_wide:
            # The table leaves the department book.
            department = locked.organization.department
            printing.book_changed(department, locked.year)
    return event


def answer_row_comment(comment: RowComment, *, by, text: str) -> RowComment:
    """The preparer's answer to a reviewer's comment on one row, read by the
    reviewer beside it on the next look. Only while the return stands and
    the declaration is the preparer's to change."""
    answer = _within(text.strip(), "row_comment", "答复")
    with transaction.atomic():
        declaration = _locked(comment.event.declaration_id)
        if not can_edit(by, declaration):
            raise NotAllowed("只有本单位的填报人可以答复审核意见。")
        if not declaration.is_editable:
            raise InvalidTransition(
                "申报表已提交，不能再答复审核意见。如需补充，请先撤回。"
            )
        if open_return(declaration) != comment.event:
            raise InvalidTransition(
                "这条审核意见已经过期，请刷新页面查看最新的审核意见。"
            )
        comment.answer = answer
        comment.answered_by = by if answer else None
        comment.answered_at = timezone.now() if answer else None
        comment.save(update_fields=["answer", "answered_by", "answered_at"])
    return comment
