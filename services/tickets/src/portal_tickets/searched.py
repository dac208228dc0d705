"""Rows found by a search box over a few of their fields (assets, text modules): one
column holding those fields as a search compares them, kept by the row itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar


def search_text(*values: str | None) -> str:
    """What a search compares with: the searched fields case-folded (Python's folding,
    so that "Müller" finds "MÜLLER" and "grüsse" finds "Grüße" on SQLite too, whose
    lower() knows ASCII only), one per line so that a term never matches across two
    fields."""
    return "\n".join((v or "").casefold() for v in values)


class Searched:
    """A model with a `search_text` column and an `updated_at` stamp; `SEARCHED` names
    the fields the search looks at, in order."""

    SEARCHED: ClassVar[tuple[str, ...]]
    search_text: Any
    updated_at: Any

    def change(self, at: datetime, **values: Any) -> bool:
        """Set the given fields; whether anything changed."""
        changed = False
        for field, value in values.items():
            if getattr(self, field) != value:
                setattr(self, field, value)
                changed = True
        if changed:
            self.updated_at = at
            self.refresh_search_text()
        return changed

    def refresh_search_text(self) -> None:
        self.search_text = search_text(*(getattr(self, f) for f in self.SEARCHED))
