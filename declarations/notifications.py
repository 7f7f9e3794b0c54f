"""Telling people that a declaration awaits them.

In the app, the navigation bar counts what awaits each user
(`selectors.waiting_counts`, derived from the declarations' states, so it is
never stale). By e-mail, where the users have
addresses and Django's mail settings are configured; a mail failure is logged
and never undoes the transition, which has already committed.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from declarations.models import Role

log = logging.getLogger(__name__)


def _send(recipients, subject, body):
    addresses = sorted({u.email for u in recipients if u.email})
    if not addresses:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    except Exception:  # the mail server is not part of the transition
        log.exception("Could not send notification %r", subject)


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
    preparers = get_user_model().objects.filter(
        memberships__organization=declaration.organization,
        memberships__role=Role.PREPARER,
    )
    link = reverse("declaration_detail", args=[declaration.pk])
    _send(
        preparers,
        f"已退回：{declaration}",
        f"《{declaration.project_name}》（{declaration.year}年度）被退回修改。"
        f"意见：{event.comment or '见指标行意见'}。"
        f"请登录系统查看：{link}",
    )
