"""The department's own pages: its goals (part one of the book) and the
overview of its years."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from declarations import selectors
from declarations.access import (
    can_edit,
    department_goals_for,
    preparing_departments,
    readable_departments,
)
from declarations.forms.department import (
    BookForm,
    DepartmentGoalsForm,
    GoalItemFormSet,
    MeasureFormSet,
)
from declarations.http import posted_version, render_versioned
from declarations.models import default_year
from declarations.services import department as department_goals
from declarations.services.errors import StaleVersion


def department_home(request):
    """Per department and year: the goals, the department-wide declaration,
    how many project tables are approved, and the book."""
    rows = selectors.department_years(request.user)
    editable = preparing_departments(request.user)
    return render(
        request,
        "declarations/department_home.html",
        {
            "rows": rows,
            "has_departments": readable_departments(request.user).exists(),
            "start_form": BookForm(
                departments=editable, initial={"year": default_year()}
            )
            if editable.exists()
            else None,
        },
    )


@require_POST
def goals_start(request):
    form = BookForm(request.POST, departments=preparing_departments(request.user))
    if not form.is_valid():
        messages.error(request, "请选择您所在的主管部门，并填写 2000–2100 之间的年度。")
        return redirect("department_home")
    goals = department_goals.start_goals(
        form.cleaned_data["department"],
        year=form.cleaned_data["year"],
        by=request.user,
    )
    return redirect("department_goals", pk=goals.pk)


@require_http_methods(["GET", "POST"])
def goals_edit(request, pk):
    goals = department_goals_for(request.user, pk)
    editable = can_edit(request.user, goals)
    if request.method == "POST" and not editable:
        raise PermissionDenied("只有主管部门的填报人可以修改部门整体绩效目标。")
    data = request.POST if request.method == "POST" else None
    form = DepartmentGoalsForm(data, instance=goals)
    items = GoalItemFormSet(data, instance=goals, prefix="items")
    measures = MeasureFormSet(data, instance=goals, prefix="measures")
    stale = None
    if data is not None and all(f.is_valid() for f in (form, items, measures)):
        try:
            department_goals.save_goals(
                goals.pk,
                expected_version=posted_version(request),
                by=request.user,
                overall=form.cleaned_data["overall"],
                items=items.items(),
                measures=measures.measures(),
            )
        except StaleVersion as error:
            stale = error
        else:
            messages.success(request, "部门整体绩效目标已保存。", extra_tags="saved")
            return redirect("department_goals", pk=goals.pk)
    elif data is not None:
        messages.error(
            request, "有内容需要修改，请查看下方标红的提示。已填写的内容都保留着。"
        )
    context = {
        "goals": goals,
        "form": form,
        "items": items,
        "measures": measures,
        "editable": editable,
    }
    return render_versioned(
        request,
        "declarations/department_goals.html",
        context,
        record=goals,
        stale=stale,
    )
