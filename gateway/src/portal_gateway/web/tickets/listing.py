"""What a ticket list shows: the query (scope, filters, search, sort) as the page's links
and the API read it, a ticket's age in words, and a refused saved view as messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import ImmutableMultiDict

from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.tickets import CATEGORIES, PORTAL_STATUSES, PRIORITIES
from portal_gateway.web.i18n import TEXTS, plural
from portal_gateway.web.tickets.review import REVIEW_FILTERS

SCOPES = ("mine", "organization")
STATES = ("all", "open", "closed")
# The first click on a column sorts newest (or most urgent) first.
FIRST_SORT = {"number": "-number", "priority": "priority", "created": "-created"}
SORTS = {f"{sign}{key}" for key in (*FIRST_SORT, "updated") for sign in ("", "-")}
PAGE_SIZE = 25
MAX_QUERY = 200
AGE_UNITS = (
    (365 * 86400, "year"),
    (30 * 86400, "month"),
    (86400, "day"),
    (3600, "hour"),
    (60, "minute"),
)


def _one(value: object, allowed: Iterable[str], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


def _pick(values: Iterable[Any], allowed: tuple[str, ...]) -> tuple[str, ...]:
    chosen = {str(v) for v in values}
    return tuple(a for a in allowed if a in chosen)


@dataclass(frozen=True)
class ListQuery:
    """What a ticket list shows; the same names as the API's query (and a saved view's)."""

    scope: str
    state: str = "all"
    status: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    q: str = ""
    sort: str = "-created"
    # The review filter (`review.py`), only where the organization reviews its tickets:
    # "" elsewhere. "all" stays in the link, so that "All" is not the role's default.
    review: str = ""

    @classmethod
    def read(
        cls, source: ImmutableMultiDict[str, Any], default_scope: str, default_review: str = ""
    ) -> ListQuery:
        """From a page's query string or a submitted form."""
        return cls.of(
            {
                "scope": source.get("scope"),
                "state": source.get("state"),
                "status": source.getlist("status"),
                "priority": source.getlist("priority"),
                "category": source.getlist("category"),
                "q": source.get("q"),
                "sort": source.get("sort"),
                "review": source.get("review"),
            },
            default_scope,
            default_review,
        )

    @classmethod
    def of(cls, data: dict[str, Any], default_scope: str, default_review: str = "") -> ListQuery:
        q = data.get("q")
        review = _one(data.get("review"), REVIEW_FILTERS, default_review) if default_review else ""
        return cls(
            scope=_one(data.get("scope"), SCOPES, default_scope),
            state=_one(data.get("state"), STATES, "all"),
            status=_pick(data.get("status") or (), PORTAL_STATUSES),
            priority=_pick(data.get("priority") or (), PRIORITIES),
            category=_pick(data.get("category") or (), CATEGORIES),
            q=q.strip()[:MAX_QUERY] if isinstance(q, str) else "",
            sort=_one(data.get("sort"), SORTS, "-created"),
            review=review,
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The query as the page's links carry it."""
        pairs = [("scope", self.scope), ("state", self.state)]
        if self.review:
            pairs.append(("review", self.review))
        pairs += [("status", s) for s in self.status]
        pairs += [("priority", p) for p in self.priority]
        pairs += [("category", c) for c in self.category]
        if self.q:
            pairs.append(("q", self.q))
        pairs.append(("sort", self.sort))
        return pairs

    def api_pairs(self) -> list[tuple[str, str]]:
        """The query as the API reads it (which knows no review filter "all")."""
        return [pair for pair in self.pairs() if pair != ("review", "all")]

    def url(self, **changes: Any) -> str:
        return "/tickets?" + urlencode(replace(self, **changes).pairs())

    def saved(self) -> dict[str, Any]:
        """The query as a saved view stores it."""
        return {
            "review": self.review or None,
            "scope": self.scope,
            "state": self.state,
            "status": list(self.status),
            "priority": list(self.priority),
            "category": list(self.category),
            "q": self.q or None,
            "sort": self.sort,
        }

    def sort_url(self, key: str) -> str:
        if self.sort.lstrip("-") == key:
            return self.url(sort=key if self.sort.startswith("-") else f"-{key}")
        return self.url(sort=FIRST_SORT[key])

    def aria_sort(self, key: str) -> str | None:
        if self.sort.lstrip("-") != key:
            return None
        return "descending" if self.sort.startswith("-") else "ascending"

    @property
    def narrowed(self) -> bool:
        return bool(self.status or self.priority or self.category or self.q)


def age(created_at: str, now: datetime, words: dict[str, str]) -> str:
    """How long ago, in the largest whole unit ("3 days")."""
    try:
        then = datetime.fromisoformat(created_at)
    except ValueError:
        return created_at
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = max(0.0, (now - then).total_seconds())
    for size, unit in AGE_UNITS:
        n = int(seconds // size)
        if n >= 1:
            return plural(words, f"tickets_age_{unit}", n)
    return words["tickets_age_now"]


def view_errors(error: ServiceError, lang: str) -> dict[str, str]:
    """A refused saved view as messages; its only field is the name."""
    words = TEXTS[lang]
    if error.status == 409:
        return {"": words["tickets_view_exists"], "view-name": words["tickets_view_exists"]}
    messages = {"": error.messages(lang)[""]}
    for field_error in error.errors:
        if str(field_error.get("field", "")) == "name":
            too_many = field_error.get("code") == "too_many"
            key = "tickets_view_too_many" if too_many else "tickets_view_name_needed"
            messages.setdefault("view-name", words[key])
    return messages
