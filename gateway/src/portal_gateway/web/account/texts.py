"""The account pages: start page, sign-in (with its second step), lost password, first
password, profile and two-factor sign-in."""

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
    "account_pref_survey_low_rating": "A customer rates a ticket I worked with 1 or 2 stars",
    "account_role_customer": "Customer",
    "account_role_customer_admin": "Customer administrator",
    "account_role_agent": "Service agent",
    "account_role_admin": "Portal administrator",
    # The sign-in's second step (/login/code).
    "login_notice_code_expired": (
        "The time for entering the code ran out. Sign in with your password again."
    ),
    "mfa_step_title": "Enter your code",
    "mfa_step_who": "Signing in as {username}: your account asks for a second factor.",
    "mfa_code_label": "6-digit code from your authenticator app",
    "mfa_code_hint": "Open the app and enter the code it shows for the portal now.",
    "mfa_recovery_label": "Recovery code",
    "mfa_recovery_hint": (
        "One of the recovery codes you stored when you set up the app. Each works once."
    ),
    "mfa_use_recovery": "Use a recovery code instead",
    "mfa_use_app": "Use the code from the app instead",
    "mfa_start_over": "Start again with user name and password",
    "mfa_code_missing": "Enter the 6 digits the app shows.",
    "mfa_recovery_missing": "Enter one of your recovery codes.",
    "mfa_code_wrong": (
        "This code is not right. Enter the code the app shows now (is the phone's time right?)."
    ),
    "mfa_recovery_wrong": "This recovery code is not right or was used already.",
    "mfa_throttled_one": "Too many attempts. Wait 1 minute, then try again.",
    "mfa_throttled_other": "Too many attempts. Wait {n} minutes, then try again.",
    # Every page, while the viewer's role requires a second factor they have not set up.
    "mfa_banner": "Your role requires two-factor sign-in:",
    "mfa_banner_link": "set it up now",
    # Two-factor sign-in in the profile (/account/security).
    "security_title": "Two-factor sign-in",
    "profile_security_link": "Set up or change",
    "security_intro": (
        "With two-factor sign-in the portal asks for a code from an authenticator app on "
        "your phone, or for a passkey, besides your password: someone who learns your "
        "password still cannot sign in as you."
    ),
    "security_state": "Authenticator app",
    "security_on": "On",
    "security_off": "Off",
    "security_enrolled_at": "Set up",
    "security_codes_left": "Recovery codes left",
    "security_codes_low": "Few recovery codes are left: make new ones.",
    "security_required": "Your role requires two-factor sign-in.",
    "security_setup_title": "Set up an authenticator app",
    "security_setup_intro": (
        "Any app for time-based codes (TOTP) works, e.g. Aegis, FreeOTP, Google "
        "Authenticator or Microsoft Authenticator. First confirm that it is you."
    ),
    "security_password": "Current password",
    "security_password_missing": "Enter your current password.",
    "security_password_wrong": "The password is not right.",
    "security_start": "Continue",
    "security_scan_title": "Connect the app",
    "security_scan_intro": (
        "Scan this QR code with the app, then enter the 6-digit code the app shows. Only "
        "then is two-factor sign-in switched on."
    ),
    "security_qr_alt": "QR code for your authenticator app",
    "security_secret": "Cannot scan? Enter this key in the app (time-based, 6 digits):",
    "security_confirm_code": "Code from the app",
    "security_confirm": "Switch on",
    "security_cancel": "Cancel",
    "security_code_wrong": "This code is not right. Enter the code the app shows now.",
    "security_codes_title": "Your recovery codes",
    "security_codes_intro_on": (
        "Two-factor sign-in is on. Without your phone, each of these codes signs you in "
        "once instead of the app's code."
    ),
    "security_codes_intro_new": "Your new recovery codes; the old ones no longer work.",
    "security_codes_store": (
        "Store them now in a safe place, e.g. a password manager or on paper: they are "
        "shown only this once."
    ),
    "security_codes_download": "Download as a text file",
    "security_codes_file_heading": "Recovery codes for the portal, user {username}",
    "security_codes_stored": "I have stored the codes",
    "security_disable_title": "Switch off",
    "security_disable_hint": "Then signing in asks only for your password.",
    "security_disable_required_hint": (
        "Your role requires two-factor sign-in: the portal will ask you to set it up again."
    ),
    "security_disable": "Switch off two-factor sign-in",
    "security_regenerate_title": "New recovery codes",
    "security_regenerate_hint": "Makes 10 new codes; the old ones stop working.",
    "security_regenerate": "Make new recovery codes",
    "security_done_disabled": "Two-factor sign-in is off.",
    "security_unavailable": (
        "Two-factor sign-in cannot be shown right now. Please try again shortly."
    ),
    "security_expired_setup": "The setup was not finished in time. Please start again.",
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
    "account_pref_survey_low_rating": (
        "Ein Kunde bewertet ein Ticket, das ich bearbeitet habe, mit 1 oder 2 Sternen"
    ),
    "account_role_customer": "Kunde",
    "account_role_customer_admin": "Kundenadministrator",
    "account_role_agent": "Service-Mitarbeiter",
    "account_role_admin": "Portaladministrator",
    "login_notice_code_expired": (
        "Die Zeit für die Eingabe des Codes ist abgelaufen. Melden Sie sich erneut mit Ihrem "
        "Passwort an."
    ),
    "mfa_step_title": "Code eingeben",
    "mfa_step_who": "Anmeldung als {username}: Ihr Konto verlangt einen zweiten Faktor.",
    "mfa_code_label": "6-stelliger Code aus Ihrer Authenticator-App",
    "mfa_code_hint": (
        "Öffnen Sie die App und geben Sie den Code ein, den sie jetzt für das Portal zeigt."
    ),
    "mfa_recovery_label": "Wiederherstellungscode",
    "mfa_recovery_hint": (
        "Einer der Wiederherstellungscodes, die Sie beim Einrichten der App gespeichert "
        "haben. Jeder funktioniert einmal."
    ),
    "mfa_use_recovery": "Stattdessen einen Wiederherstellungscode verwenden",
    "mfa_use_app": "Stattdessen den Code aus der App verwenden",
    "mfa_start_over": "Neu beginnen mit Benutzername und Passwort",
    "mfa_code_missing": "Geben Sie die 6 Ziffern ein, die die App zeigt.",
    "mfa_recovery_missing": "Geben Sie einen Ihrer Wiederherstellungscodes ein.",
    "mfa_code_wrong": (
        "Dieser Code stimmt nicht. Geben Sie den Code ein, den die App jetzt zeigt (stimmt "
        "die Uhrzeit des Telefons?)."
    ),
    "mfa_recovery_wrong": (
        "Dieser Wiederherstellungscode stimmt nicht oder wurde schon verwendet."
    ),
    "mfa_throttled_one": "Zu viele Versuche. Warten Sie 1 Minute und versuchen Sie es dann erneut.",
    "mfa_throttled_other": (
        "Zu viele Versuche. Warten Sie {n} Minuten und versuchen Sie es dann erneut."
    ),
    "mfa_banner": "Ihre Rolle verlangt die Zwei-Faktor-Anmeldung:",
    "mfa_banner_link": "jetzt einrichten",
    "security_title": "Zwei-Faktor-Anmeldung",
    "profile_security_link": "Einrichten oder ändern",
    "security_intro": (
        "Mit der Zwei-Faktor-Anmeldung fragt das Portal außer Ihrem Passwort nach einem Code "
        "aus einer Authenticator-App auf Ihrem Telefon oder nach einem Passkey: Wer Ihr "
        "Passwort erfährt, kann sich trotzdem nicht als Sie anmelden."
    ),
    "security_state": "Authenticator-App",
    "security_on": "Ein",
    "security_off": "Aus",
    "security_enrolled_at": "Eingerichtet",
    "security_codes_left": "Verbleibende Wiederherstellungscodes",
    "security_codes_low": (
        "Es sind nur noch wenige Wiederherstellungscodes übrig: Erzeugen Sie neue."
    ),
    "security_required": "Ihre Rolle verlangt die Zwei-Faktor-Anmeldung.",
    "security_setup_title": "Authenticator-App einrichten",
    "security_setup_intro": (
        "Jede App für zeitbasierte Codes (TOTP) funktioniert, z. B. Aegis, FreeOTP, Google "
        "Authenticator oder Microsoft Authenticator. Bestätigen Sie zuerst, dass Sie es sind."
    ),
    "security_password": "Aktuelles Passwort",
    "security_password_missing": "Geben Sie Ihr aktuelles Passwort ein.",
    "security_password_wrong": "Das Passwort stimmt nicht.",
    "security_start": "Weiter",
    "security_scan_title": "App verbinden",
    "security_scan_intro": (
        "Scannen Sie diesen QR-Code mit der App und geben Sie dann den 6-stelligen Code ein, "
        "den die App zeigt. Erst dann ist die Zwei-Faktor-Anmeldung eingeschaltet."
    ),
    "security_qr_alt": "QR-Code für Ihre Authenticator-App",
    "security_secret": (
        "Scannen geht nicht? Geben Sie diesen Schlüssel in der App ein (zeitbasiert, 6 Ziffern):"
    ),
    "security_confirm_code": "Code aus der App",
    "security_confirm": "Einschalten",
    "security_cancel": "Abbrechen",
    "security_code_wrong": (
        "Dieser Code stimmt nicht. Geben Sie den Code ein, den die App jetzt zeigt."
    ),
    "security_codes_title": "Ihre Wiederherstellungscodes",
    "security_codes_intro_on": (
        "Die Zwei-Faktor-Anmeldung ist eingeschaltet. Ohne Ihr Telefon meldet Sie jeder dieser "
        "Codes einmal an, anstelle des Codes aus der App."
    ),
    "security_codes_intro_new": (
        "Ihre neuen Wiederherstellungscodes; die alten funktionieren nicht mehr."
    ),
    "security_codes_store": (
        "Bewahren Sie sie jetzt sicher auf, z. B. in einem Passwort-Manager oder auf Papier: "
        "Sie werden nur dieses eine Mal gezeigt."
    ),
    "security_codes_download": "Als Textdatei herunterladen",
    "security_codes_file_heading": "Wiederherstellungscodes für das Portal, Benutzer {username}",
    "security_codes_stored": "Ich habe die Codes gespeichert",
    "security_disable_title": "Ausschalten",
    "security_disable_hint": "Dann fragt die Anmeldung nur nach Ihrem Passwort.",
    "security_disable_required_hint": (
        "Ihre Rolle verlangt die Zwei-Faktor-Anmeldung: Das Portal wird Sie bitten, sie wieder "
        "einzurichten."
    ),
    "security_disable": "Zwei-Faktor-Anmeldung ausschalten",
    "security_regenerate_title": "Neue Wiederherstellungscodes",
    "security_regenerate_hint": "Erzeugt 10 neue Codes; die alten funktionieren dann nicht mehr.",
    "security_regenerate": "Neue Wiederherstellungscodes erzeugen",
    "security_done_disabled": "Die Zwei-Faktor-Anmeldung ist ausgeschaltet.",
    "security_unavailable": (
        "Die Zwei-Faktor-Anmeldung kann gerade nicht angezeigt werden. Bitte versuchen Sie es "
        "gleich noch einmal."
    ),
    "security_expired_setup": (
        "Die Einrichtung wurde nicht rechtzeitig abgeschlossen. Bitte beginnen Sie erneut."
    ),
}
