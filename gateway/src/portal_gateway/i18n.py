"""Choosing the language of a page, and translating the services' messages for it."""

from __future__ import annotations

from starlette.requests import Request

from portal_gateway.texts import TEXTS

__all__ = ["LANGUAGES", "TEXTS", "language", "translate"]

LANGUAGES = ("en", "de")

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
