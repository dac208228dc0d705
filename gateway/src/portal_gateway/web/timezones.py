"""Times on pages in the viewer's time zone, with the zone named.

The zone is a setting of the user's profile (identity); like the language, the portal
keeps it in a cookie, written at sign-in and whenever the profile is saved, so that no
page has to ask identity for it. Without one, times are shown for Europe/Berlin."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from jinja2 import pass_context
from starlette.requests import Request
from starlette.responses import Response

DEFAULT_ZONE = "Europe/Berlin"
TZ_COOKIE = "portal_tz"
TZ_COOKIE_SECONDS = 365 * 24 * 3600
# German readers know Central European time by its German abbreviations.
GERMAN_ABBREVIATIONS = {"CET": "MEZ", "CEST": "MESZ"}


@cache
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_of(request: Request | None) -> str:
    """The viewer's zone: the cookie's if it names a known zone, else the default."""
    wanted = request.cookies.get(TZ_COOKIE, "") if request is not None else ""
    return wanted if wanted in known_zones() else DEFAULT_ZONE


def remember_time_zone(response: Response, zone: str | None) -> None:
    """Keep the profile's zone in the cookie every page reads it from."""
    if zone in known_zones():
        response.set_cookie(TZ_COOKIE, zone, max_age=TZ_COOKIE_SECONDS, samesite="lax", path="/")


def _parse(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    # The services answer in UTC; a time without a zone is taken as UTC too.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_time(value: Any, zone: str, lang: str) -> str:
    """`value` (ISO 8601 or datetime) as the reader writes it, in `zone`, zone named:
    "05.12.2026 18:30 MEZ" (de) or "2026-12-05 18:30 CET" (en)."""
    moment = _parse(value)
    if moment is None:
        return str(value or "")
    local = moment.astimezone(ZoneInfo(zone))
    name = local.tzname() or zone
    if lang == "de":
        name = GERMAN_ABBREVIATIONS.get(name, name)
    if name[:1] in "+-":  # a zone without an abbreviation: say which one it is
        name = f"({zone})"
    shown = local.strftime("%d.%m.%Y %H:%M" if lang == "de" else "%Y-%m-%d %H:%M")
    return f"{shown} {name}"


@pass_context
def local_time(context: Any, value: Any, named: bool = False) -> str:
    """Jinja filter: `{{ ticket.created_at | local_time }}` in the viewer's zone;
    `named=True` adds the zone's full name, e.g. "(Europe/Berlin)", for a title."""
    zone = zone_of(context.get("request"))
    shown = format_time(value, zone, context.get("lang", "en"))
    return f"{shown} ({zone})" if named and not shown.endswith(f"({zone})") else shown
