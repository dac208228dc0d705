"""The words of the gateway's pages in German and English."""

from __future__ import annotations

from starlette.requests import Request

LANGUAGES = ("en", "de")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "portal": "Customer Service Portal",
        "sign_in": "Sign in",
        "username": "User name",
        "password": "Password",
        "remember_me": "Remember me",
        "forgot": "Forgot your password?",
        "sign_out": "Sign out",
        "signed_in_as": "Signed in as",
        "session_expired": "Your form expired. Please try again.",
        "welcome": "The portal is running. The API answers under /api/v1.",
        "language": "Deutsch",
        "language_de": "Deutsch",
        "language_en": "English",
        "search": "Search",
        "more": "More",
        "yes": "Yes",
        "no": "No",
        "faq": "Help articles",
        "notifications": "Notifications",
        "notifications_unread": "{count} unread",
        "notifications_all": "Show all",
        "notifications_unread_only": "Show unread only",
        "notifications_mark_all": "Mark all as read",
        "notifications_mark_read": "Mark as read",
        "notifications_none": "No notifications yet.",
        "notifications_unavailable": "Notifications cannot be shown right now. Try again shortly.",
        "faq_categories": "Categories",
        "faq_all": "All articles",
        "faq_search": "Search the help articles",
        "faq_search_hint": "e.g. reset password",
        "faq_sort": "Sort by",
        "faq_sort_newest": "newest",
        "faq_sort_popular": "most viewed",
        "faq_sort_helpful": "most helpful",
        "faq_found": "{n} articles found",
        "faq_views": "{n} views",
        "faq_internal": "internal",
        "faq_draft": "draft",
        "faq_nothing": "No article matches. Try other words, or open a ticket.",
        "faq_empty": "There are no articles here yet.",
        "faq_helpful_q": "Was this article helpful?",
        "faq_thanks": "Thank you for your feedback.",
        "faq_sign_in_to_vote": "Sign in to tell us whether this helped.",
        "faq_related": "Related articles",
        "faq_missing": "This article does not exist or is not available to you.",
    },
    "de": {
        "portal": "Kundenportal",
        "sign_in": "Anmelden",
        "username": "Benutzername",
        "password": "Passwort",
        "remember_me": "Angemeldet bleiben",
        "forgot": "Passwort vergessen?",
        "sign_out": "Abmelden",
        "signed_in_as": "Angemeldet als",
        "session_expired": "Das Formular ist abgelaufen. Bitte versuchen Sie es erneut.",
        "welcome": "Das Portal läuft. Die API antwortet unter /api/v1.",
        "language": "English",
        "language_de": "Deutsch",
        "language_en": "English",
        "search": "Suchen",
        "more": "Weitere",
        "yes": "Ja",
        "no": "Nein",
        "faq": "Hilfeartikel",
        "notifications": "Benachrichtigungen",
        "notifications_unread": "{count} ungelesen",
        "notifications_all": "Alle anzeigen",
        "notifications_unread_only": "Nur ungelesene",
        "notifications_mark_all": "Alle als gelesen markieren",
        "notifications_mark_read": "Als gelesen markieren",
        "notifications_none": "Noch keine Benachrichtigungen.",
        "notifications_unavailable": "Benachrichtigungen können gerade nicht angezeigt werden. "
        "Bitte versuchen Sie es gleich noch einmal.",
        "faq_categories": "Kategorien",
        "faq_all": "Alle Artikel",
        "faq_search": "Hilfeartikel durchsuchen",
        "faq_search_hint": "z. B. Passwort zurücksetzen",
        "faq_sort": "Sortieren nach",
        "faq_sort_newest": "neueste",
        "faq_sort_popular": "meistgelesen",
        "faq_sort_helpful": "hilfreichste",
        "faq_found": "{n} Artikel gefunden",
        "faq_views": "{n}-mal gelesen",
        "faq_internal": "intern",
        "faq_draft": "Entwurf",
        "faq_nothing": (
            "Kein Artikel passt. Versuchen Sie andere Wörter oder eröffnen Sie ein Ticket."
        ),
        "faq_empty": "Hier gibt es noch keine Artikel.",
        "faq_helpful_q": "War dieser Artikel hilfreich?",
        "faq_thanks": "Danke für Ihre Rückmeldung.",
        "faq_sign_in_to_vote": "Melden Sie sich an, um uns zu sagen, ob das geholfen hat.",
        "faq_related": "Verwandte Artikel",
        "faq_missing": "Diesen Artikel gibt es nicht, oder er ist für Sie nicht verfügbar.",
    },
}

# Messages of the services, translated for the pages (the API keeps English).
MESSAGES_DE: dict[str, str] = {
    "Username or password is wrong.": "Benutzername oder Passwort ist falsch.",
    "Password is a required field.": "Das Passwort ist ein Pflichtfeld.",
    "Too many failed sign-ins. Wait a few minutes, or reset your password.": (
        "Zu viele fehlgeschlagene Anmeldungen. Warten Sie einige Minuten oder setzen Sie Ihr "
        "Passwort zurück."
    ),
}


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get("portal_lang")
    if chosen in LANGUAGES:
        return chosen
    accept = request.headers.get("accept-language", "")
    return "de" if accept.lower().startswith("de") else "en"


def translate(message: str, lang: str) -> str:
    if lang == "de":
        if message in MESSAGES_DE:
            return MESSAGES_DE[message]
        if "isn't valid" in message:
            return message.replace("The user name", "Der Benutzername").replace(
                "isn't valid. A user name can only contain letters or numbers.",
                "ist ungültig. Ein Benutzername darf nur Buchstaben und Ziffern enthalten.",
            )
    return message
