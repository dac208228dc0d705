"""Choosing the language of a page, and translating the services' messages for it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from portal_gateway.web.texts import TEXTS

__all__ = ["LANGUAGES", "TEXTS", "field_message", "language", "plural", "translate"]

LANGUAGES = ("en", "de")

# Messages of the services, translated for the pages (the API keeps English).
MESSAGES_DE: dict[str, str] = {
    "Username or password is wrong.": "Benutzername oder Passwort ist falsch.",
    "Password is a required field.": "Das Passwort ist ein Pflichtfeld.",
    "Too many failed sign-ins. Wait a few minutes, or reset your password.": (
        "Zu viele fehlgeschlagene Anmeldungen. Warten Sie einige Minuten oder setzen Sie Ihr "
        "Passwort zurück."
    ),
    "This link is invalid, was used already or has expired. Request a new one.": (
        "Dieser Link ist ungültig, wurde schon benutzt oder ist abgelaufen. Fordern Sie einen "
        "neuen an."
    ),
    "The password must not contain the user name.": (
        "Das Passwort darf den Benutzernamen nicht enthalten."
    ),
    "This password is too common. Choose one that is harder to guess.": (
        "Dieses Passwort ist zu verbreitet. Wählen Sie eines, das schwerer zu erraten ist."
    ),
    "Enter your current password to change your e-mail address or password.": (
        "Geben Sie Ihr aktuelles Passwort ein, um E-Mail-Adresse oder Passwort zu ändern."
    ),
    "This is not a valid e-mail address.": "Das ist keine gültige E-Mail-Adresse.",
    "The password is wrong.": "Das Passwort ist falsch.",
    "This link needs its password.": "Dieser Link braucht sein Passwort.",
    "Too many wrong passwords. Wait a few minutes.": (
        "Zu viele falsche Passwörter. Warten Sie einige Minuten."
    ),
    "This link does not take uploads.": "Über diesen Link kann man nichts hochladen.",
    "The request has no file.": "Es wurde keine Datei gesendet.",
    "A file is required.": "Eine Datei ist nötig.",
    "No such share.": "Diese Freigabe gibt es nicht.",
}

# Messages with a number or a list in them: (English pattern, German template).
PATTERNS_DE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^The password must have at least (\d+) characters\.$"),
        r"Das Passwort muss mindestens \1 Zeichen haben.",
    ),
    (
        re.compile(r"^The password must have at most (\d+) characters\.$"),
        r"Das Passwort darf höchstens \1 Zeichen haben.",
    ),
    (
        re.compile(r"^Files can be at most (\d+) MB\.$"),
        r"Dateien dürfen höchstens \1 MB groß sein.",
    ),
    (
        re.compile(r"^This kind of file is not accepted\. Allowed: (.*)$"),
        r"Diese Art von Datei wird nicht angenommen. Erlaubt: \1",
    ),
)


# Field checks by their code (pydantic's error types): the reader's sentence, in English
# and German, for the framework's wording ("String should have at least 6 characters").
CODES: dict[str, tuple[str, str]] = {
    "missing": ("This field is required.", "Pflichtfeld."),
    "string_type": ("Please enter text.", "Bitte einen Text eingeben."),
    "string_pattern_mismatch": (
        "This value does not have the expected form.",
        "Dieser Wert hat nicht die erwartete Form.",
    ),
    "int_parsing": ("Please enter a whole number.", "Bitte eine ganze Zahl eingeben."),
    "int_type": ("Please enter a whole number.", "Bitte eine ganze Zahl eingeben."),
    "int_from_float": ("Please enter a whole number.", "Bitte eine ganze Zahl eingeben."),
    "float_parsing": ("Please enter a number.", "Bitte eine Zahl eingeben."),
    "float_type": ("Please enter a number.", "Bitte eine Zahl eingeben."),
    "decimal_parsing": ("Please enter a number.", "Bitte eine Zahl eingeben."),
    "bool_parsing": ("Please choose yes or no.", "Bitte ja oder nein wählen."),
    "bool_type": ("Please choose yes or no.", "Bitte ja oder nein wählen."),
    "uuid_parsing": ("This is not a valid identifier.", "Dieser Wert ist keine gültige Kennung."),
    "uuid_type": ("This is not a valid identifier.", "Dieser Wert ist keine gültige Kennung."),
    "date_parsing": ("Please enter a date (YYYY-MM-DD).", "Bitte ein Datum eingeben (JJJJ-MM-TT)."),
    "date_from_datetime_parsing": (
        "Please enter a date (YYYY-MM-DD).",
        "Bitte ein Datum eingeben (JJJJ-MM-TT).",
    ),
    "date_type": ("Please enter a date (YYYY-MM-DD).", "Bitte ein Datum eingeben (JJJJ-MM-TT)."),
    "datetime_parsing": ("Please enter a date and time.", "Bitte Datum und Uhrzeit eingeben."),
    "datetime_from_date_parsing": (
        "Please enter a date and time.",
        "Bitte Datum und Uhrzeit eingeben.",
    ),
    "datetime_type": ("Please enter a date and time.", "Bitte Datum und Uhrzeit eingeben."),
    "literal_error": (
        "Choose one of the offered values.",
        "Bitte einen der angebotenen Werte wählen.",
    ),
    "enum": ("Choose one of the offered values.", "Bitte einen der angebotenen Werte wählen."),
    "extra_forbidden": (
        "This field is not expected here.",
        "Dieses Feld ist hier nicht vorgesehen.",
    ),
    "value_error": ("This value is not valid.", "Dieser Wert ist ungültig."),
    "assertion_error": ("This value is not valid.", "Dieser Wert ist ungültig."),
    "json_invalid": ("The request is not valid JSON.", "Die Anfrage ist kein gültiges JSON."),
    "json_type": ("The request is not valid JSON.", "Die Anfrage ist kein gültiges JSON."),
    "model_attributes_type": (
        "The request has not the expected form.",
        "Die Anfrage hat nicht die erwartete Form.",
    ),
    "model_type": (
        "The request has not the expected form.",
        "Die Anfrage hat nicht die erwartete Form.",
    ),
    "dict_type": ("This value is not valid.", "Dieser Wert ist ungültig."),
    "list_type": ("Please give a list of values.", "Bitte eine Liste von Werten angeben."),
    "url_parsing": ("Please enter a valid address.", "Bitte eine gültige Adresse eingeben."),
    "url_scheme": ("Please enter a valid address.", "Bitte eine gültige Adresse eingeben."),
    "url_syntax_violation": (
        "Please enter a valid address.",
        "Bitte eine gültige Adresse eingeben.",
    ),
    "url_too_long": ("This address is too long.", "Diese Adresse ist zu lang."),
    "url_type": ("Please enter a valid address.", "Bitte eine gültige Adresse eingeben."),
    "control_characters": (
        "Please enter one line of text without control characters.",
        "Bitte eine Zeile Text ohne Steuerzeichen eingeben.",
    ),
}

# Checks with a limit: the limit is the first number in the framework's message.
LIMITED: dict[str, tuple[str, str]] = {
    "string_too_short": ("At least {n} characters.", "Mindestens {n} Zeichen."),
    "string_too_long": ("At most {n} characters.", "Höchstens {n} Zeichen."),
    "too_short": ("At least {n} entries.", "Mindestens {n} Einträge."),
    "too_long": ("At most {n} entries.", "Höchstens {n} Einträge."),
    "greater_than_equal": ("At least {n}.", "Mindestens {n}."),
    "greater_than": ("Must be greater than {n}.", "Muss größer als {n} sein."),
    "less_than_equal": ("At most {n}.", "Höchstens {n}."),
    "less_than": ("Must be less than {n}.", "Muss kleiner als {n} sein."),
}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# The framework's own wording starts so; the services' sentences never do.
FRAMEWORK_WORDING = re.compile(
    r"^(Input should|String should|List should|Field required|Invalid JSON|"
    r"Extra inputs|Assertion failed|Dictionary should|URL input should|Object has no)"
)


def field_message(error: dict[str, Any], lang: str) -> str:
    """A field error of a problem answer ({field, message, code}) as a sentence in the
    reader's language: a service's own message (translated where known), else the
    wording of its code with its limit, never the framework's wording."""
    message = str(error.get("message", ""))
    code = str(error.get("code", ""))
    index = 1 if lang == "de" else 0
    # Pydantic prefixes the messages of the services' own checks with their kind.
    own = message.removeprefix("Value error, ")
    translated = translate(own, lang)
    if translated != own:
        return translated
    if code in LIMITED and (number := NUMBER.search(message)):
        if code == "string_too_short" and number.group() == "1":
            return CODES["missing"][index]
        return LIMITED[code][index].format(n=number.group())
    if not FRAMEWORK_WORDING.match(own):
        if lang == "de" and code in CODES:
            return CODES[code][index]
        return _sentence(own) if lang != "de" else own
    return CODES.get(code, CODES["value_error"])[index]


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def plural(words: Mapping[str, str], key: str, n: int) -> str:
    """A count in words: `<key>_one` for exactly one, `<key>_other` else (the rule of
    both German and English), with the number in `{n}`."""
    return words[f"{key}_one" if n == 1 else f"{key}_other"].format(n=n)


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get("portal_lang")
    if chosen in LANGUAGES:
        return chosen
    accept = request.headers.get("accept-language", "")
    return "de" if accept.lower().startswith("de") else "en"


def language_link(request: Request, lang: str) -> str:
    """The same page in another language: the query (filters, a prefilled form) stays,
    only `lang` changes."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return "?" + urlencode([*query, ("lang", lang)])


def translate(message: str, lang: str) -> str:
    if lang == "de":
        if message in MESSAGES_DE:
            return MESSAGES_DE[message]
        for pattern, german in PATTERNS_DE:
            if pattern.match(message):
                return pattern.sub(german, message)
        if "isn't valid" in message:
            return message.replace("The user name", "Der Benutzername").replace(
                "isn't valid. A user name can only contain letters or numbers.",
                "ist ungültig. Ein Benutzername darf nur Buchstaben und Ziffern enthalten.",
            )
    return message


# The tickets service's messages about contracts and business calendars.
MESSAGES_DE.update(
    {
        "The contract cannot end before it begins.": (
            "Der Vertrag kann nicht enden, bevor er beginnt."
        ),
        "The resolution target cannot be shorter than the reaction target.": (
            "Die Lösungszeit darf nicht kürzer sein als die Reaktionszeit."
        ),
        "A target is a positive number of business hours.": (
            "Eine Zielzeit ist eine positive Zahl von Geschäftsstunden."
        ),
        "Priorities are P1, P2, P3 and P4.": "Prioritäten sind P1, P2, P3 und P4.",
        "Name at least one working day.": "Bitte mindestens einen Arbeitstag angeben.",
        "Weekdays are 0 (Monday) to 6 (Sunday).": ("Wochentage sind 0 (Montag) bis 6 (Sonntag)."),
        "Opening hours are local times, without a time zone.": (
            "Geschäftszeiten sind Ortszeiten, ohne Zeitzone."
        ),
        "Make another calendar the default instead.": (
            "Machen Sie stattdessen einen anderen Kalender zum Standard."
        ),
        "This is the default business calendar; make another one the default first.": (
            "Das ist der Standard-Geschäftskalender; machen Sie zuerst einen anderen zum Standard."
        ),
        "Contracts count their targets in this business calendar; "
        "give them another calendar first.": (
            "Verträge zählen ihre Zielzeiten in diesem Geschäftskalender; geben Sie ihnen "
            "zuerst einen anderen Kalender."
        ),
        "No such business calendar.": "Diesen Geschäftskalender gibt es nicht.",
        "No such organization.": "Diese Organisation gibt es nicht.",
        "No such contract.": "Diesen Vertrag gibt es nicht.",
        "It was changed at the same time by someone else. Load it again and retry.": (
            "Es wurde gleichzeitig von jemand anderem geändert. Laden Sie es neu und "
            "versuchen Sie es noch einmal."
        ),
    }
)
PATTERNS_DE += (
    (
        re.compile(r"^A business calendar named (.+) exists already\.$"),
        r"Einen Geschäftskalender namens \1 gibt es schon.",
    ),
    (
        re.compile(r"^Unknown time zone (.+)\.$"),
        r"Unbekannte Zeitzone \1.",
    ),
    (
        re.compile(r"^Closing time (\S+) is not after opening time\.$"),
        r"Die Schließzeit \1 liegt nicht nach der Öffnungszeit.",
    ),
    (
        re.compile(r"^Give the targets for (P\d)\.$"),
        r"Bitte die Zielzeiten für \1 angeben.",
    ),
    (
        re.compile(
            r"^The organization's contract (.+) from (\S+) runs at the same time; "
            r"end one before the other begins\.$"
        ),
        r"Der Vertrag \1 der Organisation ab \2 läuft zur selben Zeit; beenden Sie den "
        r"einen, bevor der andere beginnt.",
    ),
)
CODES["time_parsing"] = ("Please enter a time (HH:MM).", "Bitte eine Uhrzeit eingeben (HH:MM).")
CODES["time_type"] = ("Please enter a time (HH:MM).", "Bitte eine Uhrzeit eingeben (HH:MM).")

# The tickets service's messages about assets (the installed base).
MESSAGES_DE.update(
    {
        "The organization has an asset with this serial number already.": (
            "Die Organisation hat schon eine Anlage mit dieser Seriennummer."
        ),
        "No such contract of the asset's organization.": (
            "Die Organisation der Anlage hat keinen solchen Vertrag."
        ),
        "No such asset.": "Diese Anlage gibt es nicht.",
        "This cannot be empty.": "Das darf nicht leer sein.",
    }
)

# The tickets service's refusal of a message to a merged duplicate.
PATTERNS_DE += (
    (
        re.compile(r"^The ticket was merged into (\S+); write there\.$"),
        r"Das Ticket wurde in \1 zusammengeführt; schreiben Sie bitte dort.",
    ),
)

# The customer's own first level: the tickets service's and identity's refusals.
MESSAGES_DE.update(
    {
        "Only your organization's reviewers do this.": (
            "Das dürfen nur die Prüfer Ihrer Organisation."
        ),
        "The ticket is with the service desk already.": "Das Ticket ist bereits beim Service.",
        "A closed ticket is not handed over.": "Ein geschlossenes Ticket wird nicht übergeben.",
        "The ticket is with the service desk; its review is over.": (
            "Das Ticket ist beim Service; seine Prüfung ist beendet."
        ),
        "The ticket is still in your organization's review; hand it over first.": (
            "Das Ticket ist noch in der Prüfung Ihrer Organisation; übergeben Sie es zuerst."
        ),
        "Only customers review their organization's tickets; the vendor's staff see them "
        "once handed over.": (
            "Nur Kunden prüfen die Tickets ihrer Organisation; die Mitarbeiter des Anbieters "
            "sehen sie nach der Übergabe."
        ),
        "Only the vendor changes this.": "Das ändert nur der Anbieter.",
    }
)
PATTERNS_DE += (
    (
        re.compile(r"^(\S+) belongs to another organization already\.$"),
        r"\1 gehört bereits zu einer anderen Organisation.",
    ),
)

# Identity's refusals when access requests are decided.
MESSAGES_DE.update(
    {
        "Choose the organization the person belongs to.": (
            "Wählen Sie die Organisation, zu der die Person gehört."
        ),
        "You can only add users to your own organization.": (
            "Sie können Benutzer nur Ihrer eigenen Organisation hinzufügen."
        ),
        "There is no such organization.": "Diese Organisation gibt es nicht.",
        "You can only give customer roles.": "Sie können nur Kundenrollen vergeben.",
        "An access request is answered with customer roles only.": (
            "Eine Zugangsanfrage wird nur mit Kundenrollen beantwortet."
        ),
        "This user name is not available. Choose another one.": (
            "Dieser Benutzername ist nicht verfügbar. Wählen Sie einen anderen."
        ),
        "No such access request.": "Diese Zugangsanfrage gibt es nicht.",
        "The request was approved already.": "Die Anfrage wurde bereits genehmigt.",
        "The request was rejected already.": "Die Anfrage wurde bereits abgelehnt.",
        "Enter a telephone number: digits, spaces and + ( ) / . - only.": (
            "Geben Sie eine Telefonnummer ein: nur Ziffern, Leerzeichen und + ( ) / . -"
        ),
        "This link is invalid, was used already or has expired. Please request access again.": (
            "Dieser Link ist ungültig, wurde schon benutzt oder ist abgelaufen. Bitte fragen Sie "
            "den Zugang erneut an."
        ),
    }
)
