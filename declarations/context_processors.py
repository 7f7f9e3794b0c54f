from declarations.models import Role


def navigation(request):
    """Which sections the navigation bar offers to the user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = set(user.memberships.values_list("role", flat=True))
    return {
        "nav_is_preparer": Role.PREPARER in roles,
        "nav_is_reviewer": Role.REVIEWER in roles,
        "nav_is_admin": user.is_staff,
    }
