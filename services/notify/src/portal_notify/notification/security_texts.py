"""What the mails about a user's sign-in security say, in German and English.

MESSAGES as in texts.py: `title` is the subject, `intro` the first paragraph.
Placeholders: {username}. LAYOUT: the button's and the footer's words."""

from __future__ import annotations

from typing import Any

from portal_notify.notification.texts import language_of

MESSAGES: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "mfa_reset": {
            "title": "Your two-factor sign-in was reset",
            "intro": "An administrator turned off two-factor sign-in for your account "
            "{username}. Until you set up an authenticator app again, you sign in with your "
            "password alone; your recovery codes no longer work.",
        },
    },
    "de": {
        "mfa_reset": {
            "title": "Ihre Zwei-Faktor-Anmeldung wurde zurückgesetzt",
            "intro": "Eine Administratorin oder ein Administrator hat die Zwei-Faktor-Anmeldung "
            "für Ihr Konto {username} ausgeschaltet. Bis Sie wieder eine Authenticator-App "
            "einrichten, melden Sie sich nur mit Ihrem Passwort an; Ihre "
            "Wiederherstellungscodes gelten nicht mehr.",
        },
    },
}

NOTES: dict[str, dict[str, str]] = {
    "en": {
        "not_you": "If you did not ask for this, tell your administrator at once and change "
        "your password.",
    },
    "de": {
        "not_you": "Falls Sie das nicht veranlasst haben, wenden Sie sich sofort an Ihre "
        "Administration und ändern Sie Ihr Passwort.",
    },
}

LAYOUT: dict[str, dict[str, str]] = {
    "en": {
        "set_up": "Set up two-factor sign-in",
        "footer": "You receive this mail because the sign-in of your account in our customer "
        "service portal was changed.",
    },
    "de": {
        "set_up": "Zwei-Faktor-Anmeldung einrichten",
        "footer": "Sie erhalten diese E-Mail, weil die Anmeldung Ihres Kontos in unserem "
        "Kundenportal geändert wurde.",
    },
}


def message(key: str, language: str, **values: Any) -> dict[str, str]:
    words = MESSAGES[language_of(language)][key]
    return {part: text.format(**values) for part, text in words.items()}


def notes(language: str) -> dict[str, str]:
    return NOTES[language_of(language)]


def layout(language: str) -> dict[str, str]:
    return LAYOUT[language_of(language)]
