"""The words of the web UI in German and English, one module per area of the portal.

Each module holds `EN` and `DE` with the same keys; `TEXTS` merges them, and a key may
belong to one area only (the merge refuses a duplicate)."""

from __future__ import annotations

from types import ModuleType

from portal_gateway.texts import (
    account,
    admin,
    clients,
    common,
    desk,
    exchange,
    faq,
    notifications,
    reports,
    ticket_detail,
    tickets,
)

AREAS: tuple[ModuleType, ...] = (
    common,
    account,
    tickets,
    ticket_detail,
    desk,
    exchange,
    reports,
    admin,
    clients,
    faq,
    notifications,
)


def _merge(attribute: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in AREAS:
        words: dict[str, str] = getattr(area, attribute)
        clash = merged.keys() & words.keys()
        if clash:
            raise ValueError(f"{area.__name__} repeats keys {sorted(clash)}")
        merged.update(words)
    return merged


TEXTS: dict[str, dict[str, str]] = {"en": _merge("EN"), "de": _merge("DE")}
