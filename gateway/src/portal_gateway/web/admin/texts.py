"""Administration: organizations, users, access requests, templates and the taxonomy."""

from __future__ import annotations

EN: dict[str, str] = {
    "admin_title": "Administration",
    "admin_nav": "Administration",
    "admin_overview": "Overview",
    "admin_missing": "This page does not exist.",
    "admin_to_start": "To the start page",
    "admin_organizations": "Organizations",
    "admin_organizations_about": "Customer companies, their contracts and who sees whose tickets.",
    "admin_users": "Users",
    "admin_users_about": "Everybody who signs in: customers, agents and admins.",
    "admin_users_about_own": "The people of your organization who use the portal.",
    "admin_access_requests": "Access requests",
    "admin_access_requests_about": (
        "Customers ask for accounts for new colleagues, people without an account on the "
        "sign-in page; approve or reject."
    ),
    "admin_access_requests_about_own": (
        "Ask the vendor for accounts for new colleagues; decide on requests from the sign-in "
        "page with your organization's e-mail domain."
    ),
    "admin_pending_count": "{n} pending",
    "admin_templates": "Templates",
    "admin_templates_about": "What customers choose from when they open a ticket, with questions.",
    "admin_taxonomy": "Subject areas",
    "admin_taxonomy_about": "Subject areas and their subtypes, chosen on every ticket.",
    "admin_save": "Save",
    "admin_cancel": "Cancel",
    "admin_edit": "Edit",
    "admin_show": "Show",
    "admin_state": "State",
    "admin_active": "active",
    "admin_inactive": "inactive",
    "admin_actions": "Actions",
    "admin_new_organization": "New organization",
    "admin_edit_organization": "Edit organization",
    "admin_no_organizations": "There are no organizations yet.",
    "admin_org_name": "Name",
    "admin_priority_contract": "Contract for priorities",
    "admin_priority_contract_hint": "Without it, every ticket of the organization gets P4.",
    "admin_org_wide_visibility": "Organization-wide visibility",
    "admin_org_wide_visibility_hint": "Colleagues see each other's tickets.",
    "admin_sla_contract": "SLA contract",
    "admin_sla_contract_hint": (
        "The name of a contract with its own reaction times (e.g. Premium); empty for the "
        "standard targets."
    ),
    "admin_standard_sla": "standard",
    "admin_org_active": "Active",
    "admin_org_active_hint": "An inactive organization gets no new users.",
    "admin_new_user": "New user",
    "admin_create_user": "Create user",
    "admin_no_users": "There are no users here yet.",
    "admin_filter_organization": "Organization",
    "admin_all_users": "all users",
    "admin_display_name": "Display name",
    "admin_display_name_hint": "Optional; the user name when left empty.",
    "admin_email": "E-mail address",
    "admin_organization": "Organization",
    "admin_organization_hint": "Customers belong to an organization; agents and admins to none.",
    "admin_no_organization": "none (vendor staff)",
    "admin_vendor_staff": "vendor staff",
    "admin_roles": "Roles",
    "admin_role": "Role",
    "admin_role_customer": "Customer",
    "admin_role_customer_admin": "Customer administrator",
    "admin_role_agent": "Agent",
    "admin_role_admin": "Administrator",
    "admin_language": "Language",
    "admin_username_hint": "Letters and digits only; upper and lower case count.",
    "admin_password_hint": (
        "Leave empty to send an invitation e-mail: the user then sets a password through its link."
    ),
    "admin_deactivate": "Deactivate",
    "admin_reactivate": "Reactivate",
    "admin_resend_invitation": "Send invitation again",
    "admin_pending": "Pending requests",
    "admin_no_requests": "No requests are waiting.",
    "admin_requested": "Requested",
    "admin_approve": "Approve",
    "admin_reject": "Reject",
    "admin_reject_reason": "Reason for a rejection (optional)",
    "admin_waiting_for_vendor": "Waiting for the vendor's decision.",
    "admin_request_access": "Request access for a new colleague",
    "admin_request_access_about": (
        "The vendor checks the request; once approved, your colleague gets an invitation e-mail."
    ),
    "admin_request_note": "Note for the vendor",
    "admin_send_request": "Send request",
    "admin_new_template": "New template",
    "admin_edit_template": "Edit template",
    "admin_no_templates": "There are no templates yet.",
    "admin_template_name": "Name",
    "admin_group": "Group",
    "admin_group_incident_report": "Incident report",
    "admin_group_service_request": "Service request (requisition)",
    "admin_group_change_request": "Change request",
    "admin_category": "Category",
    "admin_category_by_group": "as the group says",
    "admin_category_incident": "Incident",
    "admin_category_service_request": "Service request",
    "admin_category_change_request": "Change request",
    "admin_category_question": "Question",
    "admin_description": "Description",
    "admin_description_hint": "Shown to customers when they choose a template.",
    "admin_template_name_de": "Name in German",
    "admin_description_de": "Description in German",
    "admin_wording_de_hint": "Shown on German pages; without it they show the English text.",
    "admin_template_active": "Active",
    "admin_template_active_hint": "Only active templates are offered to customers.",
    "admin_questions": "Questions",
    "admin_guide": "Conversation guide",
    "admin_guide_hint": (
        "The questions a customer answers when opening a ticket with this template. Rows "
        "without a label are left out."
    ),
    "admin_question_n": "Question {n}",
    "admin_question_label": "Question (English)",
    "admin_question_label_de": "Question (German, optional)",
    "admin_question_type": "Answer type",
    "admin_question_required": "An answer is required",
    "admin_question_choices": "Choices",
    "admin_question_choices_hint": "For a choice question only: one choice per line.",
    "admin_type_text": "Text",
    "admin_type_long_text": "Long text",
    "admin_type_choice": "Choice",
    "admin_type_number": "Number",
    "admin_type_date": "Date",
    "admin_add_question": "Add question",
    "admin_remove_question": "Remove this question",
    "admin_subtypes": "Subtypes",
    "admin_subtypes_hint": "One subtype per line.",
    "admin_area_active": "Offered on new tickets",
    "admin_new_area": "New subject area",
    "admin_area_name": "Name",
    "admin_add_area": "Add subject area",
    "admin_no_areas": "There are no subject areas yet.",
    "admin_area_name_needed": "Enter a name.",
    "admin_area_name_chars": "A name cannot contain / or \\.",
    "admin_area_exists": "This subject area exists already; change it in the list above.",
    "admin_done_org_created": "The organization {subject} was created.",
    "admin_done_org_saved": "The organization {subject} was saved.",
    "admin_done_user_created": "The user {subject} was created with the password given.",
    "admin_done_user_invited": (
        "The user {subject} was created. An invitation e-mail with a link to set a password "
        "is on its way."
    ),
    "admin_done_user_deactivated": "{subject} was deactivated and signed out everywhere.",
    "admin_done_user_reactivated": "{subject} was reactivated.",
    "admin_done_user_saved": "The changes to {subject} were saved.",
    "admin_edit_user": "Edit user {username}",
    "admin_done_invitation_sent": "A new invitation e-mail was sent to {subject}.",
    "admin_done_approved": (
        "The request for {subject} was approved; an invitation e-mail is on its way."
    ),
    "admin_done_rejected": "The request for {subject} was rejected.",
    "admin_done_requested": "The request for {subject} was sent to the vendor.",
    "admin_done_template_created": "The template {subject} was created.",
    "admin_done_template_saved": "The template {subject} was saved.",
    "admin_done_area_saved": "The subject area {subject} was saved.",
    # Two-factor sign-in: the policy (/admin/security) and a user's reset.
    "admin_security": "Two-factor sign-in",
    "admin_security_about": "Which roles must sign in with a second factor.",
    "admin_security_intro": (
        "People with a ticked role are asked on every page to set up an authenticator app "
        "until they have; from then on their sign-in asks for a code. The API answers them "
        "as before."
    ),
    "admin_security_roles": "Roles that require a second factor",
    "admin_security_none": "No role requires a second factor now.",
    "admin_security_saved": "The two-factor policy was saved.",
    "admin_mfa_title": "Second factor",
    "admin_mfa_hint": (
        "For someone who lost their phone and their recovery codes: afterwards they sign in "
        "with their password alone (and are asked to set up a new app if their role "
        "requires it)."
    ),
    "admin_mfa_reset": "Reset second factor",
    "admin_mfa_reset_question": (
        "Remove the second factor of {username}? Their authenticator app, recovery codes "
        "and passkeys stop working; they are told by e-mail."
    ),
    "admin_mfa_reset_yes": "Yes, reset the second factor",
    "admin_done_mfa_reset": "The second factor of {subject} was reset.",
}

DE: dict[str, str] = {
    "admin_title": "Verwaltung",
    "admin_nav": "Verwaltung",
    "admin_overview": "Übersicht",
    "admin_missing": "Diese Seite gibt es nicht.",
    "admin_to_start": "Zur Startseite",
    "admin_organizations": "Organisationen",
    "admin_organizations_about": "Kundenfirmen, ihre Verträge und wer wessen Tickets sieht.",
    "admin_users": "Benutzer",
    "admin_users_about": "Alle, die sich anmelden: Kunden, Agenten und Administratoren.",
    "admin_users_about_own": "Die Personen Ihrer Organisation, die das Portal nutzen.",
    "admin_access_requests": "Zugangsanfragen",
    "admin_access_requests_about": (
        "Kunden bitten um Konten für neue Kollegen, Personen ohne Konto auf der Anmeldeseite; "
        "genehmigen oder ablehnen."
    ),
    "admin_access_requests_about_own": (
        "Beim Anbieter Konten für neue Kollegen beantragen; über Anfragen von der Anmeldeseite "
        "mit der E-Mail-Domain Ihrer Organisation entscheiden."
    ),
    "admin_pending_count": "{n} offen",
    "admin_templates": "Vorlagen",
    "admin_templates_about": "Woraus Kunden beim Eröffnen eines Tickets wählen, mit Fragen.",
    "admin_taxonomy": "Themenbereiche",
    "admin_taxonomy_about": "Themenbereiche und ihre Untertypen, gewählt bei jedem Ticket.",
    "admin_save": "Speichern",
    "admin_cancel": "Abbrechen",
    "admin_edit": "Bearbeiten",
    "admin_show": "Anzeigen",
    "admin_state": "Zustand",
    "admin_active": "aktiv",
    "admin_inactive": "inaktiv",
    "admin_actions": "Aktionen",
    "admin_new_organization": "Neue Organisation",
    "admin_edit_organization": "Organisation bearbeiten",
    "admin_no_organizations": "Es gibt noch keine Organisationen.",
    "admin_org_name": "Name",
    "admin_priority_contract": "Vertrag für Prioritäten",
    "admin_priority_contract_hint": "Ohne ihn bekommt jedes Ticket der Organisation P4.",
    "admin_org_wide_visibility": "Organisationsweite Sichtbarkeit",
    "admin_org_wide_visibility_hint": "Kollegen sehen die Tickets der anderen.",
    "admin_sla_contract": "SLA-Vertrag",
    "admin_sla_contract_hint": (
        "Der Name eines Vertrags mit eigenen Reaktionszeiten (z. B. Premium); leer für die "
        "Standardziele."
    ),
    "admin_standard_sla": "Standard",
    "admin_org_active": "Aktiv",
    "admin_org_active_hint": "Eine inaktive Organisation bekommt keine neuen Benutzer.",
    "admin_new_user": "Neuer Benutzer",
    "admin_create_user": "Benutzer anlegen",
    "admin_no_users": "Hier gibt es noch keine Benutzer.",
    "admin_filter_organization": "Organisation",
    "admin_all_users": "alle Benutzer",
    "admin_display_name": "Anzeigename",
    "admin_display_name_hint": "Optional; leer bleibt es der Benutzername.",
    "admin_email": "E-Mail-Adresse",
    "admin_organization": "Organisation",
    "admin_organization_hint": (
        "Kunden gehören zu einer Organisation, Agenten und Administratoren zu keiner."
    ),
    "admin_no_organization": "keine (Mitarbeiter des Anbieters)",
    "admin_vendor_staff": "Mitarbeiter des Anbieters",
    "admin_roles": "Rollen",
    "admin_role": "Rolle",
    "admin_role_customer": "Kunde",
    "admin_role_customer_admin": "Kundenadministrator",
    "admin_role_agent": "Agent",
    "admin_role_admin": "Administrator",
    "admin_language": "Sprache",
    "admin_username_hint": "Nur Buchstaben und Ziffern; Groß- und Kleinschreibung zählt.",
    "admin_password_hint": (
        "Leer lassen, um eine Einladung per E-Mail zu senden: Über ihren Link setzt der "
        "Benutzer dann ein Passwort."
    ),
    "admin_deactivate": "Deaktivieren",
    "admin_reactivate": "Reaktivieren",
    "admin_resend_invitation": "Einladung erneut senden",
    "admin_pending": "Offene Anfragen",
    "admin_no_requests": "Keine Anfragen warten.",
    "admin_requested": "Angefragt",
    "admin_approve": "Genehmigen",
    "admin_reject": "Ablehnen",
    "admin_reject_reason": "Grund für eine Ablehnung (optional)",
    "admin_waiting_for_vendor": "Wartet auf die Entscheidung des Anbieters.",
    "admin_request_access": "Zugang für einen neuen Kollegen beantragen",
    "admin_request_access_about": (
        "Der Anbieter prüft die Anfrage; nach der Genehmigung bekommt Ihr Kollege eine "
        "Einladung per E-Mail."
    ),
    "admin_request_note": "Hinweis für den Anbieter",
    "admin_send_request": "Anfrage senden",
    "admin_new_template": "Neue Vorlage",
    "admin_edit_template": "Vorlage bearbeiten",
    "admin_no_templates": "Es gibt noch keine Vorlagen.",
    "admin_template_name": "Name",
    "admin_group": "Gruppe",
    "admin_group_incident_report": "Störungsmeldung",
    "admin_group_service_request": "Serviceanfrage (Bestellung)",
    "admin_group_change_request": "Änderungsantrag",
    "admin_category": "Kategorie",
    "admin_category_by_group": "wie die Gruppe",
    "admin_category_incident": "Störung",
    "admin_category_service_request": "Serviceanfrage",
    "admin_category_change_request": "Änderungsantrag",
    "admin_category_question": "Frage",
    "admin_description": "Beschreibung",
    "admin_description_hint": "Wird Kunden bei der Wahl einer Vorlage gezeigt.",
    "admin_template_name_de": "Name auf Deutsch",
    "admin_description_de": "Beschreibung auf Deutsch",
    "admin_wording_de_hint": "Für deutsche Seiten; ohne ihn zeigen sie den englischen Text.",
    "admin_template_active": "Aktiv",
    "admin_template_active_hint": "Kunden werden nur aktive Vorlagen angeboten.",
    "admin_questions": "Fragen",
    "admin_guide": "Gesprächsleitfaden",
    "admin_guide_hint": (
        "Die Fragen, die ein Kunde beim Eröffnen eines Tickets mit dieser Vorlage beantwortet. "
        "Zeilen ohne Frage werden weggelassen."
    ),
    "admin_question_n": "Frage {n}",
    "admin_question_label": "Frage (Englisch)",
    "admin_question_label_de": "Frage (Deutsch, optional)",
    "admin_question_type": "Art der Antwort",
    "admin_question_required": "Eine Antwort ist Pflicht",
    "admin_question_choices": "Auswahlmöglichkeiten",
    "admin_question_choices_hint": "Nur für Auswahlfragen: eine Möglichkeit je Zeile.",
    "admin_type_text": "Text",
    "admin_type_long_text": "Langer Text",
    "admin_type_choice": "Auswahl",
    "admin_type_number": "Zahl",
    "admin_type_date": "Datum",
    "admin_add_question": "Frage hinzufügen",
    "admin_remove_question": "Diese Frage entfernen",
    "admin_subtypes": "Untertypen",
    "admin_subtypes_hint": "Ein Untertyp je Zeile.",
    "admin_area_active": "Bei neuen Tickets angeboten",
    "admin_new_area": "Neuer Themenbereich",
    "admin_area_name": "Name",
    "admin_add_area": "Themenbereich hinzufügen",
    "admin_no_areas": "Es gibt noch keine Themenbereiche.",
    "admin_area_name_needed": "Geben Sie einen Namen ein.",
    "admin_area_name_chars": "Ein Name darf weder / noch \\ enthalten.",
    "admin_area_exists": "Diesen Themenbereich gibt es schon; ändern Sie ihn in der Liste oben.",
    "admin_done_org_created": "Die Organisation {subject} wurde angelegt.",
    "admin_done_org_saved": "Die Organisation {subject} wurde gespeichert.",
    "admin_done_user_created": (
        "Der Benutzer {subject} wurde mit dem angegebenen Passwort angelegt."
    ),
    "admin_done_user_invited": (
        "Der Benutzer {subject} wurde angelegt. Eine Einladung mit einem Link zum Setzen des "
        "Passworts ist unterwegs."
    ),
    "admin_done_user_deactivated": "{subject} wurde deaktiviert und überall abgemeldet.",
    "admin_done_user_reactivated": "{subject} wurde reaktiviert.",
    "admin_done_user_saved": "Die Änderungen an {subject} wurden gespeichert.",
    "admin_edit_user": "Benutzer {username} bearbeiten",
    "admin_done_invitation_sent": "Eine neue Einladung wurde an {subject} gesendet.",
    "admin_done_approved": (
        "Die Anfrage für {subject} wurde genehmigt; eine Einladung per E-Mail ist unterwegs."
    ),
    "admin_done_rejected": "Die Anfrage für {subject} wurde abgelehnt.",
    "admin_done_requested": "Die Anfrage für {subject} wurde an den Anbieter gesendet.",
    "admin_done_template_created": "Die Vorlage {subject} wurde angelegt.",
    "admin_done_template_saved": "Die Vorlage {subject} wurde gespeichert.",
    "admin_done_area_saved": "Der Themenbereich {subject} wurde gespeichert.",
    "admin_security": "Zwei-Faktor-Anmeldung",
    "admin_security_about": "Welche Rollen sich mit einem zweiten Faktor anmelden müssen.",
    "admin_security_intro": (
        "Wer eine angekreuzte Rolle hat, wird auf jeder Seite gebeten, eine Authenticator-App "
        "einzurichten, bis das geschehen ist; danach fragt die Anmeldung nach einem Code. Die "
        "API antwortet wie bisher."
    ),
    "admin_security_roles": "Rollen, die einen zweiten Faktor verlangen",
    "admin_security_none": "Zurzeit verlangt keine Rolle einen zweiten Faktor.",
    "admin_security_saved": "Die Richtlinie zur Zwei-Faktor-Anmeldung wurde gespeichert.",
    "admin_mfa_title": "Zweiter Faktor",
    "admin_mfa_hint": (
        "Für jemanden, der Telefon und Wiederherstellungscodes verloren hat: Danach meldet "
        "er sich nur mit dem Passwort an (und wird gebeten, eine neue App einzurichten, wenn "
        "seine Rolle es verlangt)."
    ),
    "admin_mfa_reset": "Zweiten Faktor zurücksetzen",
    "admin_mfa_reset_question": (
        "Den zweiten Faktor von {username} entfernen? Die Authenticator-App, die "
        "Wiederherstellungscodes und die Passkeys funktionieren dann nicht mehr; die Person "
        "wird per E-Mail informiert."
    ),
    "admin_mfa_reset_yes": "Ja, zweiten Faktor zurücksetzen",
    "admin_done_mfa_reset": "Der zweite Faktor von {subject} wurde zurückgesetzt.",
}
