"""The words a merge writes into both tickets' correspondence, in German and English.

A system note is stored once and read by people of either language, so its body holds
both versions (German first, then English), as a mail with two languages would."""

from __future__ import annotations

MERGED_INTO = {
    "de": "Zusammengeführt in {into}: die Bearbeitung geht dort weiter.",
    "en": "Merged into {into}: the conversation continues there.",
}
MERGED_FROM = {
    "de": "{source} „{title}“ wurde mit diesem Ticket zusammengeführt; "
    "seine Nachrichten stehen jetzt hier.",
    "en": "{source} “{title}” was merged into this ticket; its messages are now here.",
}
# Heads the description of the merged ticket, which was no message of its own.
DESCRIPTION = {"de": "Beschreibung von {source}:", "en": "Description of {source}:"}


def both(texts: dict[str, str], **values: str) -> str:
    return "\n".join(texts[language].format(**values) for language in ("de", "en"))
