"""Administration of the service desk's setup: agent groups, routing rules and text
modules."""

from __future__ import annotations

EN: dict[str, str] = {
    "groups_nav": "Agent groups",
    "routing_nav": "Routing",
    "modules_nav": "Text modules",
    "setup_delete": "Delete",
    "setup_delete_yes": "Yes, delete",
    # agent groups
    "groups_title": "Agent groups",
    "groups_about": (
        "Teams of agents that new tickets are routed to; with round robin, each new ticket "
        "goes to the next active member in turn."
    ),
    "groups_new": "New agent group",
    "groups_edit": "Edit agent group",
    "groups_none": "There is no agent group yet.",
    "groups_name": "Name",
    "groups_lead": "Lead",
    "groups_lead_hint": "An active agent or administrator who leads the group (optional).",
    "groups_no_lead": "no lead",
    "groups_members": "Members",
    "groups_members_hint": (
        "Tick the members and number them: the round robin hands out tickets in this "
        "order. Members without a number come last."
    ),
    "groups_member": "Member",
    "groups_member_position": "Order",
    "groups_member_position_of": "Order of {name}",
    "groups_member_inactive": "inactive",
    "groups_no_candidates": "There are no active agents or administrators.",
    "groups_round_robin": "Round robin",
    "groups_round_robin_hint": (
        "New tickets routed to the group are assigned to its active members in turn; "
        "otherwise they wait for the group unassigned."
    ),
    "groups_rules": "Routing rules",
    "groups_rules_one": "{n} rule",
    "groups_rules_other": "{n} rules",
    "groups_delete_title": "Delete agent group {name}?",
    "groups_delete_question": "Its tickets stay and can be worked on, without a group.",
    "groups_delete_rules_one": "{n} routing rule is deleted with it.",
    "groups_delete_rules_other": "{n} routing rules are deleted with it.",
    "groups_done_created": "The agent group {subject} was created.",
    "groups_done_saved": "The agent group {subject} was saved.",
    "groups_done_deleted": "The agent group {subject} was deleted.",
    # routing rules
    "routing_title": "Routing rules",
    "routing_about": (
        "A new ticket is given to the group of the first rule it matches, tried from the "
        "top; a rule matches when all its conditions hold."
    ),
    "routing_new": "New routing rule",
    "routing_edit": "Edit routing rule",
    "routing_none": "There are no routing rules yet; new tickets get no group.",
    "routing_needs_group": "Create an agent group first: every rule routes to a group.",
    "routing_position": "Order",
    "routing_rule": "Rule",
    "routing_group": "Agent group",
    "routing_group_choose": "Choose an agent group",
    "routing_conditions": "Conditions",
    "routing_conditions_hint": (
        "At least one; a ticket matches when every condition named holds. Subject area and "
        "product in any case; the product also matches the product of the ticket's "
        "installation."
    ),
    "routing_subject_area": "Subject area",
    "routing_category": "Category",
    "routing_organization": "Organization",
    "routing_product": "Product",
    "routing_any": "any",
    "routing_if_subject_area": "subject area is {value}",
    "routing_if_category": "category is {value}",
    "routing_if_organization": "organization is {value}",
    "routing_if_product": "product is {value}",
    "routing_and": "and",
    "routing_up": "Up",
    "routing_down": "Down",
    "routing_move_up": "Move rule {n} up",
    "routing_move_down": "Move rule {n} down",
    "routing_delete_title": "Delete routing rule {n}?",
    "routing_delete_question": "New tickets are no longer routed by it.",
    "routing_done_created": "The rule for {subject} was created.",
    "routing_done_saved": "The rule for {subject} was saved.",
    "routing_done_deleted": "The rule for {subject} was deleted.",
    "routing_done_moved": "The rule was moved to position {subject}.",
    # text modules
    "modules_title": "Text modules",
    "modules_about": (
        "Ready answers the service desk inserts into replies, with placeholders filled in "
        "for the ticket."
    ),
    "modules_new": "New text module",
    "modules_edit": "Edit text module",
    "modules_none": "There are no text modules yet.",
    "modules_none_found": "No text module matches.",
    "modules_search": "Search",
    "modules_search_hint": "Words in name, keywords or text.",
    "modules_all_languages": "all languages",
    "modules_filter": "Show",
    "modules_name": "Name",
    "modules_language": "Language",
    "modules_body": "Text",
    "modules_body_hint": (
        "Placeholders in double curly braces, e.g. {{customer.first_name}}; see the list "
        "beside the text."
    ),
    "modules_keywords": "Keywords",
    "modules_keywords_hint": "Further words the search finds it by, e.g. printer toner.",
    "modules_set_status": "Sets the status",
    "modules_set_priority": "Sets the priority",
    "modules_sets_hint": "Inserting the module changes the ticket so (optional).",
    "modules_unchanged": "unchanged",
    "modules_sets": "Sets",
    "modules_placeholders": "Placeholders",
    "modules_placeholders_about": "Filled in for the ticket the module is inserted into:",
    "modules_placeholders_more": (
        "Also: filters such as {{customer.first_name | default('customer')}} or "
        "| upper, and {% if organization.name %}…{% endif %} for text that depends on a "
        "value."
    ),
    "modules_ph_customer_name": "the contact's name",
    "modules_ph_customer_first_name": "the contact's first name",
    "modules_ph_customer_email": "the contact's e-mail address",
    "modules_ph_organization_name": "the customer's organization",
    "modules_ph_ticket_number": "the ticket number",
    "modules_ph_ticket_title": "the ticket's title",
    "modules_ph_ticket_priority": "the priority (P1 to P4)",
    "modules_ph_ticket_status": "the status as the customer sees it",
    "modules_ph_ticket_asset": "the installation: name and serial number",
    "modules_ph_agent_name": "the name of the agent inserting it",
    "modules_ph_agent_first_name": "the agent's first name",
    "modules_preview": "Preview",
    "modules_preview_about": "The saved text filled in for a ticket; nothing is changed or sent.",
    "modules_preview_ticket": "Ticket number",
    "modules_preview_show": "Show preview",
    "modules_preview_for": "Filled in for {number}",
    "modules_preview_no_ticket": "There is no ticket {number}.",
    "modules_error_placeholder": (
        "There is no placeholder {name}; the known ones are listed beside the text."
    ),
    "modules_error_syntax": (
        "Line {line}: this is not a valid template ({detail}). Check the double curly "
        "braces and that every {{% if %}} ends with {{% endif %}}."
    ),
    "modules_error_not_allowed": (
        "{what} is not allowed in a text module: use text, placeholders, simple filters "
        "and {{% if %}} blocks."
    ),
    "modules_error_render": "The text cannot be filled in: {detail}",
    "modules_delete_title": "Delete text module {name}?",
    "modules_delete_question": "The service desk can no longer insert it.",
    "modules_done_created": "The text module {subject} was created.",
    "modules_done_saved": "The text module {subject} was saved.",
    "modules_done_deleted": "The text module {subject} was deleted.",
}

DE: dict[str, str] = {
    "groups_nav": "Agentengruppen",
    "routing_nav": "Zuweisung",
    "modules_nav": "Textbausteine",
    "setup_delete": "Löschen",
    "setup_delete_yes": "Ja, löschen",
    # agent groups
    "groups_title": "Agentengruppen",
    "groups_about": (
        "Teams von Agenten, denen neue Tickets zugewiesen werden; mit Rundlauf bekommt "
        "jedes neue Ticket das nächste aktive Mitglied der Reihe nach."
    ),
    "groups_new": "Neue Agentengruppe",
    "groups_edit": "Agentengruppe bearbeiten",
    "groups_none": "Es gibt noch keine Agentengruppe.",
    "groups_name": "Name",
    "groups_lead": "Leitung",
    "groups_lead_hint": "Ein aktiver Agent oder Administrator, der die Gruppe leitet (optional).",
    "groups_no_lead": "keine Leitung",
    "groups_members": "Mitglieder",
    "groups_members_hint": (
        "Mitglieder ankreuzen und nummerieren: Der Rundlauf verteilt Tickets in dieser "
        "Reihenfolge. Mitglieder ohne Nummer kommen zuletzt."
    ),
    "groups_member": "Mitglied",
    "groups_member_position": "Reihenfolge",
    "groups_member_position_of": "Reihenfolge von {name}",
    "groups_member_inactive": "inaktiv",
    "groups_no_candidates": "Es gibt keine aktiven Agenten oder Administratoren.",
    "groups_round_robin": "Rundlauf",
    "groups_round_robin_hint": (
        "Neue Tickets der Gruppe werden ihren aktiven Mitgliedern der Reihe nach "
        "zugewiesen; sonst warten sie nicht zugewiesen bei der Gruppe."
    ),
    "groups_rules": "Zuweisungsregeln",
    "groups_rules_one": "{n} Regel",
    "groups_rules_other": "{n} Regeln",
    "groups_delete_title": "Agentengruppe {name} löschen?",
    "groups_delete_question": "Ihre Tickets bleiben erhalten und bearbeitbar, ohne Gruppe.",
    "groups_delete_rules_one": "{n} Zuweisungsregel wird mit gelöscht.",
    "groups_delete_rules_other": "{n} Zuweisungsregeln werden mit gelöscht.",
    "groups_done_created": "Die Agentengruppe {subject} wurde angelegt.",
    "groups_done_saved": "Die Agentengruppe {subject} wurde gespeichert.",
    "groups_done_deleted": "Die Agentengruppe {subject} wurde gelöscht.",
    # routing rules
    "routing_title": "Zuweisungsregeln",
    "routing_about": (
        "Ein neues Ticket bekommt die Gruppe der ersten Regel, auf die es passt, von oben "
        "geprüft; eine Regel passt, wenn alle ihre Bedingungen zutreffen."
    ),
    "routing_new": "Neue Zuweisungsregel",
    "routing_edit": "Zuweisungsregel bearbeiten",
    "routing_none": "Es gibt noch keine Zuweisungsregeln; neue Tickets bekommen keine Gruppe.",
    "routing_needs_group": (
        "Legen Sie zuerst eine Agentengruppe an: Jede Regel weist einer Gruppe zu."
    ),
    "routing_position": "Reihenfolge",
    "routing_rule": "Regel",
    "routing_group": "Agentengruppe",
    "routing_group_choose": "Agentengruppe wählen",
    "routing_conditions": "Bedingungen",
    "routing_conditions_hint": (
        "Mindestens eine; ein Ticket passt, wenn jede genannte Bedingung zutrifft. "
        "Themenbereich und Produkt ohne Rücksicht auf Groß- und Kleinschreibung; das "
        "Produkt passt auch zum Produkt der Anlage des Tickets."
    ),
    "routing_subject_area": "Themenbereich",
    "routing_category": "Kategorie",
    "routing_organization": "Organisation",
    "routing_product": "Produkt",
    "routing_any": "beliebig",
    "routing_if_subject_area": "Themenbereich ist {value}",
    "routing_if_category": "Kategorie ist {value}",
    "routing_if_organization": "Organisation ist {value}",
    "routing_if_product": "Produkt ist {value}",
    "routing_and": "und",
    "routing_up": "Hoch",
    "routing_down": "Runter",
    "routing_move_up": "Regel {n} nach oben",
    "routing_move_down": "Regel {n} nach unten",
    "routing_delete_title": "Zuweisungsregel {n} löschen?",
    "routing_delete_question": "Neue Tickets werden nicht mehr nach ihr zugewiesen.",
    "routing_done_created": "Die Regel für {subject} wurde angelegt.",
    "routing_done_saved": "Die Regel für {subject} wurde gespeichert.",
    "routing_done_deleted": "Die Regel für {subject} wurde gelöscht.",
    "routing_done_moved": "Die Regel steht jetzt an Position {subject}.",
    # text modules
    "modules_title": "Textbausteine",
    "modules_about": (
        "Fertige Antworten, die der Service Desk in Antworten einfügt; die Platzhalter "
        "werden für das Ticket ausgefüllt."
    ),
    "modules_new": "Neuer Textbaustein",
    "modules_edit": "Textbaustein bearbeiten",
    "modules_none": "Es gibt noch keine Textbausteine.",
    "modules_none_found": "Kein Textbaustein passt.",
    "modules_search": "Suche",
    "modules_search_hint": "Wörter in Name, Stichwörtern oder Text.",
    "modules_all_languages": "alle Sprachen",
    "modules_filter": "Anzeigen",
    "modules_name": "Name",
    "modules_language": "Sprache",
    "modules_body": "Text",
    "modules_body_hint": (
        "Platzhalter in doppelten geschweiften Klammern, z. B. {{customer.first_name}}; "
        "siehe die Liste neben dem Text."
    ),
    "modules_keywords": "Stichwörter",
    "modules_keywords_hint": (
        "Weitere Wörter, unter denen die Suche ihn findet, z. B. Drucker Toner."
    ),
    "modules_set_status": "Setzt den Status",
    "modules_set_priority": "Setzt die Priorität",
    "modules_sets_hint": "Das Einfügen ändert das Ticket so (optional).",
    "modules_unchanged": "unverändert",
    "modules_sets": "Setzt",
    "modules_placeholders": "Platzhalter",
    "modules_placeholders_about": "Ausgefüllt für das Ticket, in das der Baustein eingefügt wird:",
    "modules_placeholders_more": (
        "Außerdem: Filter wie {{customer.first_name | default('Kunde')}} oder | upper, "
        "und {% if organization.name %}…{% endif %} für Text, der von einem Wert abhängt."
    ),
    "modules_ph_customer_name": "der Name des Ansprechpartners",
    "modules_ph_customer_first_name": "der Vorname des Ansprechpartners",
    "modules_ph_customer_email": "die E-Mail-Adresse des Ansprechpartners",
    "modules_ph_organization_name": "die Organisation des Kunden",
    "modules_ph_ticket_number": "die Ticketnummer",
    "modules_ph_ticket_title": "der Titel des Tickets",
    "modules_ph_ticket_priority": "die Priorität (P1 bis P4)",
    "modules_ph_ticket_status": "der Status, wie der Kunde ihn sieht",
    "modules_ph_ticket_asset": "die Anlage: Name und Seriennummer",
    "modules_ph_agent_name": "der Name des Agenten, der ihn einfügt",
    "modules_ph_agent_first_name": "der Vorname des Agenten",
    "modules_preview": "Vorschau",
    "modules_preview_about": (
        "Der gespeicherte Text, ausgefüllt für ein Ticket; nichts wird geändert oder gesendet."
    ),
    "modules_preview_ticket": "Ticketnummer",
    "modules_preview_show": "Vorschau zeigen",
    "modules_preview_for": "Ausgefüllt für {number}",
    "modules_preview_no_ticket": "Ein Ticket {number} gibt es nicht.",
    "modules_error_placeholder": (
        "Den Platzhalter {name} gibt es nicht; die bekannten stehen neben dem Text."
    ),
    "modules_error_syntax": (
        "Zeile {line}: Das ist keine gültige Vorlage ({detail}). Bitte die doppelten "
        "geschweiften Klammern prüfen und ob jedes {{% if %}} mit {{% endif %}} endet."
    ),
    "modules_error_not_allowed": (
        "{what} ist in einem Textbaustein nicht erlaubt: erlaubt sind Text, Platzhalter, "
        "einfache Filter und {{% if %}}-Blöcke."
    ),
    "modules_error_render": "Der Text lässt sich nicht ausfüllen: {detail}",
    "modules_delete_title": "Textbaustein {name} löschen?",
    "modules_delete_question": "Der Service Desk kann ihn dann nicht mehr einfügen.",
    "modules_done_created": "Der Textbaustein {subject} wurde angelegt.",
    "modules_done_saved": "Der Textbaustein {subject} wurde gespeichert.",
    "modules_done_deleted": "Der Textbaustein {subject} wurde gelöscht.",
}
