"""The bell: the user's own notifications, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from declarations import notifications

PAGE_SIZE = 30


@require_GET
def notification_list(request):
    inbox = notifications.inbox(request.user)
    page = Paginator(inbox, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "declarations/notifications.html", {"page": page})


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(notifications.inbox(request.user), pk=pk)
    notifications.mark_read(notification)
    if notification.declaration_id is None:  # a deadline: the tables to submit
        return redirect("declaration_list")
    return redirect("declaration_detail", pk=notification.declaration_id)


@require_POST
def notifications_read_all(request):
    if notifications.mark_all_read(request.user):
        messages.success(request, "全部通知已标为已读。")
    return redirect("notifications")
