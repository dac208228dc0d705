"""Administration of contracts and business calendars."""

from __future__ import annotations

EN: dict[str, str] = {
    "contract_nav": "Contracts",
    "calendar_nav": "Business calendars",
    # business calendars
    "calendar_list_title": "Business calendars",
    "calendar_list_about": (
        "Opening hours, time zone and holidays: reaction and resolution targets count "
        "only in these business hours."
    ),
    "calendar_new": "New business calendar",
    "calendar_edit": "Edit business calendar",
    "calendar_none": "There is no business calendar yet.",
    "calendar_name": "Name",
    "calendar_time_zone": "Time zone",
    "calendar_time_zone_hint": "The opening hours and holidays are local times of this zone.",
    "calendar_default": "Default calendar",
    "calendar_default_hint": (
        "The standard terms (without a contract) count in the default calendar; "
        "there is always exactly one."
    ),
    "calendar_default_marker": "default",
    "calendar_weekly": "Opening hours",
    "calendar_weekly_hint": "Leave both times empty for a day that is closed.",
    "calendar_weekday": "Weekday",
    "calendar_opens": "Opens",
    "calendar_closes": "Closes",
    "calendar_closed": "closed",
    "calendar_open_days": "Open",
    "calendar_holidays": "Holidays",
    "calendar_holidays_hint": "One date per line, e.g. 2026-12-24 or 24.12.2026.",
    "calendar_holidays_count": "Holidays",
    "calendar_day_half_open": "Give the opening and the closing time, or neither for a closed day.",
    "calendar_delete": "Delete",
    "calendar_weekday_0": "Monday",
    "calendar_weekday_1": "Tuesday",
    "calendar_weekday_2": "Wednesday",
    "calendar_weekday_3": "Thursday",
    "calendar_weekday_4": "Friday",
    "calendar_weekday_5": "Saturday",
    "calendar_weekday_6": "Sunday",
    "contract_done_calendar_created": "The business calendar {subject} was created.",
    "contract_done_calendar_saved": "The business calendar {subject} was saved.",
    "contract_done_calendar_deleted": "The business calendar {subject} was deleted.",
    # contracts
    "contract_list_title": "Contracts",
    "contract_list_of": "Contracts of {name}",
    "contract_list_about": (
        "Service levels per organization: valid from, until, priorities, business calendar "
        "and the targets per priority."
    ),
    "contract_all": "All contracts",
    "contract_new": "New contract",
    "contract_edit": "Edit contract",
    "contract_none": "There are no contracts yet; the standard terms apply.",
    "contract_organization": "Organization",
    "contract_organization_choose": "Choose an organization",
    "contract_name": "Contract name",
    "contract_name_hint": "Shown to the customer and on the organization, e.g. Premium.",
    "contract_valid_from": "Valid from",
    "contract_valid_until": "Valid until",
    "contract_valid_until_hint": "Leave empty for a contract without an end.",
    "contract_validity": "Validity",
    "contract_open_ended": "open-ended",
    "contract_from_missing": "Give the day the contract begins.",
    "contract_priorities_selectable": "Priorities selectable",
    "contract_priorities_selectable_hint": (
        "The organization's people choose the priority of their tickets; otherwise every "
        "ticket gets P4 and the service desk sets it."
    ),
    "contract_default_priority": "Default priority",
    "contract_default_priority_hint": (
        "What a ticket gets when nobody chooses a priority, such as a ticket opened by "
        "e-mail; only while priorities are selectable, otherwise P4."
    ),
    "contract_default_priority_standard": "P4 (standard)",
    "contract_calendar": "Business calendar",
    "contract_targets": "Targets per priority",
    "contract_targets_hint": (
        "In business hours of the calendar; the resolution target is not shorter than the "
        "reaction target."
    ),
    "contract_priority": "Priority",
    "contract_reaction_hours": "Reaction (business hours)",
    "contract_resolution_hours": "Resolution (business hours)",
    "contract_products": "Products covered",
    "contract_products_hint": "One per line; leave empty for every product.",
    "contract_all_products": "all products",
    "contract_asset_ids": "Assets covered",
    "contract_asset_ids_hint": "Asset IDs, one per line; leave empty for every asset.",
    "contract_state": "State",
    "contract_state_current": "valid now",
    "contract_state_upcoming": "upcoming",
    "contract_state_ended": "ended",
    "contract_delete": "Delete",
    "contract_link": "Contracts",
    "contract_done_contract_created": "The contract {subject} was created.",
    "contract_done_contract_saved": "The contract {subject} was saved.",
    "contract_done_contract_deleted": "The contract {subject} was deleted.",
    "contract_sla_follows": (
        "Follows the contract in force automatically; change it with the organization's contracts."
    ),
    "contract_sla_after_creation": "Add contracts once the organization is saved.",
}

DE: dict[str, str] = {
    "contract_nav": "Verträge",
    "calendar_nav": "Geschäftskalender",
    # business calendars
    "calendar_list_title": "Geschäftskalender",
    "calendar_list_about": (
        "Geschäftszeiten, Zeitzone und Feiertage: Reaktions- und Lösungszeiten zählen nur "
        "in diesen Geschäftszeiten."
    ),
    "calendar_new": "Neuer Geschäftskalender",
    "calendar_edit": "Geschäftskalender bearbeiten",
    "calendar_none": "Es gibt noch keinen Geschäftskalender.",
    "calendar_name": "Name",
    "calendar_time_zone": "Zeitzone",
    "calendar_time_zone_hint": "Geschäftszeiten und Feiertage gelten in dieser Zeitzone.",
    "calendar_default": "Standardkalender",
    "calendar_default_hint": (
        "Die Standardbedingungen (ohne Vertrag) zählen im Standardkalender; es gibt immer "
        "genau einen."
    ),
    "calendar_default_marker": "Standard",
    "calendar_weekly": "Geschäftszeiten",
    "calendar_weekly_hint": "Beide Zeiten leer lassen für einen geschlossenen Tag.",
    "calendar_weekday": "Wochentag",
    "calendar_opens": "Öffnet",
    "calendar_closes": "Schließt",
    "calendar_closed": "geschlossen",
    "calendar_open_days": "Geöffnet",
    "calendar_holidays": "Feiertage",
    "calendar_holidays_hint": "Ein Datum pro Zeile, z. B. 24.12.2026 oder 2026-12-24.",
    "calendar_holidays_count": "Feiertage",
    "calendar_day_half_open": (
        "Bitte Öffnungs- und Schließzeit angeben, oder keine für einen geschlossenen Tag."
    ),
    "calendar_delete": "Löschen",
    "calendar_weekday_0": "Montag",
    "calendar_weekday_1": "Dienstag",
    "calendar_weekday_2": "Mittwoch",
    "calendar_weekday_3": "Donnerstag",
    "calendar_weekday_4": "Freitag",
    "calendar_weekday_5": "Samstag",
    "calendar_weekday_6": "Sonntag",
    "contract_done_calendar_created": "Der Geschäftskalender {subject} wurde angelegt.",
    "contract_done_calendar_saved": "Der Geschäftskalender {subject} wurde gespeichert.",
    "contract_done_calendar_deleted": "Der Geschäftskalender {subject} wurde gelöscht.",
    # contracts
    "contract_list_title": "Verträge",
    "contract_list_of": "Verträge von {name}",
    "contract_list_about": (
        "Service-Level je Organisation: gültig ab, bis, Prioritäten, Geschäftskalender und "
        "die Zielzeiten je Priorität."
    ),
    "contract_all": "Alle Verträge",
    "contract_new": "Neuer Vertrag",
    "contract_edit": "Vertrag bearbeiten",
    "contract_none": "Es gibt noch keine Verträge; es gelten die Standardbedingungen.",
    "contract_organization": "Organisation",
    "contract_organization_choose": "Organisation wählen",
    "contract_name": "Vertragsname",
    "contract_name_hint": "Sichtbar für den Kunden und an der Organisation, z. B. Premium.",
    "contract_valid_from": "Gültig ab",
    "contract_valid_until": "Gültig bis",
    "contract_valid_until_hint": "Leer lassen für einen Vertrag ohne Ende.",
    "contract_validity": "Gültigkeit",
    "contract_open_ended": "unbefristet",
    "contract_from_missing": "Bitte den Tag angeben, an dem der Vertrag beginnt.",
    "contract_priorities_selectable": "Prioritäten wählbar",
    "contract_priorities_selectable_hint": (
        "Die Personen der Organisation wählen die Priorität ihrer Tickets; sonst bekommt "
        "jedes Ticket P4 und der Service Desk legt sie fest."
    ),
    "contract_calendar": "Geschäftskalender",
    "contract_default_priority": "Standardpriorität",
    "contract_default_priority_hint": (
        "Was ein Ticket erhält, wenn niemand eine Priorität wählt, etwa ein per E-Mail "
        "eröffnetes Ticket; nur solange Prioritäten wählbar sind, sonst P4."
    ),
    "contract_default_priority_standard": "P4 (Standard)",
    "contract_targets": "Zielzeiten je Priorität",
    "contract_targets_hint": (
        "In Geschäftsstunden des Kalenders; die Lösungszeit ist nicht kürzer als die Reaktionszeit."
    ),
    "contract_priority": "Priorität",
    "contract_reaction_hours": "Reaktion (Geschäftsstunden)",
    "contract_resolution_hours": "Lösung (Geschäftsstunden)",
    "contract_products": "Abgedeckte Produkte",
    "contract_products_hint": "Eines pro Zeile; leer lassen für alle Produkte.",
    "contract_all_products": "alle Produkte",
    "contract_asset_ids": "Abgedeckte Anlagen",
    "contract_asset_ids_hint": "Anlagen-IDs, eine pro Zeile; leer lassen für alle Anlagen.",
    "contract_state": "Status",
    "contract_state_current": "gilt jetzt",
    "contract_state_upcoming": "künftig",
    "contract_state_ended": "beendet",
    "contract_delete": "Löschen",
    "contract_link": "Verträge",
    "contract_done_contract_created": "Der Vertrag {subject} wurde angelegt.",
    "contract_done_contract_saved": "Der Vertrag {subject} wurde gespeichert.",
    "contract_done_contract_deleted": "Der Vertrag {subject} wurde gelöscht.",
    "contract_sla_follows": (
        "Folgt automatisch dem geltenden Vertrag; ändern Sie ihn bei den Verträgen der "
        "Organisation."
    ),
    "contract_sla_after_creation": (
        "Verträge legen Sie an, sobald die Organisation gespeichert ist."
    ),
}
