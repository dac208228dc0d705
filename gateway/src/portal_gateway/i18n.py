"""Choosing the language of a page, and translating the services' messages for it."""

from __future__ import annotations

import re

from starlette.requests import Request

from portal_gateway.texts import TEXTS

__all__ = ["LANGUAGES", "TEXTS", "field_message", "language", "translate"]

LANGUAGES = ("en", "de")

# Messages of the services, translated for the pages (the API keeps English).
MESSAGES_DE: dict[str, str] = {
    "Username or password is wrong.": "Benutzername oder Passwort ist falsch.",
    "Password is a required field.": "Das Passwort ist ein Pflichtfeld.",
    "Too many failed sign-ins. Wait a few minutes, or reset your password.": (
        "Zu viele fehlgeschlagene Anmeldungen. Warten Sie einige Minuten oder setzen Sie Ihr "
        "Passwort zurück."
    ),
    "This link is invalid, was used already or has expired. Request a new one.": (
        "Dieser Link ist ungültig, wurde schon benutzt oder ist abgelaufen. Fordern Sie einen "
        "neuen an."
    ),
    "The password must not contain the user name.": (
        "Das Passwort darf den Benutzernamen nicht enthalten."
    ),
    "This password is too common. Choose one that is harder to guess.": (
        "Dieses Passwort ist zu verbreitet. Wählen Sie eines, das schwerer zu erraten ist."
    ),
    "Enter your current password to change your e-mail address or password.": (
        "Geben Sie Ihr aktuelles Passwort ein, um E-Mail-Adresse oder Passwort zu ändern."
    ),
    "This is not a valid e-mail address.": "Das ist keine gültige E-Mail-Adresse.",
    "The password is wrong.": "Das Passwort ist falsch.",
    "This link needs its password.": "Dieser Link braucht sein Passwort.",
    "Too many wrong passwords. Wait a few minutes.": (
        "Zu viele falsche Passwörter. Warten Sie einige Minuten."
    ),
    "This link does not take uploads.": "Über diesen Link kann man nichts hochladen.",
    "The request has no file.": "Es wurde keine Datei gesendet.",
    "A file is required.": "Eine Datei ist nötig.",
    "No such share.": "Diese Freigabe gibt es nicht.",
}

# Messages with a number or a list in them: (English pattern, German template).
PATTERNS_DE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^The password must have at least (\d+) characters\.$"),
        r"Das Passwort muss mindestens \1 Zeichen haben.",
    ),
    (
        re.compile(r"^The password must have at most (\d+) characters\.$"),
        r"Das Passwort darf höchstens \1 Zeichen haben.",
    ),
    (re.compile(r"^String should have at least (\d+) characters?$"), r"Mindestens \1 Zeichen."),
    (re.compile(r"^String should have at most (\d+) characters?$"), r"Höchstens \1 Zeichen."),
    (re.compile(r"^Input should be greater than or equal to (\d+)$"), r"Mindestens \1."),
    (re.compile(r"^Input should be less than or equal to (\d+)$"), r"Höchstens \1."),
    (
        re.compile(r"^Files can be at most (\d+) MB\.$"),
        r"Dateien dürfen höchstens \1 MB groß sein.",
    ),
    (
        re.compile(r"^This kind of file is not accepted\. Allowed: (.*)$"),
        r"Diese Art von Datei wird nicht angenommen. Erlaubt: \1",
    ),
)


# Field checks by their code (pydantic's error types), for messages not translated above.
CODES_DE: dict[str, str] = {
    "missing": "Pflichtfeld.",
    "string_type": "Bitte einen Text eingeben.",
    "int_parsing": "Bitte eine ganze Zahl eingeben.",
    "int_type": "Bitte eine ganze Zahl eingeben.",
    "float_parsing": "Bitte eine Zahl eingeben.",
    "bool_parsing": "Bitte ja oder nein wählen.",
    "uuid_parsing": "Dieser Wert ist keine gültige Kennung.",
    "date_parsing": "Bitte ein Datum eingeben (JJJJ-MM-TT).",
    "date_from_datetime_parsing": "Bitte ein Datum eingeben (JJJJ-MM-TT).",
    "datetime_parsing": "Bitte Datum und Uhrzeit eingeben.",
    "datetime_from_date_parsing": "Bitte Datum und Uhrzeit eingeben.",
    "literal_error": "Bitte einen der angebotenen Werte wählen.",
    "enum": "Bitte einen der angebotenen Werte wählen.",
    "too_long": "Zu viele Einträge.",
    "too_short": "Zu wenige Einträge.",
    "extra_forbidden": "Dieses Feld ist hier nicht vorgesehen.",
    "value_error": "Dieser Wert ist ungültig.",
    "json_invalid": "Die Anfrage ist kein gültiges JSON.",
    "url_parsing": "Bitte eine gültige Adresse eingeben.",
    "string_pattern_mismatch": "Dieser Wert hat nicht die erwartete Form.",
    "control_characters": "Bitte eine Zeile Text ohne Steuerzeichen eingeben.",
}


def field_message(error: dict, lang: str) -> str:
    """A field error of a problem answer ({field, message, code}) in the reader's words:
    its message translated, else the general wording of its code, else the message."""
    message = str(error.get("message", ""))
    translated = translate(message, lang)
    if lang == "de" and translated == message:
        return CODES_DE.get(str(error.get("code", "")), message)
    return translated


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
        for pattern, german in PATTERNS_DE:
            if pattern.match(message):
                return pattern.sub(german, message)
        if "isn't valid" in message:
            return message.replace("The user name", "Der Benutzername").replace(
                "isn't valid. A user name can only contain letters or numbers.",
                "ist ungültig. Ein Benutzername darf nur Buchstaben und Ziffern enthalten.",
            )
    return message
