"""Submitting, withdrawing, reviewing, approving and reopening."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from declarations import workflow
from declarations.access import declaration_for, reviewable_organizations
from declarations.forms import ReviewForm
from declarations.models import Declaration, Status
from declarations.services import DomainError
from declarations.snapshots import diff
from declarations.views.entry import review_context


def _run(request, action, success):
    """Call one transition; a role problem is 403, anything else a message."""
    try:
        action()
    except workflow.NotAllowed as error:
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
            declaration, by=request.user, reason=request.POST.get("reason", "")
        ),
        "已撤销审核，申报表已退回填报人修改。",
    )
    return redirect("declaration_detail", pk=pk)


@require_http_methods(["GET", "POST"])
def review(request, pk):
    declaration = declaration_for(request.user, pk)
    if (
        not reviewable_organizations(request.user)
        .filter(pk=declaration.organization_id)
        .exists()
    ):
        raise PermissionDenied("只有主管部门的审核人可以审核申报表。")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == "approve":
            done = _run(
                request,
                lambda: workflow.approve(
                    declaration,
                    by=request.user,
                    grade=form.cleaned_data["grade"],
                    comment=form.cleaned_data["comment"],
                ),
                "已审核通过。",
            )
        else:
            done = _run(
                request,
                lambda: workflow.return_for_revision(
                    declaration,
                    by=request.user,
                    comment=form.cleaned_data["comment"],
                    row_comments=_row_comments(request.POST),
                ),
                "已退回填报人修改，意见已送达。",
            )
        if done:
            return redirect("review_queue")
    context = review_context(declaration)
    submissions = list(declaration.submissions.all())
    changes = None
    if len(submissions) >= 2:
        changes = diff(submissions[-2].content, submissions[-1].content)
    context.update(
        form=form,
        changes=changes,
        compared=submissions[-2:] if changes else None,
        typed_comments=_row_comments(request.POST),
        can_decide=declaration.status == Status.SUBMITTED,
    )
    return render(request, "declarations/review.html", context)


def _row_comments(data) -> dict[int, str]:
    comments = {}
    for key, value in data.items():
        if key.startswith("row_comment_") and key[12:].isdigit():
            comments[int(key[12:])] = value
    return comments


def review_queue(request):
    organizations = reviewable_organizations(request.user)
    waiting = (
        Declaration.objects.filter(
            organization__in=organizations, status=Status.SUBMITTED
        )
        .select_related("organization")
        .order_by("submitted_at", "pk")
    )
    per_unit = (
        waiting.order_by()
        .values("organization__code", "organization__name")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by("organization__code")
    )
    return render(
        request,
        "declarations/review_queue.html",
        {
            "waiting": waiting,
            "per_unit": per_unit,
            "is_reviewer": organizations.exists(),
        },
    )
