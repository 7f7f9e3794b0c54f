from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declarations.models import Declaration, Status
from declarations.services import drafts, workflow
from tests.factories import make_declaration, make_unit, make_user


@pytest.fixture
def declaration(unit, preparer):
    return make_declaration(unit, preparer)


def detail(declaration):
    return reverse("declaration_detail", args=[declaration.pk])


def test_submitting_from_the_page_lists_the_blocking_errors(client, unit, preparer):
    declaration = make_declaration(unit, preparer, goals=[])
    client.force_login(preparer)
    response = client.post(
        reverse("declaration_submit", args=[declaration.pk]), follow=True
    )
    body = response.content.decode()
    assert "改正后才能提交审核" in body and "请至少填写一条绩效目标" in body
    declaration.refresh_from_db()
    assert declaration.status == Status.DRAFT


def test_submitted_declaration_cannot_be_edited_from_the_pages(
    client, declaration, preparer
):
    workflow.submit(declaration, by=preparer)
    client.force_login(preparer)
    response = client.get(reverse("declaration_step", args=[declaration.pk, "basic"]))
    assert response.status_code == 403
    assert "请先在申报表页面“撤回”" in response.content.decode()
    page = client.get(detail(declaration)).content.decode()
    assert "撤回" in page and "提交审核</button>" not in page


def test_approved_declaration_is_read_only_but_can_be_copied(
    client, declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="良")
    client.force_login(preparer)
    for step in ["basic", "funds", "goals", "indicators"]:
        url = reverse("declaration_step", args=[declaration.pk, step])
        assert client.get(url).status_code == 403
        assert client.post(url, {"version": declaration.version}).status_code == 403
    page = client.get(detail(declaration)).content.decode()
    assert "综合评定等级：良" in page
    copy = client.post(reverse("declaration_copy_next_year", args=[declaration.pk]))
    assert copy.status_code == 302


def test_staff_who_are_not_superusers_cannot_change_approved_ones_in_admin(
    client, declaration, preparer, reviewer
):
    from django.contrib.auth.models import Permission

    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="优")
    staff = make_user("clerk", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["change_declaration", "view_declaration"]
        )
    )
    client.force_login(staff)
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    response = client.post(url, {"project_name": "管理后台改名"})
    declaration.refresh_from_db()
    assert declaration.project_name == "医保经办工作经费"
    assert response.status_code in {200, 403}


def test_reviewer_approval_needs_a_grade_on_the_page(
    client, declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    client.force_login(reviewer)
    url = reverse("review", args=[declaration.pk])
    response = client.post(url, {"decision": "approve", "comment": "同意"})
    body = response.content.decode()
    assert "审核通过时请选择综合评定等级" in body
    assert "同意" in body  # the typed comment is kept
    response = client.post(url, {"decision": "approve", "grade": "良"})
    assert response["Location"] == reverse("review_queue")
    declaration.refresh_from_db()
    assert (declaration.status, declaration.grade) == (Status.APPROVED, "良")


def test_row_comment_from_the_review_page_reaches_the_preparer(
    client, declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    client.force_login(reviewer)
    client.post(
        reverse("review", args=[declaration.pk]),
        {"decision": "return", "comment": "", "row_comment_4": "业务经费请按预算核实"},
    )
    declaration.refresh_from_db()
    assert declaration.status == Status.RETURNED
    client.force_login(preparer)
    response = client.get(detail(declaration))
    row = {item.number: item for item in response.context["table"]}[4]
    assert [c.text for c in row.comments] == ["业务经费请按预算核实"]
    edit = client.get(reverse("declaration_step", args=[declaration.pk, "indicators"]))
    assert "第 4 行“业务经费”：业务经费请按预算核实" in edit.content.decode()


def test_review_page_shows_what_changed_since_the_return(
    client, declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    workflow.return_for_revision(
        declaration, by=reviewer, comment="改", row_comments={}
    )

    rows = list(declaration.indicators.all())
    for row in rows:
        if row.level3 == "业务经费":
            row.value = "≤30万元"
    declaration.refresh_from_db()
    drafts.save_changes(
        declaration.pk,
        expected_version=declaration.version,
        by=preparer,
        changes=drafts.DraftChanges(fields={"total": 30, "fiscal": 30}, rows=rows),
    )
    workflow.submit(declaration, by=preparer)
    client.force_login(reviewer)
    response = client.get(reverse("review", args=[declaration.pk]))
    changes = response.context["changes"]
    assert ("预算数", "35.00", "30.00") in changes["fields"]
    (row,) = changes["rows"]
    assert (row["kind"], row["title"], row["columns"]) == (
        "changed",
        "业务经费",
        [("指标值", "≤35万元", "≤30万元")],
    )
    assert "≤35万元" in response.content.decode()


def test_preparer_cannot_open_the_review_page(client, declaration, preparer):
    workflow.submit(declaration, by=preparer)
    client.force_login(preparer)
    assert client.get(reverse("review", args=[declaration.pk])).status_code == 403


def test_queue_lists_waiting_declarations_oldest_first_with_counts_per_unit(
    client, department, unit, preparer, reviewer, other_unit
):
    second = make_unit(department, "450003", "北戴河区医保中心")
    second_preparer = make_user("center", "preparer", second)
    newest = make_declaration(unit, preparer, project_code="A", project_name="新")
    oldest = make_declaration(
        second, second_preparer, project_code="B", project_name="旧"
    )
    middle = make_declaration(unit, preparer, project_code="C", project_name="中")
    foreign = make_declaration(other_unit, None, project_code="D", project_name="外")
    now = timezone.now()
    for d, user, age in [
        (newest, preparer, 1),
        (oldest, second_preparer, 30),
        (middle, preparer, 10),
    ]:
        workflow.submit(d, by=user)
        d.refresh_from_db()
        type(d).objects.filter(pk=d.pk).update(submitted_at=now - timedelta(hours=age))
    foreign.status = Status.SUBMITTED
    foreign.save()
    client.force_login(reviewer)
    response = client.get(reverse("review_queue"))
    assert [d.project_name for d in response.context["waiting"]] == ["旧", "中", "新"]
    assert [
        (u["organization__code"], u["count"]) for u in response.context["per_unit"]
    ] == [
        ("450002", 2),
        ("450003", 1),
    ]
    assert 'data-testid="badge-to-review">3<' in response.content.decode()


def test_preparer_badge_counts_returned_declarations(
    client, declaration, preparer, reviewer
):
    workflow.submit(declaration, by=preparer)
    workflow.return_for_revision(
        declaration, by=reviewer, comment="改", row_comments={}
    )
    client.force_login(preparer)
    body = client.get("/").content.decode()
    assert 'data-testid="badge-returned">1<' in body


def test_the_queue_pages_through_a_deadlines_rush_in_a_fixed_number_of_queries(
    client, unit, reviewer, django_assert_max_num_queries
):
    from declarations.views.review import QUEUE_PAGE

    for i in range(QUEUE_PAGE + 5):
        make_declaration(unit, None, project_code=f"Q-{i:03d}")
    Declaration.objects.filter(organization=unit).update(
        status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    client.force_login(reviewer)
    with django_assert_max_num_queries(15):
        first = client.get(reverse("review_queue"))
    assert len(first.context["waiting"]) == QUEUE_PAGE
    assert f"共 {QUEUE_PAGE + 5} 份等待审核" in first.content.decode()
    last = client.get(reverse("review_queue"), {"page": 2})
    assert len(last.context["waiting"]) == 5
