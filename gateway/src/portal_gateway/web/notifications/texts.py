"""The notifications page and live notices."""

from __future__ import annotations

EN: dict[str, str] = {
    "notifications_unread": "{count} unread",
    "notifications_all": "Show all",
    "notifications_unread_only": "Show unread only",
    "notifications_mark_all": "Mark all as read",
    "notifications_mark_read": "Mark as read",
    "notifications_none": "No notifications yet.",
    "notifications_unavailable": "Notifications cannot be shown right now. Try again shortly.",
}

DE: dict[str, str] = {
    "notifications_unread": "{count} ungelesen",
    "notifications_all": "Alle anzeigen",
    "notifications_unread_only": "Nur ungelesene",
    "notifications_mark_all": "Alle als gelesen markieren",
    "notifications_mark_read": "Als gelesen markieren",
    "notifications_none": "Noch keine Benachrichtigungen.",
    "notifications_unavailable": (
        "Benachrichtigungen können gerade nicht angezeigt werden. "
        "Bitte versuchen Sie es gleich noch einmal."
    ),
}
