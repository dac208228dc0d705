"""Counts on the pages: one rule for singular and plural in both languages."""

from __future__ import annotations

import re

from portal_gateway.web.i18n import TEXTS, plural

# A number followed by a noun that changes with the count ("1 tickets", "1 Tage").
COUNTED = re.compile(
    r"\{n\} (tickets?|days?|files?|hours?|minutes?|months?|years?|articles?|views?|downloads?|"
    r"Tickets?|Tage?|Dateien|Datei|Stunden?|Minuten?|Monate?|Jahre?|Artikel|Downloads?)\b"
)


def test_every_counted_noun_has_its_singular_and_plural() -> None:
    for lang, words in TEXTS.items():
        for key, text in words.items():
            if COUNTED.search(text):
                assert key.endswith(("_one", "_other")), (lang, key, text)
            # A pair is two counted texts ("exchange_allow_one" is no count).
            if key.endswith("_one") and "{n}" in text:
                assert key.removesuffix("_one") + "_other" in words, (lang, key)
            if key.endswith("_other") and "{n}" in text:
                assert key.removesuffix("_other") + "_one" in words, (lang, key)


def test_one_is_singular_and_everything_else_plural() -> None:
    en, de = TEXTS["en"], TEXTS["de"]
    assert plural(en, "exchange_days", 1) == "1 day"
    assert plural(de, "exchange_days", 1) == "1 Tag"
    assert plural(en, "exchange_days", 7) == "7 days"
    assert plural(de, "exchange_days", 7) == "7 Tage"
    assert plural(en, "tickets_total", 1) == "1 ticket in total"
    assert plural(de, "tickets_total", 0) == "0 Tickets insgesamt"
    assert plural(en, "desk_count", 1) == "1 ticket shown"
    assert plural(en, "tickets_age_hour", 1) == "1 hour"
    assert plural(de, "tickets_age_day", 1) == "1 Tag"
    assert plural(en, "faq_found", 1) == "1 article found"
