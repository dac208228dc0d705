from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from portal_chassis.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")
