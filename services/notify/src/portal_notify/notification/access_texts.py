"""What the mails and notices about access requests say, in German and English.

MESSAGES as in texts.py: `title` is the subject (and the in-app line), `intro` the first
paragraph. Placeholders: {expires}, {usernames}, {name}, {company}, {email}. NOTES are
the paragraphs some of them add; LAYOUT the button's and the footer's words."""

from __future__ import annotations

from typing import Any

from portal_notify.notification.texts import language_of

MESSAGES: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "access_confirm": {
            "title": "Please confirm your access request",
            "intro": "Thank you for asking for access to our customer service portal. Please "
            "confirm your e-mail address with the link below; it works once, until {expires}. "
            "Only then does your request reach us. If you did not ask for access, ignore this "
            "mail: nothing happens.",
        },
        "access_account_exists": {
            "title": "You already have an account",
            "intro": "Someone (hopefully you) asked for access to our customer service portal "
            "with this e-mail address. There is an account for it already: {usernames}. If you "
            "forgot your password, choose a new one with the link below. If you did not ask, "
            "ignore this mail.",
        },
        "access_rejected": {
            "title": "Your request for access to the customer service portal",
            "intro": "Thank you for your interest in our customer service portal. We are sorry: "
            "we could not approve your request for access.",
        },
        "access_request": {
            "title": "Access request: {name} ({company})",
            "intro": "{name} of {company} asked for access to the customer service portal and "
            "confirmed the e-mail address {email}. Please approve or reject the request.",
        },
    },
    "de": {
        "access_confirm": {
            "title": "Bitte bestätigen Sie Ihre Zugangsanfrage",
            "intro": "Vielen Dank für Ihre Anfrage nach einem Zugang zu unserem Kundenportal. "
            "Bitte bestätigen Sie Ihre E-Mail-Adresse über den Link unten; er gilt einmal, bis "
            "{expires}. Erst dann erreicht uns Ihre Anfrage. Falls Sie keinen Zugang angefragt "
            "haben, ignorieren Sie diese E-Mail: Es geschieht nichts.",
        },
        "access_account_exists": {
            "title": "Sie haben bereits ein Konto",
            "intro": "Jemand (hoffentlich Sie) hat mit dieser E-Mail-Adresse einen Zugang zu "
            "unserem Kundenportal angefragt. Für diese Adresse gibt es bereits ein Konto: "
            "{usernames}. Falls Sie Ihr Passwort vergessen haben, wählen Sie über den Link unten "
            "ein neues. Falls Sie nichts angefragt haben, ignorieren Sie diese E-Mail.",
        },
        "access_rejected": {
            "title": "Ihre Anfrage nach einem Zugang zum Kundenportal",
            "intro": "Vielen Dank für Ihr Interesse an unserem Kundenportal. Leider können wir "
            "Ihre Anfrage nach einem Zugang nicht genehmigen.",
        },
        "access_request": {
            "title": "Zugangsanfrage: {name} ({company})",
            "intro": "{name} von {company} hat einen Zugang zum Kundenportal angefragt und die "
            "E-Mail-Adresse {email} bestätigt. Bitte genehmigen oder lehnen Sie die Anfrage ab.",
        },
    },
}

# Placeholders: {reason}, {phone}, {function}.
NOTES: dict[str, dict[str, str]] = {
    "en": {
        "reason": "The reason: {reason}",
        "questions": "If you have questions, please contact your contact person with us.",
        "phone": "Phone: {phone}",
        "function": "Function: {function}",
        "unmatched": "No organization matched the address's domain: choose one when approving.",
    },
    "de": {
        "reason": "Die Begründung: {reason}",
        "questions": "Bei Fragen wenden Sie sich bitte an Ihre Ansprechperson bei uns.",
        "phone": "Telefon: {phone}",
        "function": "Funktion: {function}",
        "unmatched": "Die Domain der Adresse passt zu keiner Organisation: Wählen Sie beim "
        "Genehmigen eine aus.",
    },
}

LAYOUT: dict[str, dict[str, str]] = {
    "en": {
        "confirm": "Confirm the request",
        "forgot": "Choose a new password",
        "open_requests": "Open the access requests",
        "footer": "You receive this mail because access to our customer service portal was "
        "asked for with this e-mail address.",
        "footer_deciders": "You receive this mail because you decide on access requests to "
        "the customer service portal.",
    },
    "de": {
        "confirm": "Anfrage bestätigen",
        "forgot": "Neues Passwort wählen",
        "open_requests": "Zugangsanfragen öffnen",
        "footer": "Sie erhalten diese E-Mail, weil mit dieser E-Mail-Adresse ein Zugang zu "
        "unserem Kundenportal angefragt wurde.",
        "footer_deciders": "Sie erhalten diese E-Mail, weil Sie über Zugangsanfragen zum "
        "Kundenportal entscheiden.",
    },
}


def message(key: str, language: str, **values: Any) -> dict[str, str]:
    words = MESSAGES[language_of(language)][key]
    return {part: text.format(**values) for part, text in words.items()}


def notes(language: str) -> dict[str, str]:
    return NOTES[language_of(language)]


def layout(language: str) -> dict[str, str]:
    return LAYOUT[language_of(language)]
