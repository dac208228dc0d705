from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from portal_chassis.settings import PortalSettings


def _url(service: str, port: int) -> str:
    name = f"{service.upper()}_URL"
    return Field(
        default=f"http://127.0.0.1:{port}",
        validation_alias=AliasChoices(name, f"{service}_url"),
    )


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    identity_url: str = _url("identity", 8001)
    tickets_url: str = _url("tickets", 8002)
    files_url: str = _url("files", 8003)
    faq_url: str = _url("faq", 8004)
    notify_url: str = _url("notify", 8005)
    upstream_timeout_seconds: float = 30.0
    portal: PortalSettings = Field(default_factory=PortalSettings)

    def upstream_url(self, service: str) -> str:
        return getattr(self, f"{service}_url")
