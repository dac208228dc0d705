"""What the mails about a user's sign-in security say, in German and English.

MESSAGES as in texts.py: `title` is the subject, `intro` the first paragraph.
Placeholders: {username}; NOTES: {device}, {address}, {time}. LAYOUT: the button's and
the footer's words."""

from __future__ import annotations

from typing import Any

from portal_notify.notification.texts import language_of

MESSAGES: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "new_sign_in": {
            "title": "New sign-in to your account",
            "intro": "Your account {username} was just signed in to from a device that has "
            "not been used with it before.",
        },
        "mfa_reset": {
            "title": "Your two-factor sign-in was reset",
            "intro": "An administrator turned off two-factor sign-in for your account "
            "{username}. Until you set up an authenticator app or a passkey again, you sign "
            "in with your password alone; your recovery codes no longer work and your "
            "passkeys were removed.",
        },
    },
    "de": {
        "new_sign_in": {
            "title": "Neue Anmeldung bei Ihrem Konto",
            "intro": "Bei Ihrem Konto {username} hat sich soeben jemand von einem Gerät "
            "angemeldet, mit dem es bisher nicht genutzt wurde.",
        },
        "mfa_reset": {
            "title": "Ihre Zwei-Faktor-Anmeldung wurde zurückgesetzt",
            "intro": "Eine Administratorin oder ein Administrator hat die Zwei-Faktor-Anmeldung "
            "für Ihr Konto {username} ausgeschaltet. Bis Sie wieder eine Authenticator-App "
            "oder einen Passkey einrichten, melden Sie sich nur mit Ihrem Passwort an; Ihre "
            "Wiederherstellungscodes gelten nicht mehr und Ihre Passkeys wurden entfernt.",
        },
    },
}

NOTES: dict[str, dict[str, str]] = {
    "en": {
        "device": "Device: {device}",
        "address": "Address: {address}",
        "time": "Time: {time}",
        "new_sign_in_not_you": "If this was you, there is nothing to do. If it was not you, "
        "end the session on the page linked below and change your password at once.",
        "not_you": "If you did not ask for this, tell your administrator at once and change "
        "your password.",
    },
    "de": {
        "device": "Gerät: {device}",
        "address": "Adresse: {address}",
        "time": "Zeit: {time}",
        "new_sign_in_not_you": "Waren Sie das, ist nichts zu tun. Falls nicht, beenden Sie "
        "die Sitzung auf der unten verlinkten Seite und ändern Sie sofort Ihr Passwort.",
        "not_you": "Falls Sie das nicht veranlasst haben, wenden Sie sich sofort an Ihre "
        "Administration und ändern Sie Ihr Passwort.",
    },
}

LAYOUT: dict[str, dict[str, str]] = {
    "en": {
        "review_sign_ins": "Review your sign-ins",
        "footer_new_sign_in": "You receive this mail because mails about sign-ins from new "
        "devices are on in your profile; you can switch them off there.",
        "set_up": "Set up two-factor sign-in",
        "footer": "You receive this mail because the sign-in of your account in our customer "
        "service portal was changed.",
    },
    "de": {
        "review_sign_ins": "Ihre Anmeldungen prüfen",
        "footer_new_sign_in": "Sie erhalten diese E-Mail, weil Hinweise auf Anmeldungen von "
        "neuen Geräten in Ihrem Profil eingeschaltet sind; dort können Sie sie ausschalten.",
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
