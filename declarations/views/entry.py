"""Guided entry: 基本信息 → 资金与支出计划 → 绩效目标 → 绩效指标 → 核对."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from declarations import services, workflow
from declarations.access import can_edit, declaration_for, reviewable_organizations
from declarations.forms import (
    BasicInfoForm,
    DepartmentBasicForm,
    DepartmentFundsForm,
    DutiesForm,
    FundsForm,
    GoalFormSet,
    IndicatorRowFormSet,
)
from declarations.models import Declaration, Status
from declarations.tables import indicator_table
from indicators.checks import Severity
from indicators.taxonomy import Taxonomy

STEPS = [
    ("basic", "基本信息"),
    ("funds", "资金与支出计划"),
    ("goals", "绩效目标"),
    ("indicators", "绩效指标"),
    ("review", "核对"),
]
DEPARTMENT_STEPS = [
    ("basic", "基本信息"),
    ("funds", "年度预算申请"),
    ("duties", "职能职责"),
    ("goals", "年度总体目标"),
    ("indicators", "绩效指标"),
    ("review", "核对"),
]


def steps_for(declaration):
    return DEPARTMENT_STEPS if declaration.is_department_wide else STEPS


def _next_step(declaration, step):
    names = [name for name, _ in steps_for(declaration)]
    return names[names.index(step) + 1]


class Step:
    """What one editing step shows, and how its forms change a declaration."""

    template = ""

    def __init__(self, declaration, data=None):
        self.declaration = declaration
        self.data = data

    def forms(self) -> dict:
        raise NotImplementedError

    def apply(self, forms, declaration):
        raise NotImplementedError


class BasicStep(Step):
    template = "declarations/step_basic.html"

    def forms(self):
        return {"form": BasicInfoForm(self.data, instance=self.declaration)}

    def apply(self, forms, declaration):
        for name in BasicInfoForm.Meta.fields:
            setattr(declaration, name, forms["form"].cleaned_data[name])


class FundsStep(Step):
    template = "declarations/step_funds.html"

    def forms(self):
        return {"form": FundsForm(self.data, instance=self.declaration)}

    def apply(self, forms, declaration):
        form = forms["form"]
        for name in FundsForm.Meta.fields:
            setattr(declaration, name, form.cleaned_data[name])
        declaration.spending_plan = form.spending_plan()


class GoalsStep(Step):
    template = "declarations/step_goals.html"

    def forms(self):
        return {
            "formset": GoalFormSet(self.data, instance=self.declaration, prefix="goals")
        }

    def apply(self, forms, declaration):
        forms["formset"].instance = declaration
        forms["formset"].save_in_order()


class IndicatorsStep(Step):
    template = "declarations/step_indicators.html"

    def forms(self):
        taxonomy = Taxonomy.load()
        return {
            "formset": IndicatorRowFormSet(
                self.data,
                instance=self.declaration,
                prefix="indicators",
                taxonomy=taxonomy,
            ),
            "taxonomy": taxonomy,
        }

    def apply(self, forms, declaration):
        forms["formset"].instance = declaration
        forms["formset"].save_in_order()


class DepartmentBasicStep(Step):
    template = "declarations/step_basic_department.html"

    def forms(self):
        return {"form": DepartmentBasicForm(self.data, instance=self.declaration)}

    def apply(self, forms, declaration):
        for name in DepartmentBasicForm.Meta.fields:
            setattr(declaration, name, forms["form"].cleaned_data[name])


class DepartmentFundsStep(Step):
    template = "declarations/step_funds_department.html"

    def forms(self):
        return {"form": DepartmentFundsForm(self.data, instance=self.declaration)}

    def apply(self, forms, declaration):
        form = forms["form"]
        declaration.total = form.cleaned_data["total"]
        declaration.income_split = form.split_value("income")
        declaration.spending_split = form.split_value("spending")


class DutiesStep(Step):
    template = "declarations/step_duties.html"

    def forms(self):
        return {"form": DutiesForm(self.data, instance=self.declaration)}

    def apply(self, forms, declaration):
        declaration.duties = forms["form"].cleaned_data["duties"]


STEP_CLASSES = {
    "basic": BasicStep,
    "funds": FundsStep,
    "goals": GoalsStep,
    "indicators": IndicatorsStep,
}
DEPARTMENT_STEP_CLASSES = {
    "basic": DepartmentBasicStep,
    "funds": DepartmentFundsStep,
    "duties": DutiesStep,
    "goals": GoalsStep,
    "indicators": IndicatorsStep,
}


def _forms_valid(forms):
    return all(f.is_valid() for f in forms.values() if hasattr(f, "is_valid"))


@require_http_methods(["GET", "POST"])
def edit_step(request, pk, step):
    declaration = declaration_for(request.user, pk, write=True)
    classes = (
        DEPARTMENT_STEP_CLASSES if declaration.is_department_wide else STEP_CLASSES
    )
    if step not in classes:
        raise Http404
    handler = classes[step](
        declaration, request.POST if request.method == "POST" else None
    )
    forms = handler.forms()
    stale = None
    if request.method == "POST" and _forms_valid(forms):
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1
        try:
            saved = services.save_step(
                declaration.pk,
                expected_version=expected,
                by=request.user,
                apply=lambda locked: handler.apply(forms, locked),
            )
        except services.StaleVersion as error:
            stale = error
        except services.DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已保存（第 {saved.version} 版）。")
            target = step if "stay" in request.POST else _next_step(saved, step)
            return redirect(step_url(saved, target))
    elif request.method == "POST":
        messages.error(
            request, "有内容需要修改，请查看下方标红的提示。已填写的内容都保留着。"
        )
    return render(
        request,
        handler.template,
        {
            **forms,
            "declaration": declaration,
            "steps": steps_for(declaration),
            "step": step,
            "editable": True,
            "returned": workflow.latest_return(declaration),
            "stale": stale,
            # A refused save keeps the version it was opened at, so saving again
            # is refused too until the user opens the latest version.
            "version": request.POST.get("version", declaration.version),
        },
        status=409 if stale else 200,
    )


def review_context(declaration):
    """The declaration laid out as the printed table, with the checks' findings,
    the reviewer's latest comments beside their rows, and the history."""
    taxonomy = Taxonomy.load()
    declaration = (
        Declaration.objects.select_related("organization__parent", "updated_by")
        .prefetch_related("goals", "indicators__level1", "indicators__level2")
        .get(pk=declaration.pk)
    )
    findings = services.findings_for(declaration, taxonomy)
    table = indicator_table(list(declaration.indicators.all()), findings)
    returned = workflow.latest_return(declaration)
    if returned is not None:
        by_number = {item.number: item for item in table}
        for comment in returned.row_comments.all():
            if comment.row_number in by_number:
                by_number[comment.row_number].comments.append(comment)
    general = [f for f in findings if f.row is None]
    return {
        "returned": returned,
        "events": declaration.events.select_related("actor", "submission")
        .prefetch_related("row_comments")
        .order_by("-created_at", "-pk"),
        "declaration": declaration,
        "table": table,
        "findings": findings,
        "general_findings": general,
        "error_count": sum(f.is_error for f in findings),
        "warning_count": sum(f.severity == Severity.WARNING for f in findings),
        "previous": services.previous_declaration(declaration),
    }


def review_step(request, pk):
    declaration = declaration_for(request.user, pk)
    context = review_context(declaration)
    preparer = can_edit(request.user, declaration)
    reviewer = (
        reviewable_organizations(request.user)
        .filter(pk=declaration.organization_id)
        .exists()
    )
    status = declaration.status
    context.update(
        steps=steps_for(declaration),
        step="review",
        editable=preparer and declaration.is_editable,
        can_copy=preparer,
        can_submit=preparer and declaration.is_editable,
        can_withdraw=preparer and status == Status.SUBMITTED,
        can_review=reviewer and status == Status.SUBMITTED,
        can_reopen=reviewer and status == Status.APPROVED,
    )
    return render(request, "declarations/step_review.html", context)


def step_url(declaration, step):
    if step == "review":
        return reverse("declaration_detail", args=[declaration.pk])
    return reverse("declaration_step", args=[declaration.pk, step])
