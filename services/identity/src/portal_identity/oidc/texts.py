"""The words of the sign-in and consent pages in German and English.

The language: the client's `ui_locales`, then (on the consent page) the user's own
language, then the browser's Accept-Language; English otherwise."""

from __future__ import annotations

LANGUAGES = ("en", "de")

EN: dict[str, str] = {
    "portal": "Customer Service Portal",
    "refused_title": "Sign-in request refused",
    "refused_heading": "This sign-in request cannot be completed",
    "refused_hint": (
        "Go back to the application you came from and try again, or tell its administrator."
    ),
    "sign_in_title": "Sign in to {client}",
    "sign_in": "Sign in",
    "sign_in_intro": "with your portal account to continue to",
    "username": "User name",
    "password": "Password",
    "forgot": "Forgot your password?",
    "mfa_title": "Two-factor sign-in",
    "mfa_heading": "Enter your code",
    "mfa_intro": (
        "Enter the 6-digit code from your authenticator app, or one of your recovery codes."
    ),
    "mfa_code": "Code",
    "mfa_confirm": "Confirm",
    "mfa_wrong_code": "This code is not valid. Enter the current code from your app.",
    "mfa_throttled": "Too many failed attempts. Wait a few minutes, then sign in again.",
    "mfa_expired": "Your sign-in has expired or was completed already. Please sign in again.",
    "passkey_only": (
        "Your account's second factor is a passkey, which this page cannot use. To sign in "
        "here, also set up an authenticator app on the portal's two-factor sign-in page."
    ),
    "consent_title": "Allow access for {client}",
    "consent_heading": "Allow access?",
    "consent_intro": "The application {client} asks to use your portal account. It may then:",
    "consent_none": "sign you in, without any further access",
    "consent_hint": (
        "You are asked once; the portal remembers your answer until the application asks for more."
    ),
    "allow": "Allow",
    "deny": "Deny",
    "scope_openid": "know who you are (your account's identifier)",
    "scope_profile": "read your name, user name and language",
    "scope_email": "read your e-mail address",
    "scope_tickets:read": "read your tickets and their correspondence",
    "scope_tickets:write": "open tickets, write answers and change tickets for you",
    "scope_files:read": "read files and file exchanges",
    "scope_files:write": "upload files and create file exchanges for you",
    "scope_faq:read": "read help articles",
    "scope_faq:write": "write and change help articles for you",
    "scope_profile:read": "read your profile and notification settings",
    "scope_profile:write": "change your profile and notification settings",
    "scope_notifications:read": "read your notifications",
    "scope_notifications:write": "mark your notifications as read",
    "scope_admin": "administer users, organizations and applications with your rights",
}

DE: dict[str, str] = {
    "portal": "Kundenserviceportal",
    "refused_title": "Anmeldeanfrage abgelehnt",
    "refused_heading": "Diese Anmeldeanfrage kann nicht abgeschlossen werden",
    "refused_hint": (
        "Gehen Sie zurück zur Anwendung, von der Sie kamen, und versuchen Sie es erneut, "
        "oder wenden Sie sich an deren Administrator."
    ),
    "sign_in_title": "Bei {client} anmelden",
    "sign_in": "Anmelden",
    "sign_in_intro": "mit Ihrem Portalkonto, um fortzufahren zu",
    "username": "Benutzername",
    "password": "Passwort",
    "forgot": "Passwort vergessen?",
    "mfa_title": "Anmeldung mit zweitem Faktor",
    "mfa_heading": "Code eingeben",
    "mfa_intro": (
        "Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App oder einen Ihrer "
        "Wiederherstellungscodes ein."
    ),
    "mfa_code": "Code",
    "mfa_confirm": "Bestätigen",
    "mfa_wrong_code": "Dieser Code ist ungültig. Geben Sie den aktuellen Code aus Ihrer App ein.",
    "mfa_throttled": (
        "Zu viele Fehlversuche. Warten Sie einige Minuten und melden Sie sich dann erneut an."
    ),
    "mfa_expired": (
        "Ihre Anmeldung ist abgelaufen oder wurde schon abgeschlossen. Bitte melden Sie sich "
        "erneut an."
    ),
    "passkey_only": (
        "Der zweite Faktor Ihres Kontos ist ein Passkey, den diese Seite nicht verwenden kann. "
        "Um sich hier anzumelden, richten Sie auf der Seite zur Zwei-Faktor-Anmeldung des "
        "Portals zusätzlich eine Authenticator-App ein."
    ),
    "consent_title": "Zugriff für {client} erlauben",
    "consent_heading": "Zugriff erlauben?",
    "consent_intro": ("Die Anwendung {client} möchte Ihr Portalkonto verwenden. Sie darf dann:"),
    "consent_none": "Sie anmelden, ohne weiteren Zugriff",
    "consent_hint": (
        "Sie werden einmal gefragt; das Portal merkt sich Ihre Antwort, bis die Anwendung "
        "mehr verlangt."
    ),
    "allow": "Erlauben",
    "deny": "Ablehnen",
    "scope_openid": "wissen, wer Sie sind (die Kennung Ihres Kontos)",
    "scope_profile": "Ihren Namen, Benutzernamen und Ihre Sprache lesen",
    "scope_email": "Ihre E-Mail-Adresse lesen",
    "scope_tickets:read": "Ihre Tickets und deren Korrespondenz lesen",
    "scope_tickets:write": "für Sie Tickets eröffnen, Antworten schreiben und Tickets ändern",
    "scope_files:read": "Dateien und Dateiaustausche lesen",
    "scope_files:write": "für Sie Dateien hochladen und Dateiaustausche anlegen",
    "scope_faq:read": "Hilfeartikel lesen",
    "scope_faq:write": "für Sie Hilfeartikel schreiben und ändern",
    "scope_profile:read": "Ihr Profil und Ihre Benachrichtigungseinstellungen lesen",
    "scope_profile:write": "Ihr Profil und Ihre Benachrichtigungseinstellungen ändern",
    "scope_notifications:read": "Ihre Benachrichtigungen lesen",
    "scope_notifications:write": "Ihre Benachrichtigungen als gelesen markieren",
    "scope_admin": "mit Ihren Rechten Benutzer, Organisationen und Anwendungen verwalten",
}

TEXTS: dict[str, dict[str, str]] = {"en": EN, "de": DE}


def page_language(
    ui_locales: str | None, accept_language: str | None, preferred: str | None = None
) -> str:
    for tag in (ui_locales or "").split():
        if (lang := tag.split("-")[0].lower()) in LANGUAGES:
            return lang
    if preferred in LANGUAGES:
        return preferred
    return "de" if (accept_language or "").lower().startswith("de") else "en"
