"""Which service owns which public path (the gateway's routing table)."""

from __future__ import annotations

import re

# Longest prefix wins; a prefix matches whole path segments only.
ROUTES: dict[str, str] = {
    "/api/v1/auth": "identity",
    "/api/v1/me": "identity",
    "/api/v1/admin": "identity",
    "/api/v1/access-requests": "identity",
    "/.well-known": "identity",
    "/oauth": "identity",
    "/api/v1/tickets": "tickets",
    "/api/v1/ticket-templates": "tickets",
    "/api/v1/ticket-taxonomy": "tickets",
    "/api/v1/ticket-views": "tickets",
    "/api/v1/ticket-contacts": "tickets",
    "/api/v1/assets": "tickets",
    "/api/v1/contracts": "tickets",
    "/api/v1/business-calendars": "tickets",
    "/api/v1/agent-groups": "tickets",
    "/api/v1/routing-rules": "tickets",
    "/api/v1/text-modules": "tickets",
    "/api/v1/surveys": "tickets",
    "/api/v1/files": "files",
    "/api/v1/exchanges": "files",
    "/api/v1/faq": "faq",
    "/api/v1/notifications": "notify",
}

SERVICES: tuple[str, ...] = ("identity", "tickets", "files", "faq", "notify")

# Paths inside another service's prefix, checked first: (pattern, service, metrics label).
PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"^/api/v1/tickets/[^/]+/folders(/|$)"),
        "files",
        "/api/v1/tickets/{number}/folders",
    ),
]

_ORDERED = sorted(ROUTES.items(), key=lambda item: len(item[0]), reverse=True)


def route(path: str) -> tuple[str, str] | None:
    """(owning service, bounded label for metrics) for a public path, or None."""
    for pattern, service, label in PATTERNS:
        if pattern.match(path):
            return service, label
    for prefix, service in _ORDERED:
        if path == prefix or path.startswith(prefix + "/"):
            return service, prefix
    return None
