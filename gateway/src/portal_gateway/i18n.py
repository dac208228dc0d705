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
