from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from portal_chassis.settings import ServiceSettings


class FaqSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FAQ_", extra="ignore")
