import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from declarations.models import Declaration
from tests.factories import make_declaration, make_user


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    return client


def test_admin_is_in_chinese_and_manages_organizations(admin_client, unit):
    response = admin_client.get(reverse("admin:declarations_organization_changelist"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "选择 组织 来修改" in body
    assert "450002" in body


@pytest.mark.parametrize(
    "name",
    [
        "admin:declarations_membership_changelist",
        "admin:indicators_indicatorlevel1_changelist",
        "admin:indicators_indicatorlevel2_changelist",
        "admin:declarations_declaration_changelist",
    ],
)
def test_admin_pages_open(admin_client, name, unit):
    make_declaration(unit)
    assert admin_client.get(reverse(name)).status_code == 200


def test_taxonomy_can_be_extended_by_an_admin(admin_client):
    from indicators.models import IndicatorLevel1

    output = IndicatorLevel1.objects.get(name="产出指标")
    response = admin_client.get(
        reverse("admin:indicators_indicatorlevel1_change", args=[output.pk])
    )
    body = response.content.decode()
    assert "数量指标" in body and "成本指标" in body


def test_preparer_cannot_open_the_admin(client, preparer):
    client.force_login(preparer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_organizations_import_through_the_admin_resource(db):
    import tablib

    from declarations.models import Organization
    from declarations.resources import OrganizationResource

    data = tablib.Dataset(
        headers=[
            "代码",
            "名称",
            "类型（department/unit）",
            "上级主管部门代码",
            "申报表样式代码（如 hebei、central）",
            "资金支出计划节点（月）",
        ]
    )
    data.append(["301", "某市医疗保障局", "department", "", "hebei", "3,6,10,12"])
    data.append(["301001", "某市医保中心", "unit", "301", "central", ""])
    result = OrganizationResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    unit = Organization.objects.get(code="301001")
    assert unit.parent.code == "301" and unit.effective_layout == "hebei"


def test_an_organization_import_with_a_bad_row_changes_nothing(db):
    import tablib

    from declarations.models import Organization
    from declarations.resources import OrganizationResource

    data = tablib.Dataset(
        headers=["代码", "名称", "类型（department/unit）", "上级主管部门代码"]
    )
    data.append(["302", "甲局", "department", ""])
    data.append(["302001", "没有上级的单位", "unit", ""])  # a unit needs a department
    # As the admin's import does it: in a transaction, rolled back on any
    # validation error.
    result = OrganizationResource().import_data(
        data, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    assert not Organization.objects.filter(code__startswith="302").exists()


def test_taxonomy_exports_from_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:indicators_indicatorlevel2_export"),
        {"format": "0", "resource": "0", "level1": True, "name": True},
    )
    assert response.status_code == 200


def _admin_form(declaration, user, **changes):
    """The admin's change form of a declaration as its page posts it."""
    import json

    from django.contrib import admin
    from django.forms.models import model_to_dict
    from django.test import RequestFactory

    from declarations.models import Declaration

    request = RequestFactory().post("/")
    request.user = user
    model_admin = admin.site._registry[Declaration]
    form_class = model_admin.get_form(request, declaration, change=True)
    data = {
        key: json.dumps(value) if isinstance(value, list) else value
        for key, value in model_to_dict(declaration).items()
        if value is not None
    }
    data |= {"opened_version": declaration.version, **changes}
    return model_admin, request, form_class(data, instance=declaration)


def test_an_admin_save_is_a_new_version(unit):
    superuser = make_user("root-admin", is_staff=True, is_superuser=True)
    declaration = make_declaration(unit)
    model_admin, request, form = _admin_form(
        declaration, superuser, project_name="管理员改的名称"
    )
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    declaration.refresh_from_db()
    assert (declaration.version, declaration.project_name) == (2, "管理员改的名称")
    assert declaration.updated_by == superuser


def test_an_admin_save_over_a_newer_version_is_refused(unit, preparer):
    from declarations.services import drafts

    superuser = make_user("root-admin", is_staff=True, is_superuser=True)
    declaration = make_declaration(unit, preparer)
    opened = Declaration.objects.get(pk=declaration.pk)
    drafts.save_changes(
        declaration.pk,
        expected_version=1,
        by=preparer,
        changes=drafts.DraftChanges(fields={"project_name": "填报人改的名称"}),
    )
    _, _, form = _admin_form(opened, superuser, project_name="管理员改的名称")
    assert not form.is_valid()
    assert "保存未成功" in str(form.non_field_errors())
    declaration.refresh_from_db()
    assert declaration.project_name == "填报人改的名称"


def test_goals_and_rows_saved_in_the_admin_are_cleaned_like_the_pages(
    admin_client, unit
):
    import json

    from django.forms.models import model_to_dict

    declaration = make_declaration(unit)
    goal = declaration.goals.get()
    row = declaration.indicators.first()
    page = admin_client.get(
        reverse("admin:declarations_declaration_change", args=[declaration.pk])
    )
    data = {
        key: json.dumps(value) if isinstance(value, list) else value
        for key, value in model_to_dict(declaration).items()
        if value is not None
    }
    data["opened_version"] = declaration.version
    for formset in page.context["inline_admin_formsets"]:
        formset = formset.formset
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": len(formset.forms),
                f"{formset.prefix}-INITIAL_FORMS": len(formset.forms),
                f"{formset.prefix}-MIN_NUM_FORMS": 0,
                f"{formset.prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for each in formset.forms:
            for name in each.fields:
                value = each[name].value()
                if value not in (None, ""):
                    data[each.add_prefix(name)] = value
    goal_key = next(
        k for k, v in data.items() if k.endswith("-text") and v == goal.text
    )
    data[goal_key] = "目标\x0b第二行\x00"
    level3_key = next(
        k for k, v in data.items() if k.endswith("-level3") and v == row.level3
    )
    data[level3_key] = "指标\x1f名称"
    response = admin_client.post(
        reverse("admin:declarations_declaration_change", args=[declaration.pk]), data
    )
    assert response.status_code == 302, response.context["errors"]
    goal.refresh_from_db()
    row.refresh_from_db()
    assert (goal.text, row.level3) == ("目标\n第二行", "指标名称")


def _as_posted(response):
    """The data the admin change page would post back unchanged."""

    def fields(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            yield form.add_prefix(name), "on" if value is True else value

    data = dict(fields(response.context["adminform"].form))
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(fields(formset.management_form))
        for form in formset.forms:
            data.update(fields(form))
    return data


def test_an_admin_change_is_logged_with_who_and_when(admin_client, unit, preparer):
    url = reverse("admin:declarations_organization_change", args=[unit.pk])
    data = _as_posted(admin_client.get(url))
    data["name"] = "北戴河区财政局（更名）"
    data["memberships-0-role"] = "admin"
    assert admin_client.post(url, data).status_code == 302

    log = admin_client.get(reverse("admin:admin_logentry_changelist"))
    assert log.status_code == 200
    page = log.content.decode()
    assert "北戴河区财政局（更名）" in page
    assert "root-admin" in page
    # The entry names the field changed and the membership changed with it.
    assert "修改：已修改名称。 修改了 成员角色“preparer" in page


def test_nobody_can_alter_the_admin_log(admin_client, unit):
    url = reverse("admin:declarations_organization_change", args=[unit.pk])
    data = _as_posted(admin_client.get(url))
    data["name"] = "改了名的单位"
    admin_client.post(url, data)
    entry = LogEntry.objects.get()
    change = admin_client.get(reverse("admin:admin_logentry_change", args=[entry.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    delete = admin_client.post(
        reverse("admin:admin_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
