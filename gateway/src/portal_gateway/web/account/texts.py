"""The account pages: start page, sign-in, lost password, first password and profile."""

from __future__ import annotations

EN: dict[str, str] = {
    "home_welcome": (
        "Open and follow your support tickets, exchange files with the service desk and "
        "find answers in the help articles."
    ),
    "home_search_faq": "Search the help articles",
    "home_search_hint": "e.g. reset password",
    "home_by_priority": "Tickets by priority",
    "home_by_status": "Tickets by status",
    "home_counters": "Ticket counters",
    "home_my_open": "My open tickets",
    "home_no_open": "You have no open tickets.",
    "home_all_tickets": "All tickets",
    "home_counters_unavailable": "The ticket counters cannot be shown right now.",
    "home_number": "Number",
    "home_title": "Title",
    "home_status": "Status",
    "home_priority": "Priority",
    "home_opened": "Opened",
    "login_notice_password_set": "Your password is set. Sign in with it now.",
    "login_notice_signed_out": "You are signed out.",
    "forgot_title": "Forgot your password?",
    "forgot_intro": (
        "Enter your user name. We send a link to the e-mail address of your account; "
        "with it you choose a new password."
    ),
    "forgot_submit": "Send the link",
    "forgot_sent": (
        "If an account with this user name exists, a mail with a link is on its way. "
        "The link works once and only for a short time."
    ),
    "forgot_username_missing": "Enter your user name.",
    "account_back_to_sign_in": "Back to sign-in",
    "reset_title": "Choose a new password",
    "reset_first_title": "Choose your password",
    "reset_intro": "At least 10 characters; it must not contain your user name.",
    "account_new_password": "New password",
    "account_new_password_repeat": "New password (again)",
    "reset_submit": "Save the password",
    "reset_mismatch": "The two passwords are not the same.",
    "reset_missing": "Enter a new password.",
    "reset_no_token": "This link is incomplete. Request a new one.",
    "account_request_new_link": "Request a new link",
    "profile_title": "Your profile",
    "profile_saved": "Your profile is saved.",
    "profile_account": "Account",
    "profile_email": "E-mail address",
    "profile_display_name": "Name shown to others",
    "profile_language": "Language of the portal and of your mails",
    "profile_time_zone": "Time zone",
    "profile_time_zone_hint": "The portal shows times in this zone, e.g. Europe/Berlin.",
    "profile_time_zone_unknown": (
        "Unknown time zone. Choose a name from the list, e.g. Europe/Berlin."
    ),
    "profile_organization": "Organization",
    "profile_no_organization": "none (service staff)",
    "profile_roles": "Roles",
    "profile_notifications": "E-mail notifications",
    "profile_notifications_hint": (
        "Choose which events we mail you about. In-app notifications always arrive."
    ),
    "profile_password": "Change password",
    "profile_current_password": "Current password",
    "profile_current_password_hint": "Needed to change your e-mail address or your password.",
    "profile_save": "Save",
    "profile_unavailable": "Your profile cannot be loaded right now. Please try again shortly.",
    "account_pref_ticket_created": "A new ticket of mine or my organization",
    "account_pref_ticket_reply": "A reply to a ticket",
    "account_pref_ticket_status": "A ticket's status changes",
    "account_pref_ticket_escalated": "A ticket is escalated",
    "account_pref_case_file": "New files in a ticket's case file",
    "account_pref_sla_breach": "A reaction or resolution time is exceeded",
    "account_role_customer": "Customer",
    "account_role_customer_admin": "Customer administrator",
    "account_role_agent": "Service agent",
    "account_role_admin": "Portal administrator",
}

DE: dict[str, str] = {
    "home_welcome": (
        "Eröffnen und verfolgen Sie Ihre Support-Tickets, tauschen Sie Dateien mit dem "
        "Service-Desk aus und finden Sie Antworten in den Hilfeartikeln."
    ),
    "home_search_faq": "Hilfeartikel durchsuchen",
    "home_search_hint": "z. B. Passwort zurücksetzen",
    "home_by_priority": "Tickets nach Priorität",
    "home_by_status": "Tickets nach Status",
    "home_counters": "Ticketzähler",
    "home_my_open": "Meine offenen Tickets",
    "home_no_open": "Sie haben keine offenen Tickets.",
    "home_all_tickets": "Alle Tickets",
    "home_counters_unavailable": "Die Ticketzähler können gerade nicht angezeigt werden.",
    "home_number": "Nummer",
    "home_title": "Titel",
    "home_status": "Status",
    "home_priority": "Priorität",
    "home_opened": "Eröffnet",
    "login_notice_password_set": "Ihr Passwort ist gesetzt. Melden Sie sich jetzt damit an.",
    "login_notice_signed_out": "Sie sind abgemeldet.",
    "forgot_title": "Passwort vergessen?",
    "forgot_intro": (
        "Geben Sie Ihren Benutzernamen ein. Wir senden einen Link an die E-Mail-Adresse "
        "Ihres Kontos; damit wählen Sie ein neues Passwort."
    ),
    "forgot_submit": "Link senden",
    "forgot_sent": (
        "Wenn es ein Konto mit diesem Benutzernamen gibt, ist eine E-Mail mit einem Link "
        "unterwegs. Der Link funktioniert einmal und nur kurze Zeit."
    ),
    "forgot_username_missing": "Geben Sie Ihren Benutzernamen ein.",
    "account_back_to_sign_in": "Zurück zur Anmeldung",
    "reset_title": "Neues Passwort wählen",
    "reset_first_title": "Ihr Passwort wählen",
    "reset_intro": "Mindestens 10 Zeichen; es darf Ihren Benutzernamen nicht enthalten.",
    "account_new_password": "Neues Passwort",
    "account_new_password_repeat": "Neues Passwort (wiederholen)",
    "reset_submit": "Passwort speichern",
    "reset_mismatch": "Die beiden Passwörter sind nicht gleich.",
    "reset_missing": "Geben Sie ein neues Passwort ein.",
    "reset_no_token": "Dieser Link ist unvollständig. Fordern Sie einen neuen an.",
    "account_request_new_link": "Neuen Link anfordern",
    "profile_title": "Ihr Profil",
    "profile_saved": "Ihr Profil ist gespeichert.",
    "profile_account": "Konto",
    "profile_email": "E-Mail-Adresse",
    "profile_display_name": "Angezeigter Name",
    "profile_language": "Sprache des Portals und Ihrer E-Mails",
    "profile_time_zone": "Zeitzone",
    "profile_time_zone_hint": "Das Portal zeigt Zeiten in dieser Zone, z. B. Europe/Berlin.",
    "profile_time_zone_unknown": (
        "Unbekannte Zeitzone. Wählen Sie einen Namen aus der Liste, z. B. Europe/Berlin."
    ),
    "profile_organization": "Organisation",
    "profile_no_organization": "keine (Service-Mitarbeiter)",
    "profile_roles": "Rollen",
    "profile_notifications": "E-Mail-Benachrichtigungen",
    "profile_notifications_hint": (
        "Wählen Sie, worüber wir Sie per E-Mail informieren. Benachrichtigungen im Portal "
        "kommen immer."
    ),
    "profile_password": "Passwort ändern",
    "profile_current_password": "Aktuelles Passwort",
    "profile_current_password_hint": ("Nötig, um Ihre E-Mail-Adresse oder Ihr Passwort zu ändern."),
    "profile_save": "Speichern",
    "profile_unavailable": (
        "Ihr Profil kann gerade nicht geladen werden. Bitte versuchen Sie es gleich noch einmal."
    ),
    "account_pref_ticket_created": "Ein neues Ticket von mir oder meiner Organisation",
    "account_pref_ticket_reply": "Eine Antwort in einem Ticket",
    "account_pref_ticket_status": "Der Status eines Tickets ändert sich",
    "account_pref_ticket_escalated": "Ein Ticket wird eskaliert",
    "account_pref_case_file": "Neue Dateien in der Fallakte eines Tickets",
    "account_pref_sla_breach": "Eine Reaktions- oder Lösungszeit wird überschritten",
    "account_role_customer": "Kunde",
    "account_role_customer_admin": "Kundenadministrator",
    "account_role_agent": "Service-Mitarbeiter",
    "account_role_admin": "Portaladministrator",
}
