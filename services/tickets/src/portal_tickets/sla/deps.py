from __future__ import annotations

from functools import cache

from portal_tickets.settings import TicketsSettings
from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.sla.policy import SlaPolicy


@cache
def _policy(settings_json: str) -> SlaPolicy:
    settings = TicketsSettings.model_validate_json(settings_json)
    calendar = BusinessCalendar.uniform(
        timezone=settings.business_timezone,
        opens=settings.business_opens,
        closes=settings.business_closes,
        holidays=frozenset(settings.business_holidays),
    )
    return SlaPolicy(calendar=calendar, contracts=settings.sla_contracts)


def sla_policy(settings: TicketsSettings) -> SlaPolicy:
    """The SLA policy the settings describe (built once per distinct settings)."""
    return _policy(
        settings.model_dump_json(
            include={
                "business_timezone",
                "business_opens",
                "business_closes",
                "business_holidays",
                "sla_contracts",
            }
        )
    )
