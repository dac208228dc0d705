"""The contract page of a customer: the service levels of their own organization."""

from __future__ import annotations

EN: dict[str, str] = {
    "my_contract_title": "Your contract",
    "my_contract_link": "Your organization's contract and service levels",
    "my_contract_standard": "Standard terms",
    "my_contract_standard_about": (
        "Your organization has no contract in force; these standard terms apply."
    ),
    "my_contract_name": "Contract",
    "my_contract_validity": "Valid",
    "my_contract_from_until": "from {start} until {end}",
    "my_contract_from": "from {start}, open-ended",
    "my_contract_priorities": "Priorities",
    "my_contract_priorities_yes": "You choose the priority of your tickets.",
    "my_contract_priorities_no": "The service desk sets the priority of your tickets.",
    "my_contract_products": "Products covered",
    "my_contract_targets": "Targets",
    "my_contract_targets_about": (
        "Counted in business hours: only while the service desk is open, without holidays."
    ),
    "my_contract_priority": "Priority",
    "my_contract_reaction": "First reaction within",
    "my_contract_resolution": "Resolution within",
    "my_contract_hours_one": "{n} business hour",
    "my_contract_hours_other": "{n} business hours",
    "my_contract_calendar": "Business hours",
    "my_contract_time_zone": "Time zone: {zone}",
    "my_contract_holidays": "Upcoming holidays",
    "my_contract_no_holidays": "No holidays are planned.",
    "my_contract_no_organization": (
        "Your account belongs to no customer organization, so no contract applies to it. "
        "Contracts are kept in the administration."
    ),
    "my_contract_unavailable": "The contract cannot be shown right now. Please try again shortly.",
}

DE: dict[str, str] = {
    "my_contract_title": "Ihr Vertrag",
    "my_contract_link": "Vertrag und Service-Level Ihrer Organisation",
    "my_contract_standard": "Standardbedingungen",
    "my_contract_standard_about": (
        "Für Ihre Organisation gilt derzeit kein Vertrag; es gelten diese Standardbedingungen."
    ),
    "my_contract_name": "Vertrag",
    "my_contract_validity": "Gültig",
    "my_contract_from_until": "vom {start} bis {end}",
    "my_contract_from": "ab {start}, unbefristet",
    "my_contract_priorities": "Prioritäten",
    "my_contract_priorities_yes": "Sie wählen die Priorität Ihrer Tickets selbst.",
    "my_contract_priorities_no": "Der Service Desk legt die Priorität Ihrer Tickets fest.",
    "my_contract_products": "Abgedeckte Produkte",
    "my_contract_targets": "Zielzeiten",
    "my_contract_targets_about": (
        "Gezählt in Geschäftsstunden: nur während der Service Desk geöffnet ist, ohne Feiertage."
    ),
    "my_contract_priority": "Priorität",
    "my_contract_reaction": "Erste Reaktion innerhalb von",
    "my_contract_resolution": "Lösung innerhalb von",
    "my_contract_hours_one": "{n} Geschäftsstunde",
    "my_contract_hours_other": "{n} Geschäftsstunden",
    "my_contract_calendar": "Geschäftszeiten",
    "my_contract_time_zone": "Zeitzone: {zone}",
    "my_contract_holidays": "Kommende Feiertage",
    "my_contract_no_holidays": "Es sind keine Feiertage eingetragen.",
    "my_contract_no_organization": (
        "Ihr Konto gehört zu keiner Kundenorganisation, daher gilt dafür kein Vertrag. "
        "Verträge werden in der Verwaltung gepflegt."
    ),
    "my_contract_unavailable": (
        "Der Vertrag kann gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal."
    ),
}
