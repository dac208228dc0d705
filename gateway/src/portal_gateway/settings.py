from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from portal_chassis.settings import PortalSettings, split_urls


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
    # Attempts for a request without a body that could not reach its service (GET, HEAD,
    # OPTIONS, DELETE): the first plus this many retries.
    upstream_retries: int = 2
    # The circuit breaker: this many failures in a row open it; after the pause one trial
    # request may pass.
    breaker_failures: int = 5
    breaker_reset_seconds: float = 10.0
    # Requests per minute, per signed-in user and per client address (0: no limit).
    rate_limit_per_user: int = 600
    rate_limit_per_address: int = 1200
    # Request bodies: JSON and forms, and uploads (files, case files, file exchange).
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = 5 * 1024**3
    # Send Strict-Transport-Security (always on when PORTAL_PUBLIC_URL is https).
    hsts_seconds: int = 31_536_000
    portal: PortalSettings = Field(default_factory=PortalSettings)

    def upstream_urls(self, service: str) -> list[str]:
        """The service's base URL, or several (comma-separated), one per replica."""
        return split_urls(getattr(self, f"{service}_url"))
