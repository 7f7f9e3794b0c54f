"""The declaration list, new declarations and copies of earlier years."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from declarations import services
from declarations.access import (
    can_edit,
    declaration_for,
    readable_organizations,
    writable_organizations,
)
from declarations.forms import (
    BasicInfoForm,
    CopyForm,
    DeclarationFilterForm,
    DepartmentBasicForm,
)
from declarations.models import Declaration, Kind, Organization, ProjectAttribute

PAGE_SIZE = 20


def default_year() -> int:
    """Budgets are declared in the autumn for the year to come."""
    today = timezone.localdate()
    return today.year + 1 if today.month >= 7 else today.year


def declaration_list(request):
    units = readable_organizations(request.user).filter(kind="unit")
    filters = DeclarationFilterForm(request.GET or None, units=units)
    declarations = Declaration.objects.filter(
        organization__in=readable_organizations(request.user)
    ).select_related("organization")
    year = None
    if filters.is_valid():
        year = filters.cleaned_data["year"]
        if year:
            declarations = declarations.filter(year=year)
        if filters.cleaned_data["unit"]:
            declarations = declarations.filter(
                organization=filters.cleaned_data["unit"]
            )
        if q := filters.cleaned_data["q"].strip():
            declarations = declarations.filter(
                Q(project_code__icontains=q) | Q(project_name__icontains=q)
            )
    page = Paginator(
        declarations.order_by("-year", "organization__code", "project_code", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "declarations/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_create": writable_organizations(request.user)
            .filter(kind=Organization.Kind.UNIT)
            .exists(),
            "can_create_department": writable_organizations(request.user)
            .filter(kind=Organization.Kind.DEPARTMENT)
            .exists(),
            "pending_copies": _continuing_not_yet_declared(request.user, year),
            "year": year,
        },
    )


def _continuing_not_yet_declared(user, year):
    """Last year's continuing projects of the user's units not declared in `year`."""
    if not year:
        return []
    units = writable_organizations(user)
    declared = Declaration.objects.filter(
        organization__in=units, year=year
    ).values_list("organization_id", "project_code")
    declared = set(declared)
    last_year = Declaration.objects.filter(
        organization__in=units,
        year=year - 1,
        attribute=ProjectAttribute.CONTINUING,
    ).select_related("organization")
    return [
        d
        for d in last_year
        if not d.project_code or (d.organization_id, d.project_code) not in declared
    ]


@require_http_methods(["GET", "POST"])
def declaration_new(request):
    units = writable_organizations(request.user).filter(kind=Organization.Kind.UNIT)
    if not units.exists():
        messages.error(request, "只有单位的填报人可以新建项目申报表。")
        return redirect("declaration_list")
    form = BasicInfoForm(
        request.POST or None, units=units, initial={"year": default_year()}
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in BasicInfoForm.Meta.fields}
        try:
            declaration = services.create_declaration(
                form.cleaned_data["organization"], by=request.user, fields=fields
            )
        except services.DomainError as error:
            form.add_error("project_code", str(error))
        else:
            messages.success(request, "已新建申报表，请继续填写资金与支出计划。")
            return redirect("declaration_step", pk=declaration.pk, step="funds")
    sources = _copy_sources(request.user)
    return render(
        request,
        "declarations/new.html",
        {
            "form": form,
            "copy_form": CopyForm(sources=sources, initial={"year": default_year()}),
            "has_sources": sources.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def department_declaration_new(request):
    departments = writable_organizations(request.user).filter(
        kind=Organization.Kind.DEPARTMENT
    )
    if not departments.exists():
        messages.error(
            request, "只有主管部门的填报人可以新建部门整体支出绩效目标申报表。"
        )
        return redirect("declaration_list")
    form = DepartmentBasicForm(
        request.POST or None,
        departments=departments,
        initial={"year": default_year(), "project_name": departments[0].name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.create_declaration(
                form.cleaned_data["organization"],
                by=request.user,
                fields={
                    "kind": Kind.DEPARTMENT,
                    "year": form.cleaned_data["year"],
                    "project_name": form.cleaned_data["project_name"],
                },
            )
        except services.DomainError as error:
            form.add_error("year", str(error))
        else:
            messages.success(
                request, "已新建部门整体支出绩效目标申报表，请填写年度预算申请。"
            )
            return redirect("declaration_step", pk=declaration.pk, step="funds")
    return render(request, "declarations/new_department.html", {"form": form})


def _copy_sources(user):
    return (
        Declaration.objects.filter(organization__in=writable_organizations(user))
        .select_related("organization")
        .order_by("-year", "project_code")
    )


@require_POST
def declaration_copy(request):
    form = CopyForm(request.POST, sources=_copy_sources(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("declaration_new")
    try:
        copy = services.copy_declaration(
            form.cleaned_data["source"], year=form.cleaned_data["year"], by=request.user
        )
    except services.DomainError as error:
        messages.error(request, str(error))
        return redirect("declaration_new")
    messages.success(
        request,
        f"已从 {copy.copied_from.year} 年申报复制为 {copy.year} 年草稿，"
        "请逐项核对金额、文字中的年份和指标值。",
    )
    return redirect("declaration_step", pk=copy.pk, step="basic")


@require_POST
def declaration_copy_next_year(request, pk):
    # An approved declaration is read-only, but it may still be copied.
    source = declaration_for(request.user, pk)
    if not can_edit(request.user, source):
        raise PermissionDenied("只有本单位的填报人可以复制申报表。")
    try:
        copy = services.copy_declaration(source, year=source.year + 1, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
        return redirect("declaration_detail", pk=source.pk)
    messages.success(
        request,
        f"已复制为 {copy.year} 年草稿，请逐项核对金额、文字中的年份和指标值。",
    )
    return redirect("declaration_step", pk=copy.pk, step="basic")
