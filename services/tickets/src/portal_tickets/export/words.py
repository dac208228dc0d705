"""The words the exports print, in German and English: one place for both documents, so
that the Excel list and the PDF call a category or a status the same (and the same as the
portal's pages do)."""

from __future__ import annotations

CATEGORY = {
    "en": {
        "incident": "Incident",
        "service_request": "Service request",
        "change_request": "Change request",
        "question": "Question",
    },
    "de": {
        "incident": "Störung",
        "service_request": "Serviceanfrage",
        "change_request": "Änderungsantrag",
        "question": "Frage",
    },
}
PORTAL_STATUS = {
    "en": {
        "in_progress": "In progress",
        "answer_expected": "Answer expected",
        "closed": "Closed",
        "postponed": "Postponed",
    },
    "de": {
        "in_progress": "In Bearbeitung",
        "answer_expected": "Antwort erwartet",
        "closed": "Geschlossen",
        "postponed": "Verschoben",
    },
}
SLA_STATE = {
    "en": {
        "ok": "on time",
        "at_risk": "at risk",
        "breached": "overdue",
        "paused": "paused",
        "met": "met",
        "missed": "missed",
        "stopped": "stopped",
    },
    "de": {
        "ok": "im Plan",
        "at_risk": "gefährdet",
        "breached": "überfällig",
        "paused": "pausiert",
        "met": "eingehalten",
        "missed": "verfehlt",
        "stopped": "angehalten",
    },
}
YES_NO = {"en": ("yes", "no"), "de": ("ja", "nein")}


def label(words: dict[str, dict[str, str]], language: str, key: str | None) -> str:
    """The word for `key`; a key without one (a newer value) prints as itself."""
    if not key:
        return ""
    return words[language].get(key, key.replace("_", " "))
