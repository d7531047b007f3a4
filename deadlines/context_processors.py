"""The inbox badge and the missing-calendar warning on every page (templates/base.html)."""
from . import notifications, selectors


def deadlines(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "inbox_unread": notifications.unread_count(user),
        "calendar_missing_year": selectors.missing_calendar_year(user),
    }
