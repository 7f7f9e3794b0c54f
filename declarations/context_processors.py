from django.conf import settings

from declarations import notifications
from declarations.models import Role
from declarations.selectors import waiting_counts


def navigation(request):
    """Which sections the navigation bar offers to the user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = set(user.memberships.values_list("role", "organization__kind"))
    roles = {role for role, _ in memberships}
    waiting = waiting_counts(user) if roles else {"returned": 0, "to_review": 0}
    return {
        "nav_is_preparer": Role.PREPARER in roles,
        "nav_is_reviewer": Role.REVIEWER in roles,
        "nav_is_admin": user.is_staff,
        "nav_sees_department": user.is_superuser
        or any(kind == "department" for _, kind in memberships),
        "nav_returned": waiting["returned"],
        "nav_to_review": waiting["to_review"],
        "nav_unread": notifications.unread_count(user),
    }


def post_limits(request):
    """What one form may post, for the browser to check before it sends."""
    return {
        "post_max_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "post_max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    }
