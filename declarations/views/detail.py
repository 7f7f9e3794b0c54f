"""The declaration's page (核对): laid out as the printed table, with the
checks' findings, the history and what the user may do next."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from declarations import selectors
from declarations.access import can_edit, declaration_for
from declarations.forms.steps import CHECK, step_tabs
from declarations.models import Status


@require_GET
def declaration_detail(request, pk):
    declaration = declaration_for(request.user, pk)
    context = selectors.checked_declaration(declaration)
    preparer = can_edit(request.user, declaration)
    reviewer = selectors.may_review(request.user, declaration)
    status = declaration.status
    context.update(
        steps=step_tabs(declaration),
        step=CHECK,
        editable=preparer and declaration.is_editable,
        can_copy=preparer,
        can_submit=preparer and declaration.is_editable,
        can_withdraw=preparer and status == Status.SUBMITTED,
        can_review=reviewer and status == Status.SUBMITTED,
        can_reopen=reviewer and status == Status.APPROVED,
    )
    return render(request, "declarations/step_check.html", context)
