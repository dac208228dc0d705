from __future__ import annotations

from datetime import date, time

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from portal_chassis.settings import ServiceSettings


class TicketsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TICKETS_", extra="ignore")

    number_prefix: str = "T"
    max_attachments_per_message: int = 4
    escalation_interval_hours: float = 4.0
    business_timezone: str = "Europe/Berlin"
    business_opens: time = time(8, 0)
    business_closes: time = time(17, 0)
    business_holidays: list[date] = []
    # Reaction targets per SLA contract, in business hours, e.g.
    # {"Premium": {"P1": 2, "P2": 4}}; priorities left out use the defaults.
    sla_contracts: dict[str, dict[str, float]] = {}
    # Time accounting: agents book the minutes a reply or note took (summed per ticket
    # and in the desk report). Off by default; an installation switches it on.
    time_accounting: bool = False
    # How long the raw copy of a received mail is kept (audit, `portal mail reprocess`).
    inbound_mail_keep_days: int = Field(default=30, ge=1)
    # The SMTP receiver refuses larger mails (552); the IMAP poller looks for new mail this
    # often where the server offers no IDLE (and renews its IDLE as often where it does).
    inbound_smtp_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    inbound_imap_poll_seconds: float = Field(default=30.0, gt=0)
