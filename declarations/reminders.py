"""Reminders in the bell as a department's deadline (申报截止日期) draws near.

Run once a day (`manage.py remind_deadlines` from cron, or the task
`send_deadline_reminders` enqueued by a scheduler): running again on the
same day creates nothing new.
"""

from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from declarations.models import Deadline, Membership, Notification, Role, Status

try:  # Django 6 has the tasks framework built in; 5.2 uses its backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

# A deadline is announced this many days ahead, and every day until it.
DAYS_AHEAD = 7
PENDING = [Status.DRAFT, Status.RETURNED]


def remind_deadlines(today: date) -> int:
    """Remind every preparer with tables still to submit of each deadline due
    between `today` (the local date the reminders run on) and DAYS_AHEAD days
    later; return how many reminders were created.

    Tables still to submit are the year's declarations in draft (草稿) or
    returned (已退回) of the department's units and of the department itself
    (its 部门整体支出 table). A unit with no declaration of the year is not
    reminded: not every unit has a project every year, and there would be
    nothing to count or open; the department's reviewers see who has filed.
    A preparer gets at most one reminder per deadline and day, counting the
    tables of all the organizations they prepare in.
    """
    deadlines = Deadline.objects.filter(
        due__gte=today, due__lte=today + timedelta(days=DAYS_AHEAD)
    ).select_related("department")
    pending = Counter()
    for deadline in deadlines:
        department = deadline.department
        per_user = (
            Membership.objects.filter(
                Q(organization=department) | Q(organization__parent=department),
                role=Role.PREPARER,
                user__is_active=True,
                organization__declarations__year=deadline.year,
                organization__declarations__status__in=PENDING,
            )
            .values("user_id")
            .annotate(tables=Count("organization__declarations"))
        )
        for row in per_user:
            # Two departments with the same year and day make one reminder.
            pending[row["user_id"], deadline.year, deadline.due] += row["tables"]
    made = [
        Notification(
            user_id=user,
            kind=Notification.Kind.DEADLINE,
            text=f"{_opening(year, due)}，您还有 {tables} 份申报表未提交。",
        )
        for (user, year, due), tables in sorted(pending.items())
    ]
    with transaction.atomic():
        made = [n for n in made if not _reminded(n, today)]
        Notification.objects.bulk_create(made)
    return len(made)


def _opening(year: int, due: date) -> str:
    return f"{year} 年申报将于 {due.month} 月 {due.day} 日截止"


def _reminded(notification: Notification, today: date) -> bool:
    """The user had this deadline's reminder today already (the opening of
    the text names the deadline; the count may have changed since)."""
    opening = notification.text.split("，")[0]
    return Notification.objects.filter(
        user_id=notification.user_id,
        kind=Notification.Kind.DEADLINE,
        created_at__date=today,
        text__startswith=opening,
    ).exists()


@task()
def send_deadline_reminders() -> int:
    """The daily reminders, for a scheduler that enqueues tasks."""
    return remind_deadlines(timezone.localdate())
