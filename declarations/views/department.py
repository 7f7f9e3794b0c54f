"""The department's own pages: its goals (part one of the book) and the book."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from declarations import book, printing, services
from declarations.access import readable_organizations, writable_organizations
from declarations.forms import (
    BookForm,
    DepartmentGoalsForm,
    GoalItemFormSet,
    MeasureFormSet,
)
from declarations.models import Declaration, DepartmentGoals, Kind, Organization, Status
from declarations.views.lists import default_year
from declarations.views.responses import file_response


def _departments(user):
    return readable_organizations(user).filter(kind=Organization.Kind.DEPARTMENT)


def department_home(request):
    """Per department and year: the goals, the department-wide declaration,
    how many project tables are approved, and the book."""
    departments = list(_departments(request.user).order_by("code"))
    writable = set(writable_organizations(request.user).values_list("pk", flat=True))
    rows = []
    for department in departments:
        declarations = Declaration.objects.filter(
            Q(organization=department) | Q(organization__parent=department)
        )
        goals = {g.year: g for g in department.department_goals.all()}
        years = sorted(
            set(declarations.values_list("year", flat=True)) | set(goals), reverse=True
        )
        for year in years:
            of_year = declarations.filter(year=year)
            rows.append(
                {
                    "department": department,
                    "year": year,
                    "goals": goals.get(year),
                    "wide": of_year.filter(kind=Kind.DEPARTMENT).first(),
                    "approved": of_year.filter(
                        kind=Kind.PROJECT, status=Status.APPROVED
                    ).count(),
                    "projects": of_year.filter(kind=Kind.PROJECT).count(),
                    "can_edit": department.pk in writable,
                }
            )
    editable = [d for d in departments if d.pk in writable]
    return render(
        request,
        "declarations/department_home.html",
        {
            "rows": rows,
            "has_departments": bool(departments),
            "start_form": BookForm(
                departments=Organization.objects.filter(
                    pk__in=[d.pk for d in editable]
                ),
                initial={"year": default_year()},
            )
            if editable
            else None,
        },
    )


@require_POST
def goals_start(request):
    departments = writable_organizations(request.user).filter(
        kind=Organization.Kind.DEPARTMENT
    )
    form = BookForm(request.POST, departments=departments)
    if not form.is_valid():
        messages.error(request, "请选择您所在的主管部门，并填写 2000–2100 之间的年度。")
        return redirect("department_home")
    goals, _ = DepartmentGoals.objects.get_or_create(
        organization=form.cleaned_data["department"],
        year=form.cleaned_data["year"],
        defaults={"updated_by": request.user},
    )
    return redirect("department_goals", pk=goals.pk)


@require_http_methods(["GET", "POST"])
def goals_edit(request, pk):
    goals = get_object_or_404(
        DepartmentGoals.objects.select_related("organization", "updated_by"),
        pk=pk,
        organization__in=_departments(request.user),
    )
    editable = (
        writable_organizations(request.user).filter(pk=goals.organization_id).exists()
    )
    if request.method == "POST" and not editable:
        raise PermissionDenied("只有主管部门的填报人可以修改部门整体绩效目标。")
    data = request.POST if request.method == "POST" else None
    form = DepartmentGoalsForm(data, instance=goals)
    items = GoalItemFormSet(data, instance=goals, prefix="items")
    measures = MeasureFormSet(data, instance=goals, prefix="measures")
    stale = None
    if data is not None and all(f.is_valid() for f in (form, items, measures)):

        def apply(locked):
            locked.overall = form.cleaned_data["overall"]
            for formset in (items, measures):
                formset.instance = locked
                formset.save_in_order()
            # Part one of the book changed: lay the book out after commit.
            transaction.on_commit(
                lambda: printing.prepare_book(locked.organization, locked.year)
            )

        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1
        try:
            services.save_versioned(
                DepartmentGoals,
                goals.pk,
                expected_version=expected,
                by=request.user,
                apply=apply,
            )
        except services.StaleVersion as error:
            stale = error
        else:
            messages.success(request, "部门整体绩效目标已保存。")
            return redirect("department_goals", pk=goals.pk)
    elif data is not None:
        messages.error(
            request, "有内容需要修改，请查看下方标红的提示。已填写的内容都保留着。"
        )
    return render(
        request,
        "declarations/department_goals.html",
        {
            "goals": goals,
            "form": form,
            "items": items,
            "measures": measures,
            "editable": editable,
            "stale": stale,
            "version": request.POST.get("version", goals.version),
        },
        status=409 if stale else 200,
    )


@require_GET
def book_pdf(request, pk, year):
    department = get_object_or_404(_departments(request.user), pk=pk)
    return file_response(
        book.render_book(department, year),
        book.filename(department, year),
        "application/pdf",
        download=bool(request.GET.get("download")),
    )
