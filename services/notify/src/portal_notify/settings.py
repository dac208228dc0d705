"""The notify service's own settings (`NOTIFY_*`)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from portal_chassis.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    # The sender of every mail (an address the SMTP server accepts mail from).
    mail_from: str = "Customer Service Portal <portal@localhost>"
    # Attempts before a mail is dead-lettered; the waits between them double from the base.
    mail_max_attempts: int = 5
    mail_retry_base_seconds: float = 30.0
    mail_retry_max_seconds: float = 3600.0
    mail_timeout_seconds: float = 15.0
    # Answer a mail from someone who is no user of the portal (at most once a day per
    # address) with where to sign in; off: such mails are dropped silently.
    answer_unknown_senders: bool = True
    # A comment line keeps idle event streams open through proxies and load balancers.
    stream_heartbeat_seconds: float = 15.0
