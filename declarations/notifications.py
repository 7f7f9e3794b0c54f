"""Telling people what happened to a declaration, and what awaits them.

In the app, the navigation bar counts what awaits each user
(`selectors.waiting_counts`, derived from the declarations' states, so it is
never stale), and the bell lists what happened to their tables: a return or
a reopening, the reviewer's row comments, an approval (and the deadline
reminders of `declarations.reminders`, and wrong passwords that slow an
account down). By e-mail, where the users have addresses and Django's mail
settings are configured.

The functions called by the workflow run after its transaction commits: a
failure here is logged and never undoes the transition, which has already
committed.
"""

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from declarations.models import Action, Notification, Role

log = logging.getLogger(__name__)

TEXT_LIMIT = Notification._meta.get_field("text").max_length
# How much of a reviewer's opinion the bell quotes; the rest is on the page.
SUMMARY_LIMIT = 80


def _send(recipients, subject, body):
    addresses = sorted({u.email for u in recipients if u.email})
    if not addresses:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    except Exception:  # the mail server is not part of the transition
        log.exception("Could not send notification %r", subject)


def _preparers(declaration):
    return get_user_model().objects.filter(
        memberships__organization=declaration.organization,
        memberships__role=Role.PREPARER,
    )


def clipped(text: str, limit: int) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _notify(declaration, event, items: Callable[[], list[tuple[str, str]]]):
    """One notification of each (kind, text) that `items` gives for every
    active preparer of the declaration's organization but the one who acted."""
    try:
        made = items()
        users = list(
            _preparers(declaration)
            .filter(is_active=True)
            .exclude(pk=event.actor_id)
            .values_list("pk", flat=True)
        )
        Notification.objects.bulk_create(
            Notification(
                user_id=user,
                kind=kind,
                declaration=declaration,
                text=clipped(text, TEXT_LIMIT),
            )
            for user in users
            for kind, text in made
        )
    except Exception:  # the bell is not part of the transition either
        log.exception("Could not notify the preparers of %s", declaration)


def _title(declaration) -> str:
    return f"《{declaration.project_name}》（{declaration.year}年度）"


def submitted(declaration):
    department = declaration.organization.department
    reviewers = get_user_model().objects.filter(
        memberships__organization=department, memberships__role=Role.REVIEWER
    )
    link = reverse("review", args=[declaration.pk])
    _send(
        reviewers,
        f"待审核：{declaration}",
        f"{declaration.organization.name}提交了《{declaration.project_name}》"
        f"（{declaration.year}年度），请登录系统审核：{link}",
    )


def returned(declaration, event):
    """A return (退回修改) or a reopening (撤销审核): the preparers must act."""
    preparers = _preparers(declaration)
    link = reverse("declaration_detail", args=[declaration.pk])
    _send(
        preparers,
        f"已退回：{declaration}",
        f"《{declaration.project_name}》（{declaration.year}年度）被退回修改。"
        f"意见：{event.comment or '见指标行意见'}。"
        f"请登录系统查看：{link}",
    )
    _notify(declaration, event, lambda: _return_items(declaration, event))


def _return_items(declaration, event) -> list[tuple[str, str]]:
    reopened = event.action == Action.REOPEN
    what = "已撤销审核，退回修改" if reopened else "已被退回修改"
    if event.comment:
        summary = f"{what}：{clipped(event.comment, SUMMARY_LIMIT)}"
    else:
        summary = f"{what}，请查看指标行旁的审核意见。"
    items = [(Notification.Kind.RETURNED, _title(declaration) + summary)]
    rows = event.row_comments.count()
    if rows:
        items.append(
            (
                Notification.Kind.COMMENT,
                f"审核人对{_title(declaration)}的 {rows} 行指标提出了意见，"
                "请逐行查看并答复。",
            )
        )
    return items


def approved(declaration, event):
    """An approval: the preparers learn the grade (综合评定)."""
    text = f"{_title(declaration)}已审核通过，综合评定：{event.grade}。"
    if event.comment:
        text += f"审核意见：{clipped(event.comment, SUMMARY_LIMIT)}"
    _notify(declaration, event, lambda: [(Notification.Kind.APPROVED, text)])


def login_failures(*, username: str, failures: int, addresses: int):
    """Wrong passwords slow an account down (declarations/logins.py): its
    owner and every active superuser are told, at most once an hour."""
    try:
        users = get_user_model().objects.filter(is_active=True)
        owner = users.filter(username=username).first()
        if owner is None:  # a guessed name: nobody to tell
            return
        admins = list(users.filter(is_superuser=True).exclude(pk=owner.pk))
        minutes = settings.LOGIN_WINDOW_MINUTES
        what = (
            f"{minutes} 分钟内输错密码 {failures} 次（来自 {addresses} 个地址），"
            "登录已暂时放慢，账号没有被锁定。"
        )
        to_owner = f"您的账号{what}如果不是您本人输错，请修改密码，并告诉系统管理员。"
        to_admins = clipped(
            f"账号“{username}”{what}来源地址见 系统管理 → 登录失败记录。", TEXT_LIMIT
        )
        Notification.objects.bulk_create(
            [Notification(user=owner, kind=Notification.Kind.LOGIN, text=to_owner)]
            + [
                Notification(user=admin, kind=Notification.Kind.LOGIN, text=to_admins)
                for admin in admins
            ]
        )
        subject = f"登录提醒：账号 {username} 多次输错密码"
        _send([owner], subject, to_owner)
        _send(admins, subject, to_admins)
    except Exception:  # telling is not part of counting
        log.exception("Could not tell of wrong passwords for %s", username)


# The bell's reads and writes: only ever the user's own notifications.


def inbox(user) -> QuerySet[Notification]:
    """The user's notifications, newest first, with their declarations."""
    return user.notifications.select_related("declaration")


def unread_count(user) -> int:
    return user.notifications.filter(read_at__isnull=True).count()


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user) -> int:
    """Mark every unread notification of the user read; how many were."""
    return user.notifications.filter(read_at__isnull=True).update(
        read_at=timezone.now()
    )
