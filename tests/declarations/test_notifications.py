"""The bell: returns, row comments, approvals and deadline reminders, as the
preparers see them, and only ever their own."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from declarations.models import Deadline, Notification, Status
from declarations.reminders import remind_deadlines
from declarations.services import workflow
from tests.factories import make_declaration, make_unit, make_user


@pytest.fixture
def declaration(unit, preparer):
    return make_declaration(unit, preparer)


@pytest.fixture
def submitted(declaration, preparer):
    workflow.submit(declaration, by=preparer)
    return declaration


def _bell(client) -> int:
    """The unread count the navigation bar shows (0 when no badge)."""
    html = client.get(reverse("home")).content.decode()
    found = re.search(r'data-testid="badge-unread">([^<]+)<', html)
    return int(found.group(1)) if found else 0


def _return(declaration, reviewer, capture, *, comment="请核实成本", rows=None):
    with capture(execute=True):
        workflow.return_for_revision(
            declaration, by=reviewer, comment=comment, row_comments=rows or {}
        )


def test_after_a_return_the_preparers_bell_lists_it_with_the_project_name(
    client, submitted, preparer, reviewer, django_capture_on_commit_callbacks
):
    _return(submitted, reviewer, django_capture_on_commit_callbacks)
    client.force_login(preparer)
    assert _bell(client) == 1
    page = client.get(reverse("notifications")).content.decode()
    assert "《医保经办工作经费》（2024年度）已被退回修改：请核实成本" in page
    assert "退回修改" in page and "data-unread" in page


def test_the_reviewer_who_returned_gets_no_notification(
    client, submitted, reviewer, django_capture_on_commit_callbacks
):
    _return(submitted, reviewer, django_capture_on_commit_callbacks)
    assert not reviewer.notifications.exists()
    client.force_login(reviewer)
    assert _bell(client) == 0


def test_row_comments_add_one_comment_notification_counting_the_rows(
    submitted, preparer, reviewer, django_capture_on_commit_callbacks
):
    _return(
        submitted,
        reviewer,
        django_capture_on_commit_callbacks,
        comment="",
        rows={2: "结算率偏低", 4: "业务经费不应超过预算"},
    )
    kinds = dict(preparer.notifications.values_list("kind", "text"))
    assert kinds["comment"].startswith("审核人对《医保经办工作经费》")
    assert "的 2 行指标提出了意见" in kinds["comment"]
    assert "请查看指标行旁的审核意见" in kinds["returned"]


def test_a_long_opinion_is_cut_to_a_summary(
    submitted, preparer, reviewer, django_capture_on_commit_callbacks
):
    _return(
        submitted, reviewer, django_capture_on_commit_callbacks, comment="核实" * 900
    )
    (notification,) = preparer.notifications.all()
    assert notification.text.endswith("…")
    assert len(notification.text) < 120


def test_after_approval_the_preparer_learns_the_grade(
    submitted, preparer, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(submitted, by=reviewer, grade="良")
    (notification,) = preparer.notifications.all()
    assert notification.kind == Notification.Kind.APPROVED
    assert (
        notification.text
        == "《医保经办工作经费》（2024年度）已审核通过，综合评定：良。"
    )
    assert notification.declaration == submitted
    assert not reviewer.notifications.exists()


def test_a_reopening_tells_the_preparer_why(
    submitted, preparer, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(submitted, by=reviewer, grade="优")
        workflow.reopen(submitted, by=reviewer, reason="预算数有调整")
    latest = preparer.notifications.first()
    assert latest.kind == Notification.Kind.RETURNED
    assert "已撤销审核，退回修改：预算数有调整" in latest.text


def test_preparers_of_another_unit_hear_nothing(
    submitted, reviewer, outsider, department, django_capture_on_commit_callbacks
):
    neighbour = make_user(
        "neighbour", "preparer", make_unit(department, "450003", "邻")
    )
    _return(submitted, reviewer, django_capture_on_commit_callbacks)
    assert not outsider.notifications.exists()
    assert not neighbour.notifications.exists()


def test_opening_a_notification_marks_it_read_and_shows_the_declaration(
    client, submitted, preparer, reviewer, django_capture_on_commit_callbacks
):
    _return(submitted, reviewer, django_capture_on_commit_callbacks)
    (notification,) = preparer.notifications.all()
    client.force_login(preparer)
    client.get(reverse("notifications"))
    assert _bell(client) == 1  # looking at the list reads nothing
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response.url == reverse("declaration_detail", args=[submitted.pk])
    assert _bell(client) == 0


def test_another_users_notification_is_not_found(
    client, submitted, preparer, reviewer, outsider, django_capture_on_commit_callbacks
):
    _return(submitted, reviewer, django_capture_on_commit_callbacks)
    (notification,) = preparer.notifications.all()
    client.force_login(outsider)
    url = reverse("notification_open", args=[notification.pk])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_sets_the_count_to_zero(client, preparer, declaration):
    for i in range(3):
        Notification.objects.create(
            user=preparer, kind="comment", declaration=declaration, text=f"意见{i}"
        )
    client.force_login(preparer)
    assert _bell(client) == 3
    response = client.post(reverse("notifications_read_all"), follow=True)
    assert "全部通知已标为已读" in response.content.decode()
    assert _bell(client) == 0


def test_the_list_is_paged_by_thirty_with_queries_that_do_not_grow(
    client, preparer, declaration
):
    def queries(page=1):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("notifications"), {"page": page})
        return len(captured), response

    client.force_login(preparer)
    Notification.objects.create(user=preparer, kind="comment", text="第一条")
    few, _ = queries()
    Notification.objects.bulk_create(
        Notification(user=preparer, kind="comment", declaration=declaration, text="x")
        for _ in range(40)
    )
    many, response = queries()
    assert many == few
    assert len(response.context["page"]) == 30
    assert "第 1 / 2 页，共 41 条" in response.content.decode()
    _, second = queries(2)
    assert "第一条" in second.content.decode()


# Deadline reminders


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def deadline_in_five_days(department, today):
    return Deadline.objects.create(
        department=department, year=2025, due=today + timedelta(days=5)
    )


def test_a_deadline_five_days_away_reminds_each_preparer_with_a_draft(
    unit, preparer, deadline_in_five_days, today
):
    colleague = make_user("colleague", "preparer", unit)
    make_declaration(unit, preparer, year=2025)
    returned = make_declaration(unit, preparer, year=2025, project_code="RETURNED")
    returned.status = Status.RETURNED
    returned.save(update_fields=["status"])
    make_declaration(unit, preparer, year=2024, project_code="LAST-YEAR")
    assert remind_deadlines(today) == 2
    due = deadline_in_five_days.due
    for user in (preparer, colleague):
        (reminder,) = user.notifications.all()
        assert reminder.kind == Notification.Kind.DEADLINE
        assert reminder.text == (
            f"2025 年申报将于 {due.month} 月 {due.day} 日截止，"
            "您还有 2 份申报表未提交。"
        )


def test_reminding_twice_on_one_day_creates_nothing_new(
    unit, preparer, deadline_in_five_days, today
):
    make_declaration(unit, preparer, year=2025)
    assert remind_deadlines(today) == 1
    assert remind_deadlines(today) == 0
    assert preparer.notifications.count() == 1


@pytest.mark.parametrize("days", [20, -1])
def test_a_deadline_far_away_or_past_reminds_nobody(
    unit, department, preparer, today, days
):
    Deadline.objects.create(
        department=department, year=2025, due=today + timedelta(days=days)
    )
    make_declaration(unit, preparer, year=2025)
    assert remind_deadlines(today) == 0


def test_a_unit_whose_tables_are_all_submitted_is_not_reminded(
    department, preparer, deadline_in_five_days, today
):
    done = make_unit(department, "450009", "已提交完的单位")
    diligent = make_user("diligent", "preparer", done)
    table = make_declaration(done, diligent, year=2025)
    workflow.submit(table, by=diligent)
    approved = make_declaration(done, diligent, year=2025, project_code="APPROVED")
    approved.status = Status.APPROVED
    approved.save(update_fields=["status"])
    assert remind_deadlines(today) == 0
    assert not diligent.notifications.exists()


def test_a_preparer_of_another_department_is_never_reminded(
    unit, preparer, other_unit, outsider, deadline_in_five_days, today
):
    make_declaration(unit, preparer, year=2025)
    make_declaration(other_unit, outsider, year=2025)
    assert remind_deadlines(today) == 1
    assert not outsider.notifications.exists()


def test_a_reminder_opens_the_declaration_list(
    client, unit, preparer, deadline_in_five_days, today
):
    make_declaration(unit, preparer, year=2025)
    remind_deadlines(today)
    client.force_login(preparer)
    assert _bell(client) == 1
    (reminder,) = preparer.notifications.all()
    response = client.post(reverse("notification_open", args=[reminder.pk]))
    assert response.url == reverse("declaration_list")


def test_the_command_says_how_many_reminders_it_sent(
    unit, preparer, deadline_in_five_days, capsys
):
    make_declaration(unit, preparer, year=2025)
    call_command("remind_deadlines")
    assert "已发出 1 条截止提醒" in capsys.readouterr().out


def test_an_administrator_lists_the_deadlines_by_year(client, deadline_in_five_days):
    admin = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:declarations_deadline_changelist")
    response = client.get(url, {"year": 2025})
    assert response.status_code == 200
    assert "秦皇岛市北戴河区医疗保障局" in response.content.decode()
