"""Administration of OAuth clients: the applications that sign users in with the portal
or call its API."""

from __future__ import annotations

EN: dict[str, str] = {
    "admin_clients": "Applications",
    "admin_clients_about": (
        "Applications that sign users in with the portal (OpenID Connect) or call its API."
    ),
    "admin_new_client": "Register an application",
    "admin_no_clients": "No application is registered yet.",
    "admin_client_name": "Name",
    "admin_client_id": "Client ID",
    "admin_client_secret": "Client secret",
    "admin_client_redirect_uris": "Redirect URIs",
    "admin_client_redirect_uris_hint": (
        "One per line; https, or http only for localhost. Needed for the sign-in of users."
    ),
    "admin_client_grant_types": "Grant types",
    "admin_client_grant_authorization_code": "Authorization code (users sign in)",
    "admin_client_grant_refresh_token": "Refresh token",
    "admin_client_grant_client_credentials": "Client credentials (the application itself)",
    "admin_client_auth_method": "Client authentication",
    "admin_client_auth_client_secret_basic": "Secret by HTTP Basic (client_secret_basic)",
    "admin_client_auth_client_secret_post": "Secret in the form (client_secret_post)",
    "admin_client_auth_none": "None: a public app with PKCE (none)",
    "admin_client_scopes": "Scopes the application may ask for",
    "admin_client_agent_role": "Acts as an agent (client credentials only)",
    "admin_client_first_party": "Our own application",
    "admin_client_first_party_hint": (
        "Users are not asked for their consent. Only for applications the vendor runs."
    ),
    "admin_client_created": "The application {name} is registered.",
    "admin_client_secret_once": (
        "Copy the secret now: it is shown only this once and cannot be shown again."
    ),
    "admin_client_public": "A public application has no secret.",
    "admin_client_back": "To the applications",
    "admin_client_revoke": "Revoke",
    "admin_done_client_revoked": (
        "The application {subject} is revoked; its codes and refresh tokens no longer work."
    ),
}

DE: dict[str, str] = {
    "admin_clients": "Anwendungen",
    "admin_clients_about": (
        "Anwendungen, die Benutzer über das Portal anmelden (OpenID Connect) oder seine API "
        "aufrufen."
    ),
    "admin_new_client": "Anwendung registrieren",
    "admin_no_clients": "Es ist noch keine Anwendung registriert.",
    "admin_client_name": "Name",
    "admin_client_id": "Client-ID",
    "admin_client_secret": "Client-Geheimnis",
    "admin_client_redirect_uris": "Weiterleitungsadressen",
    "admin_client_redirect_uris_hint": (
        "Eine pro Zeile; https, oder http nur für localhost. Nötig für die Anmeldung von Benutzern."
    ),
    "admin_client_grant_types": "Grant-Typen",
    "admin_client_grant_authorization_code": "Autorisierungscode (Benutzer melden sich an)",
    "admin_client_grant_refresh_token": "Refresh-Token",
    "admin_client_grant_client_credentials": "Client Credentials (die Anwendung selbst)",
    "admin_client_auth_method": "Authentifizierung der Anwendung",
    "admin_client_auth_client_secret_basic": "Geheimnis per HTTP Basic (client_secret_basic)",
    "admin_client_auth_client_secret_post": "Geheimnis im Formular (client_secret_post)",
    "admin_client_auth_none": "Keine: öffentliche App mit PKCE (none)",
    "admin_client_scopes": "Scopes, die die Anwendung anfragen darf",
    "admin_client_agent_role": "Handelt als Agent (nur Client Credentials)",
    "admin_client_first_party": "Eigene Anwendung",
    "admin_client_first_party_hint": (
        "Benutzer werden nicht um Zustimmung gebeten. Nur für Anwendungen des Herstellers."
    ),
    "admin_client_created": "Die Anwendung {name} ist registriert.",
    "admin_client_secret_once": (
        "Kopieren Sie das Geheimnis jetzt: Es wird nur dieses eine Mal angezeigt."
    ),
    "admin_client_public": "Eine öffentliche Anwendung hat kein Geheimnis.",
    "admin_client_back": "Zu den Anwendungen",
    "admin_client_revoke": "Widerrufen",
    "admin_done_client_revoked": (
        "Die Anwendung {subject} ist widerrufen; ihre Codes und Refresh-Tokens gelten nicht mehr."
    ),
}
