"""What each notification says, in German and English.

One entry per message: `title` is the in-app line and the mail subject (after the
ticket number), `intro` the mail's first paragraph. Placeholders: {number}, {title},
{actor}, {status}, {file}, {organization} (the ticket's organization by name, or a word
for "the customer" while notify has not heard of it), {rating} (a survey's, 1 to 5).
RECEIPT holds the sentences a confirmation of a mail adds, ANSWER the automatic answer to
a sender the portal does not know.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "ticket_created": {
            "title": "New ticket: {title}",
            "intro": "{actor} opened ticket {number} “{title}”.",
        },
        "ticket_reply": {
            "title": "New reply: {title}",
            "intro": "{actor} answered ticket {number} “{title}”:",
        },
        "ticket_note": {
            "title": "Internal note: {title}",
            "intro": "{actor} added an internal note to ticket {number} “{title}”.",
        },
        "ticket_status": {
            "title": "Status {status}: {title}",
            "intro": "{actor} set ticket {number} “{title}” to “{status}”.",
        },
        "ticket_escalated": {
            "title": "Escalated: {title}",
            "intro": "{actor} escalated ticket {number} “{title}”:",
        },
        "ticket_assigned": {
            "title": "Assigned to you: {title}",
            "intro": "{actor} assigned ticket {number} “{title}” to you.",
        },
        "sla_breach": {
            "title": "Reaction time exceeded: {title}",
            "intro": "Ticket {number} “{title}” has had no answer within its agreed reaction time.",
        },
        "sla_resolution_breach": {
            "title": "Resolution time exceeded: {title}",
            "intro": "Ticket {number} “{title}” was not resolved within its agreed resolution "
            "time.",
        },
        "case_file": {
            "title": "New file {file}: {title}",
            "intro": "{actor} added “{file}” to the case files of ticket {number} “{title}”.",
        },
        "ticket_received": {
            "title": "We received your request: {title}",
            "intro": "Thank you for your mail. We received your request and opened ticket "
            "{number} “{title}” for it; the service desk will answer you here.",
        },
        "ticket_received_review": {
            "title": "We received your request: {title}",
            "intro": "Thank you for your mail. We received your request and opened ticket "
            "{number} “{title}” for it; your organization's IT reviews it first and will "
            "answer you here.",
        },
        "ticket_review": {
            "title": "For your review: {title}",
            "intro": "{actor} opened ticket {number} “{title}”. It waits for your review "
            "before it goes to the service desk.",
        },
        "ticket_handed_over": {
            "title": "Handed over by {organization}: {title}",
            "intro": "{actor} handed ticket {number} “{title}” over to the service desk; "
            "the first-level review at {organization} is done.",
        },
        "ticket_with_vendor": {
            "title": "Handed over to the service desk: {title}",
            "intro": "{actor} handed your ticket {number} “{title}” over to the service desk "
            "after the internal review.",
        },
        "review_requester": {
            "title": "Please check: {title}",
            "intro": "{actor} of your IT asks you to check ticket {number} “{title}” before it "
            "goes on. Please answer in the ticket.",
        },
        "review_answered": {
            "title": "The requester answered: {title}",
            "intro": "{actor} answered on ticket {number} “{title}”; it is back in your review.",
        },
        "message_received": {
            "title": "Your mail was added: {title}",
            "intro": "Your mail was added to ticket {number} “{title}”.",
        },
        "files_refused": {
            "title": "Attachments not kept: {title}",
            "intro": "Your mail was added to ticket {number} “{title}”, but not all of its "
            "attachments were kept.",
        },
        "survey_low_rating": {
            "title": "Low rating ({rating}/5): {title}",
            "intro": "{actor} rated the service on ticket {number} “{title}” with {rating} of 5:",
        },
        "survey": {
            "title": "How satisfied are you? {title}",
            "intro": "Your ticket {number} “{title}” was closed. Please tell us how satisfied "
            "you are with our service: one click on 1 to 5 stars, a comment if you like, no "
            "sign-in needed. You can change your answer for 7 days.",
        },
        "password_reset": {
            "title": "Reset your password",
            "intro": "Someone (hopefully you) asked to reset the password of the account "
            "{username}. The link below works once, until {expires}. If you did not ask for it, "
            "ignore this mail.",
        },
        "invitation": {
            "title": "Your access to the customer service portal",
            "intro": "An account {username} was created for you. Choose your password with the "
            "link below; it works once, until {expires}.",
        },
    },
    "de": {
        "ticket_created": {
            "title": "Neues Ticket: {title}",
            "intro": "{actor} hat das Ticket {number} „{title}“ eröffnet.",
        },
        "ticket_reply": {
            "title": "Neue Antwort: {title}",
            "intro": "{actor} hat auf das Ticket {number} „{title}“ geantwortet:",
        },
        "ticket_note": {
            "title": "Interne Notiz: {title}",
            "intro": "{actor} hat dem Ticket {number} „{title}“ eine interne Notiz hinzugefügt.",
        },
        "ticket_status": {
            "title": "Status {status}: {title}",
            "intro": "{actor} hat das Ticket {number} „{title}“ auf „{status}“ gesetzt.",
        },
        "ticket_escalated": {
            "title": "Eskaliert: {title}",
            "intro": "{actor} hat das Ticket {number} „{title}“ eskaliert:",
        },
        "ticket_assigned": {
            "title": "Ihnen zugewiesen: {title}",
            "intro": "{actor} hat Ihnen das Ticket {number} „{title}“ zugewiesen.",
        },
        "sla_breach": {
            "title": "Reaktionszeit überschritten: {title}",
            "intro": "Das Ticket {number} „{title}“ wurde nicht innerhalb der vereinbarten "
            "Reaktionszeit beantwortet.",
        },
        "sla_resolution_breach": {
            "title": "Lösungszeit überschritten: {title}",
            "intro": "Das Ticket {number} „{title}“ wurde nicht innerhalb der vereinbarten "
            "Lösungszeit gelöst.",
        },
        "case_file": {
            "title": "Neue Datei {file}: {title}",
            "intro": "{actor} hat „{file}“ zur Fallakte des Tickets {number} „{title}“ "
            "hinzugefügt.",
        },
        "ticket_received": {
            "title": "Wir haben Ihre Anfrage erhalten: {title}",
            "intro": "Vielen Dank für Ihre E-Mail. Wir haben Ihre Anfrage erhalten und dafür "
            "das Ticket {number} „{title}“ eröffnet; der Service Desk antwortet Ihnen hier.",
        },
        "ticket_received_review": {
            "title": "Wir haben Ihre Anfrage erhalten: {title}",
            "intro": "Vielen Dank für Ihre E-Mail. Wir haben Ihre Anfrage erhalten und dafür "
            "das Ticket {number} „{title}“ eröffnet; die IT Ihres Unternehmens prüft es zuerst "
            "und antwortet Ihnen hier.",
        },
        "ticket_review": {
            "title": "Zur Prüfung: {title}",
            "intro": "{actor} hat das Ticket {number} „{title}“ eröffnet. Es wartet auf Ihre "
            "Prüfung, bevor es an den Service Desk geht.",
        },
        "ticket_handed_over": {
            "title": "Übergeben von {organization}: {title}",
            "intro": "{actor} hat das Ticket {number} „{title}“ an den Service Desk übergeben; "
            "die Prüfung im First Level bei {organization} ist abgeschlossen.",
        },
        "ticket_with_vendor": {
            "title": "An den Service Desk übergeben: {title}",
            "intro": "{actor} hat Ihr Ticket {number} „{title}“ nach der internen Prüfung an "
            "den Service Desk übergeben.",
        },
        "review_requester": {
            "title": "Bitte prüfen: {title}",
            "intro": "{actor} aus Ihrer IT bittet Sie, das Ticket {number} „{title}“ zu prüfen, "
            "bevor es weitergeht. Bitte antworten Sie im Ticket.",
        },
        "review_answered": {
            "title": "Antwort des Anfragenden: {title}",
            "intro": "{actor} hat zum Ticket {number} „{title}“ geantwortet; es liegt wieder zur "
            "Prüfung bei Ihnen.",
        },
        "message_received": {
            "title": "Ihre E-Mail wurde übernommen: {title}",
            "intro": "Ihre E-Mail wurde dem Ticket {number} „{title}“ hinzugefügt.",
        },
        "files_refused": {
            "title": "Anhänge nicht übernommen: {title}",
            "intro": "Ihre E-Mail wurde dem Ticket {number} „{title}“ hinzugefügt, aber nicht "
            "alle ihre Anhänge wurden übernommen.",
        },
        "survey_low_rating": {
            "title": "Schlechte Bewertung ({rating}/5): {title}",
            "intro": "{actor} hat den Service zum Ticket {number} „{title}“ mit {rating} von 5 "
            "bewertet:",
        },
        "survey": {
            "title": "Wie zufrieden sind Sie? {title}",
            "intro": "Ihr Ticket {number} „{title}“ wurde geschlossen. Bitte sagen Sie uns, "
            "wie zufrieden Sie mit unserem Service sind: ein Klick auf 1 bis 5 Sterne, gern "
            "mit einem Kommentar, ohne Anmeldung. Ihre Antwort können Sie 7 Tage lang ändern.",
        },
        "password_reset": {
            "title": "Passwort zurücksetzen",
            "intro": "Jemand (hoffentlich Sie) möchte das Passwort des Kontos {username} "
            "zurücksetzen. Der Link unten gilt einmal, bis {expires}. Falls Sie das nicht "
            "angefordert haben, ignorieren Sie diese E-Mail.",
        },
        "invitation": {
            "title": "Ihr Zugang zum Kundenportal",
            "intro": "Für Sie wurde das Konto {username} angelegt. Wählen Sie Ihr Passwort über "
            "den Link unten; er gilt einmal, bis {expires}.",
        },
    },
}

# The statuses customers see (the portal statuses), and the internal ones for staff.
STATUS_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "in_progress": "in progress",
        "answer_expected": "answer expected",
        "closed": "closed",
        "postponed": "postponed",
        "new": "new",
        "open": "open",
        "waiting_internal": "waiting (internal)",
        "waiting_customer": "waiting for customer",
        "resolved": "resolved",
        "cancelled": "cancelled",
    },
    "de": {
        "in_progress": "in Bearbeitung",
        "answer_expected": "Antwort erwartet",
        "closed": "geschlossen",
        "postponed": "zurückgestellt",
        "new": "neu",
        "open": "offen",
        "waiting_internal": "wartet (intern)",
        "waiting_customer": "wartet auf Kunde",
        "resolved": "gelöst",
        "cancelled": "storniert",
    },
}

# Words of the mail layout around the message.
LAYOUT: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Hello {name},",
        "open_ticket": "Open the ticket",
        "open_link": "Open the link",
        "signature": "Your customer service",
        "footer": "You receive this mail because of your notification settings in the portal.",
        "footer_receipt": "You receive this mail because you wrote to our customer service.",
        "system": "The service desk",
        "customer": "the customer",  # an organization notify has not heard of yet
        "rate": "Rate our service",
        "footer_survey": "You receive this mail once per closed ticket. You can switch these "
        "surveys off in your profile in the portal.",
    },
    "de": {
        "greeting": "Hallo {name},",
        "open_ticket": "Ticket öffnen",
        "open_link": "Link öffnen",
        "signature": "Ihr Kundenservice",
        "footer": "Sie erhalten diese E-Mail aufgrund Ihrer Benachrichtigungseinstellungen "
        "im Portal.",
        "footer_receipt": "Sie erhalten diese E-Mail, weil Sie an unseren Kundenservice "
        "geschrieben haben.",
        "system": "Der Service Desk",
        "customer": "dem Kunden",  # „Übergeben von dem Kunden“, „bei dem Kunden“
        "rate": "Service bewerten",
        "footer_survey": "Sie erhalten diese E-Mail einmal je geschlossenem Ticket. In Ihrem "
        "Profil im Portal können Sie diese Umfragen abschalten.",
    },
}


# Sentences a confirmation of a received mail adds. Placeholders: {number}, {files},
# {address}; a refused file reads "name (reason)".
RECEIPT: dict[str, dict[str, str]] = {
    "en": {
        "follow_up": "It is a follow-up of ticket {number}.",
        "refused": "These attachments were not kept: {files}.",
        "refused_file": "{name} ({reason})",
        "answer": "To add to your request, simply answer this mail: your answer goes to "
        "{address} and is added to ticket {number}.",
        "portal": "To add to your request, open the ticket in the portal.",
    },
    "de": {
        "follow_up": "Es ist ein Folgeticket zu {number}.",
        "refused": "Diese Anhänge wurden nicht übernommen: {files}.",
        "refused_file": "{name} ({reason})",
        "answer": "Um Ihre Anfrage zu ergänzen, antworten Sie einfach auf diese E-Mail: "
        "Ihre Antwort geht an {address} und wird dem Ticket {number} hinzugefügt.",
        "portal": "Um Ihre Anfrage zu ergänzen, öffnen Sie das Ticket im Portal.",
    },
}

# The automatic answer to a mail from someone who is no user of the portal. It repeats
# nothing of that mail: the sender address may be forged, and the answer must carry no
# words of a stranger's choosing to whoever owns it.
ANSWER_SUBJECT = "Ihre Anfrage an unseren Kundenservice / Your request to our customer service"
ANSWER: dict[str, dict[str, str]] = {
    "de": {
        "greeting": "Guten Tag,",
        "refused": "vielen Dank für Ihre E-Mail. Unser Kundenportal nimmt Anfragen nur von "
        "registrierten Benutzern an; Ihre Nachricht wurde deshalb nicht bearbeitet.",
        "account": "Wenn Sie ein Konto haben, schreiben Sie bitte von der E-Mail-Adresse "
        "Ihres Kontos oder stellen Sie Ihre Anfrage im Portal. Ein Konto kann der Administrator "
        "Ihres Unternehmens im Portal für Sie beantragen.",
        "portal": "Zum Kundenportal",
        "access": "Anmelden",
        "signature": "Ihr Kundenservice",
        "footer": "Dies ist eine automatische Antwort; Sie erhalten sie höchstens einmal am Tag.",
    },
    "en": {
        "greeting": "Hello,",
        "refused": "thank you for your mail. Our customer service portal accepts requests "
        "only from registered users, so your message was not processed.",
        "account": "If you have an account, please write from its e-mail address or make "
        "your request in the portal. Your organization's administrator can request an "
        "account for you in the portal.",
        "portal": "Go to the customer service portal",
        "access": "Sign in",
        "signature": "Your customer service",
        "footer": "This is an automatic answer; you receive it at most once a day.",
    },
}


def language_of(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def status_name(status: str, language: str) -> str:
    return STATUS_NAMES[language_of(language)].get(status, status)


def message(key: str, language: str, **values: Any) -> dict[str, str]:
    """The title and intro of message `key` in `language`, filled in."""
    texts = MESSAGES[language_of(language)][key]
    return {part: text.format(**values) for part, text in texts.items()}


def layout(language: str) -> dict[str, str]:
    return LAYOUT[language_of(language)]


def receipt(language: str) -> dict[str, str]:
    return RECEIPT[language_of(language)]


def answer(language: str) -> dict[str, str]:
    return ANSWER[language_of(language)]
