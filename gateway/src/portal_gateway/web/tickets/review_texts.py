"""The ticket pages' words for the customer's own first level: a ticket in its
organization's internal review, the reviewers' actions, the list's review filter and the
new-ticket form's choice."""

from __future__ import annotations

EN: dict[str, str] = {
    "review_badge_internal": "Review by our IT",
    "review_badge_requester": "Review by the requester",
    "review_note_internal": (
        "Your organization's IT checks this ticket first: the service desk does not see it "
        "until it is handed over."
    ),
    "review_note_requester": (
        "Your IT has a question for the requester (a reply gives the ticket back to them): "
        "the service desk does not see it until it is handed over."
    ),
    "review_hand_over": "Hand over to the service desk",
    "review_hand_over_hint": (
        "From the hand-over on the service desk sees the ticket and its service level clock runs."
    ),
    "review_ask_requester": "Ask the requester",
    "review_take_back": "Take back",
    "review_err_choice": "Choose one of the offered actions.",
    "td_done_handed_over": "Handed over to the service desk.",
    "td_done_review_requester": "The requester has been asked; the ticket waits for the answer.",
    "td_done_review_internal": "The ticket is back in review by your IT.",
    "review_created_notice": (
        "Your ticket was created. Your IT reviews it first and then hands it over to the "
        "service desk."
    ),
    "review_sla_waits": "starts when the ticket is handed over to the service desk",
    "review_handed_over_at": "Handed over",
    "review_filter_label": "Review",
    "review_filter_all": "All",
    "review_filter_internal": "Review by our IT",
    "review_filter_requester": "Review by the requester",
    "review_filter_none": "With the service desk",
    "review_hand_over_now": "Hand over to the service desk at once",
    "review_hand_over_now_hint": (
        "You review your organization's tickets: without this tick the ticket waits in your "
        "IT's review first."
    ),
    "review_first_note": (
        "Your organization's IT reviews new tickets first and then hands them over to the "
        "service desk."
    ),
}

DE: dict[str, str] = {
    "review_badge_internal": "Prüfung durch EDV",
    "review_badge_requester": "Prüfung durch User",
    "review_note_internal": (
        "Die EDV Ihrer Organisation prüft dieses Ticket zuerst: Der Service Desk sieht es "
        "erst nach der Übergabe."
    ),
    "review_note_requester": (
        "Ihre EDV hat eine Rückfrage an den User (eine Antwort gibt ihr das Ticket zurück): "
        "Der Service Desk sieht es erst nach der Übergabe."
    ),
    "review_hand_over": "An den Service übergeben",
    "review_hand_over_hint": (
        "Ab der Übergabe sieht der Service Desk das Ticket, und die Service-Level-Uhr läuft."
    ),
    "review_ask_requester": "Rückfrage an den User",
    "review_take_back": "Zurücknehmen",
    "review_err_choice": "Bitte eine der angebotenen Aktionen wählen.",
    "td_done_handed_over": "An den Service übergeben.",
    "td_done_review_requester": "Die Rückfrage ist gestellt; das Ticket wartet auf die Antwort.",
    "td_done_review_internal": "Das Ticket ist wieder in der Prüfung durch EDV.",
    "review_created_notice": (
        "Ihr Ticket wurde angelegt. Ihre EDV prüft es zuerst und übergibt es dann an den Service."
    ),
    "review_sla_waits": "beginnt mit der Übergabe an den Service",
    "review_handed_over_at": "Übergeben",
    "review_filter_label": "Prüfung",
    "review_filter_all": "Alle",
    "review_filter_internal": "Prüfung durch EDV",
    "review_filter_requester": "Prüfung durch User",
    "review_filter_none": "Beim Service",
    "review_hand_over_now": "Sofort an den Service übergeben",
    "review_hand_over_now_hint": (
        "Sie prüfen die Tickets Ihrer Organisation: Ohne diesen Haken wartet das Ticket "
        "zuerst in der Prüfung durch EDV."
    ),
    "review_first_note": (
        "Die EDV Ihrer Organisation prüft neue Tickets zuerst und übergibt sie dann an den Service."
    ),
}
