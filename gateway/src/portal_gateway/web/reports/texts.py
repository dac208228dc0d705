"""The reports page."""

from __future__ import annotations

EN: dict[str, str] = {
    "report_title": "Reports",
    "report_period": (
        "Tickets of the last {weeks} weeks, since {since} (weeks start on Monday, UTC)."
    ),
    "report_all_orgs": "All organizations",
    "report_org_filter": "Organization",
    "report_show": "Show",
    "report_weeks_title": "Tickets opened and closed per week",
    "report_weeks_summary": "{opened} tickets opened and {closed} closed in these weeks.",
    "report_weeks_caption": "Per week, starting on the day shown",
    "report_week": "Week of",
    "report_opened": "Opened",
    "report_closed": "Closed",
    "report_total": "Total",
    "report_closed_note": (
        "Closed counts every time a ticket was resolved, closed or cancelled; a ticket "
        "reopened and closed again counts again."
    ),
    "report_opened_caption": "Tickets opened in these weeks",
    "report_priority_title": "Tickets by priority",
    "report_priority": "Priority",
    "report_tickets": "Tickets",
    "report_category_title": "Tickets by category",
    "report_category": "Category",
    "report_category_incident": "Incident",
    "report_category_service_request": "Service request",
    "report_category_change_request": "Change request",
    "report_category_question": "Question",
    "report_reaction_title": "Reaction times against the SLA",
    "report_reaction_intro": (
        "The share of tickets the service desk answered within the agreed reaction time, "
        "by priority."
    ),
    "report_reaction_caption": "Tickets opened in these weeks, by their first answer",
    "report_met": "Answered in time",
    "report_missed": "Answered late or overdue",
    "report_pending": "Waiting, still in time",
    "report_share": "Share in time",
    "report_median": "Median first reaction",
    "report_no_data": "no data",
    "report_reaction_note": (
        "The reaction time runs in business hours; the median shows the calendar time from "
        "opening to the service desk's first answer. Tickets closed before an answer was due "
        "are not counted."
    ),
    "report_missing": "There is no report for this organization.",
    "desk_report_title": "Service desk report",
    "desk_report_intro": (
        "Tickets opened in a period per organization, agent group or agent, against the "
        "reaction and resolution targets."
    ),
    "desk_report_by": "Per",
    "desk_report_by_organization": "Organization",
    "desk_report_by_group": "Agent group",
    "desk_report_by_agent": "Agent",
    "desk_report_none_organization": "(no organization)",
    "desk_report_none_group": "(no group)",
    "desk_report_none_agent": "(unassigned)",
    "desk_report_since": "From",
    "desk_report_until": "To",
    "desk_report_weekly": "Weekly charts",
    "desk_report_link": "Service desk report",
    "desk_report_xlsx": "Download as Excel",
    "desk_report_caption": "Tickets opened from {since} to {until}",
    "desk_report_backlog": "Open now",
    "desk_report_reaction": "Reaction in time",
    "desk_report_resolution": "Resolved in time",
    "desk_report_median_reaction": "Median reaction",
    "desk_report_median_resolution": "Median resolution",
    "desk_report_escalated": "Escalated",
    "desk_report_minutes": "Minutes booked",
    "desk_report_empty": "No tickets in this period.",
    "desk_report_note": (
        "Closed counts resolutions, closings and cancellations in the period; open now "
        "counts every open ticket, whenever it was opened. Medians are clock time from "
        "opening."
    ),
}

DE: dict[str, str] = {
    "report_title": "Berichte",
    "report_period": (
        "Tickets der letzten {weeks} Wochen, seit {since} (Wochen beginnen montags, UTC)."
    ),
    "report_all_orgs": "Alle Organisationen",
    "report_org_filter": "Organisation",
    "report_show": "Anzeigen",
    "report_weeks_title": "Eröffnete und geschlossene Tickets pro Woche",
    "report_weeks_summary": (
        "{opened} Tickets eröffnet und {closed} geschlossen in diesen Wochen."
    ),
    "report_weeks_caption": "Pro Woche, beginnend am angegebenen Tag",
    "report_week": "Woche ab",
    "report_opened": "Eröffnet",
    "report_closed": "Geschlossen",
    "report_total": "Summe",
    "report_closed_note": (
        "Geschlossen zählt jedes Mal, wenn ein Ticket gelöst, geschlossen oder storniert "
        "wurde; ein wieder geöffnetes und erneut geschlossenes Ticket zählt erneut."
    ),
    "report_opened_caption": "In diesen Wochen eröffnete Tickets",
    "report_priority_title": "Tickets nach Priorität",
    "report_priority": "Priorität",
    "report_tickets": "Tickets",
    "report_category_title": "Tickets nach Kategorie",
    "report_category": "Kategorie",
    "report_category_incident": "Störung",
    "report_category_service_request": "Serviceanfrage",
    "report_category_change_request": "Änderungsanfrage",
    "report_category_question": "Frage",
    "report_reaction_title": "Reaktionszeiten gemessen am SLA",
    "report_reaction_intro": (
        "Der Anteil der Tickets, die der Service-Desk innerhalb der vereinbarten "
        "Reaktionszeit beantwortet hat, nach Priorität."
    ),
    "report_reaction_caption": "In diesen Wochen eröffnete Tickets, nach ihrer ersten Antwort",
    "report_met": "Rechtzeitig beantwortet",
    "report_missed": "Verspätet oder überfällig",
    "report_pending": "Wartend, noch in der Zeit",
    "report_share": "Anteil rechtzeitig",
    "report_median": "Median der ersten Reaktion",
    "report_no_data": "keine Daten",
    "report_reaction_note": (
        "Die Reaktionszeit läuft in Geschäftszeiten; der Median zeigt die Kalenderzeit von "
        "der Eröffnung bis zur ersten Antwort des Service-Desks. Tickets, die geschlossen "
        "wurden, bevor eine Antwort fällig war, zählen nicht."
    ),
    "report_missing": "Für diese Organisation gibt es keinen Bericht.",
    "desk_report_title": "Bericht des Service Desks",
    "desk_report_intro": (
        "Im Zeitraum eröffnete Tickets je Organisation, Agentengruppe oder Agent, gemessen "
        "an Reaktions- und Lösungszeit."
    ),
    "desk_report_by": "Je",
    "desk_report_by_organization": "Organisation",
    "desk_report_by_group": "Agentengruppe",
    "desk_report_by_agent": "Agent",
    "desk_report_none_organization": "(keine Organisation)",
    "desk_report_none_group": "(keine Gruppe)",
    "desk_report_none_agent": "(nicht zugewiesen)",
    "desk_report_since": "Von",
    "desk_report_until": "Bis",
    "desk_report_weekly": "Wochendiagramme",
    "desk_report_link": "Bericht des Service Desks",
    "desk_report_xlsx": "Als Excel herunterladen",
    "desk_report_caption": "Vom {since} bis {until} eröffnete Tickets",
    "desk_report_backlog": "Jetzt offen",
    "desk_report_reaction": "Reaktion rechtzeitig",
    "desk_report_resolution": "Rechtzeitig gelöst",
    "desk_report_median_reaction": "Median Reaktion",
    "desk_report_median_resolution": "Median Lösung",
    "desk_report_escalated": "Eskaliert",
    "desk_report_minutes": "Gebuchte Minuten",
    "desk_report_empty": "Keine Tickets in diesem Zeitraum.",
    "desk_report_note": (
        "Geschlossen zählt Lösungen, Schließungen und Stornierungen im Zeitraum; jetzt "
        "offen zählt jedes offene Ticket, wann immer es eröffnet wurde. Mediane sind "
        "Uhrzeit ab Eröffnung."
    ),
}
