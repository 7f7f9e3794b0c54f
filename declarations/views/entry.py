"""Guided entry, one step a page (`forms.steps`): each save goes through
`drafts.save_changes`, refused when someone saved in between."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from declarations import selectors
from declarations.access import declaration_for
from declarations.forms.steps import CHECK, editing_step, next_step, step_tabs
from declarations.http import posted_version, render_versioned
from declarations.services import drafts
from declarations.services.errors import DomainError, StaleVersion


def step_url(declaration, name) -> str:
    if name == CHECK:
        return reverse("declaration_detail", args=[declaration.pk])
    return reverse("declaration_step", args=[declaration.pk, name])


def _comments_by_prefix(standing, forms) -> dict:
    """The standing return's row comments, by the prefix of the indicator row
    they are about, to show beside it."""
    formset = forms.get("formset")
    if formset is None or formset.prefix != "indicators":
        return {}
    rows = [form.instance for form in formset.initial_forms]
    placed = selectors.comments_by_row(rows, standing)
    return {formset.initial_forms[i].prefix: cs for i, cs in placed.items()}


@require_http_methods(["GET", "POST"])
def edit_step(request, pk, step):
    declaration = declaration_for(request.user, pk, write=True)
    found = editing_step(declaration, step)
    if found is None:
        raise Http404
    forms = found.build(declaration, request.POST if request.method == "POST" else None)
    form = forms["form"] if "form" in forms else forms["formset"]
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = drafts.save_changes(
                declaration.pk,
                expected_version=posted_version(request),
                by=request.user,
                changes=form.changes(),
            )
        except StaleVersion as error:
            stale = error
        except DomainError as error:
            messages.error(request, str(error))
        else:
            # "saved" tells the page's script that its copy in the browser
            # (static/js/keep.js) is no longer needed.
            messages.success(
                request, f"已保存（第 {saved.version} 版）。", extra_tags="saved"
            )
            target = step if "stay" in request.POST else next_step(saved, step)
            return redirect(step_url(saved, target))
    elif request.method == "POST":
        messages.error(
            request, "有内容需要修改，请查看下方标红的提示。已填写的内容都保留着。"
        )
    standing = selectors.open_return(declaration)
    context = {
        **forms,
        "declaration": declaration,
        "steps": step_tabs(declaration),
        "step": step,
        "editable": True,
        "returned": selectors.to_act_on(declaration, standing),
        "comments_by_prefix": _comments_by_prefix(standing, forms),
    }
    return render_versioned(
        request, found.template, context, record=declaration, stale=stale
    )
