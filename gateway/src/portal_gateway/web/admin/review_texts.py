"""The administration's words for the customer's own first level: the organization's
internal review and e-mail domains, the customer admin's page "Our organization", and
who may review tickets."""

from __future__ import annotations

EN: dict[str, str] = {
    "admin_internal_review": "Internal review (customer's first level)",
    "admin_internal_review_short": "Internal review",
    "admin_internal_review_hint": (
        "New tickets of the organization's people wait for its reviewers, who hand them "
        "over to the service desk; until then the service desk does not see them."
    ),
    "admin_email_domains": "E-mail domains",
    "admin_email_domains_hint": (
        "One per line or separated by commas, such as example.com. An access request from "
        "an address there reaches the organization's admins."
    ),
    "admin_err_domain": "“{domain}” is not an e-mail domain; write names such as example.com.",
    "admin_permission_review": "May review tickets (first level)",
    "admin_permission_review_hint": (
        "Customers only. While the organization has internal review: sees all of its "
        "tickets, asks the requester and hands tickets over to the service desk."
    ),
    "admin_reviews_tickets": "Reviews tickets",
    "own_org_title": "Our organization",
    "own_org_about": "Switch the internal review of your people's tickets on or off.",
    "own_org_state_on": (
        "Internal review is on: your people's new tickets wait for your reviewers before "
        "the service desk sees them."
    ),
    "own_org_state_off": "Internal review is off: new tickets go to the service desk at once.",
    "own_org_review_hint": (
        "Your reviewers check new tickets first, ask the requester if needed and hand them "
        "over to the service desk; the service level clock starts at the hand-over."
    ),
    "own_org_reviewers_link": "Choose who reviews tickets (users)",
    "own_org_done_review_on": "Internal review is switched on.",
    "own_org_done_review_off": "Internal review is switched off.",
}

DE: dict[str, str] = {
    "admin_internal_review": "Interne Prüfung (First Level des Kunden)",
    "admin_internal_review_short": "Interne Prüfung",
    "admin_internal_review_hint": (
        "Neue Tickets der Leute der Organisation warten auf ihre Prüfer, die sie an den "
        "Service übergeben; bis dahin sieht der Service Desk sie nicht."
    ),
    "admin_email_domains": "E-Mail-Domains",
    "admin_email_domains_hint": (
        "Eine pro Zeile oder durch Kommas getrennt, etwa example.com. Eine Zugangsanfrage "
        "von einer Adresse dort erreicht die Administratoren der Organisation."
    ),
    "admin_err_domain": (
        "„{domain}“ ist keine E-Mail-Domain; schreiben Sie Namen wie example.com."
    ),
    "admin_permission_review": "Darf Tickets prüfen (First Level)",
    "admin_permission_review_hint": (
        "Nur für Kunden. Solange die Organisation intern prüft: sieht alle ihre Tickets, "
        "stellt Rückfragen an den User und übergibt Tickets an den Service."
    ),
    "admin_reviews_tickets": "Prüft Tickets",
    "own_org_title": "Unsere Organisation",
    "own_org_about": "Die interne Prüfung der Tickets Ihrer Leute ein- oder ausschalten.",
    "own_org_state_on": (
        "Die interne Prüfung ist an: Neue Tickets Ihrer Leute warten auf Ihre Prüfer, "
        "bevor der Service Desk sie sieht."
    ),
    "own_org_state_off": (
        "Die interne Prüfung ist aus: Neue Tickets gehen sofort an den Service Desk."
    ),
    "own_org_review_hint": (
        "Ihre Prüfer sehen neue Tickets zuerst durch, stellen bei Bedarf Rückfragen an den "
        "User und übergeben sie an den Service; die Service-Level-Uhr beginnt mit der "
        "Übergabe."
    ),
    "own_org_reviewers_link": "Festlegen, wer Tickets prüft (Benutzer)",
    "own_org_done_review_on": "Die interne Prüfung ist eingeschaltet.",
    "own_org_done_review_off": "Die interne Prüfung ist ausgeschaltet.",
}
