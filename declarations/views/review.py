"""Submitting, withdrawing, reviewing (审核), approving and reopening."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from declarations import checklist, selectors
from declarations.access import declaration_for
from declarations.comparison import compared_with_last_year
from declarations.forms.review import ReviewForm, row_comments
from declarations.models import RowComment, Status
from declarations.services import workflow
from declarations.services.errors import DomainError, NotAllowed
from declarations.text import clean_text
from indicators.library import curation as library

# Submissions on one page of the queue, oldest first.
QUEUE_PAGE = 50


def _run(request, action, success):
    """Call one transition; a role problem is 403, anything else a message."""
    try:
        action()
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except DomainError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


@require_POST
def submit(request, pk):
    declaration = declaration_for(request.user, pk)
    _run(
        request,
        lambda: workflow.submit(declaration, by=request.user),
        "已提交审核。审核人处理前，您可以随时撤回。",
    )
    return redirect("declaration_detail", pk=pk)


@require_POST
def withdraw(request, pk):
    declaration = declaration_for(request.user, pk)
    _run(
        request,
        lambda: workflow.withdraw(declaration, by=request.user),
        "已撤回，申报表回到草稿状态，可以继续修改。",
    )
    return redirect("declaration_detail", pk=pk)


@require_POST
def reopen(request, pk):
    declaration = declaration_for(request.user, pk)
    _run(
        request,
        lambda: workflow.reopen(
            declaration,
            by=request.user,
            reason=clean_text(request.POST.get("reason", "")),
        ),
        "已撤销审核，申报表已退回填报人修改。",
    )
    return redirect("declaration_detail", pk=pk)


@require_POST
def propose_to_library(request, pk):
    """A reviewer offers the indicators of an approved table to the library,
    for an administrator to approve."""
    declaration = declaration_for(request.user, pk)
    if not selectors.may_review(request.user, declaration):
        raise PermissionDenied("只有主管部门的审核人可以把指标提交到指标库。")
    if declaration.status != Status.APPROVED:
        messages.error(request, "只有审核通过的申报表，才能把指标提交到指标库。")
        return redirect("declaration_detail", pk=pk)
    proposal = library.propose(
        declaration.indicators.all(),
        source=f"已审核申报表：{declaration.project_name}（{declaration.year}）",
        by=request.user,
    )
    text = f"已提交 {len(proposal.added)} 条指标，等待管理员审核后在填报时推荐。"
    if proposal.known:
        text += f"{len(proposal.known)} 条指标库中已有，未重复提交。"
    if proposal.similar:
        pairs = "、".join(f"“{new}”与“{old}”" for new, old in proposal.similar[:5])
        text += f"{pairs}相近，可能重复，请管理员核对后合并。"
    messages.success(request, text)
    return redirect("declaration_detail", pk=pk)


@require_http_methods(["GET", "POST"])
def review(request, pk):
    declaration = declaration_for(request.user, pk)
    if not selectors.may_review(request.user, declaration):
        raise PermissionDenied("只有主管部门的审核人可以审核申报表。")
    form = ReviewForm(request.POST or None, checklist=checklist.active_checklist())
    # An unbound form (a GET) is never valid.
    if form.is_valid() and _decide(request, declaration, form):
        return redirect("review_queue")
    context = _review_page(declaration, form, typed=request.POST)
    return render(request, "declarations/review.html", context)


def _decide(request, declaration, form) -> bool:
    """Approve or return as the form says; whether it was done."""
    data = form.cleaned_data
    if data["decision"] == "approve":
        return _run(
            request,
            lambda: workflow.approve(
                declaration,
                by=request.user,
                grade=data["grade"],
                comment=data["comment"],
                checklist=form.checklist(),
            ),
            "已审核通过。",
        )
    return _run(
        request,
        lambda: workflow.return_for_revision(
            declaration,
            by=request.user,
            comment=data["comment"],
            row_comments=form.row_comments(),
            checklist=form.checklist(),
        ),
        "已退回填报人修改，意见已送达。",
    )


def _review_page(declaration, form, *, typed) -> dict:
    """The table with its findings and their ready comments, what changed
    since the return, last year's indicators, the checklist and the history."""
    context = selectors.checked_declaration(declaration)
    changes, compared = selectors.changes_since_last_submission(declaration)
    context.update(
        form=form,
        changes=changes,
        compared=compared,
        answers=checklist.ANSWERS,
        year_over_year=compared_with_last_year(declaration),
        ready_comments=checklist.ready_row_comments(context["table"]),
        ready_general=[checklist.ready_comment(f) for f in context["general_findings"]],
        typed_comments=row_comments(typed),
        can_decide=declaration.status == Status.SUBMITTED,
    )
    return context


def review_queue(request):
    waiting, per_unit = selectors.review_queue(request.user)
    page = Paginator(waiting, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "declarations/review_queue.html",
        {
            "waiting": page,
            "pages": page.paginator.get_elided_page_range(page.number),
            "per_unit": per_unit,
            "is_reviewer": selectors.is_reviewer(request.user),
        },
    )


@require_POST
def answer_row_comment(request, pk, comment_pk):
    declaration = declaration_for(request.user, pk)
    comment = get_object_or_404(
        RowComment.objects.select_related("event"),
        pk=comment_pk,
        event__declaration=declaration,
    )
    text = clean_text(request.POST.get("answer", ""))
    _run(
        request,
        lambda: workflow.answer_row_comment(comment, by=request.user, text=text),
        "已保存答复，审核人下次审核时会在这一行旁看到。",
    )
    url = reverse("declaration_detail", args=[pk])
    return redirect(f"{url}#row-comment-{comment.pk}")
