"""Settings shared by every part of the portal.

`PortalSettings` holds what the whole system shares (variables prefixed `PORTAL_`);
each service subclasses `ServiceSettings` with its own prefix (`TICKETS_`, ...) for what
only it owns, such as its database URL. Unset values mean the embedded default, so the
all-in-one mode needs no configuration at all.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")

    data_dir: Path = Path("data")
    public_url: str = "http://127.0.0.1:8000"
    amqp_url: str | None = None
    redis_url: str | None = None
    smtp_url: str | None = None
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_bucket: str = "portal"
    bootstrap_admin_password: str | None = Field(default=None, repr=False)
    log_level: str = "INFO"
    log_json: bool = True
    # Token audience and issuer shared by the issuer (identity) and every verifier.
    token_audience: str = "portal"
    token_issuer: str | None = None
    # How long a service trusts a fetched JWKS before asking identity again.
    jwks_cache_seconds: float = 300.0
    # How often every verifier asks identity for ended sign-ins (portal_chassis.revocation):
    # a revoked token is refused everywhere within about this long (plus one request).
    revocation_poll_seconds: float = Field(default=2.0, gt=0)
    # Prefix of the exchanges and queues on the broker; lets two portals share one broker.
    event_namespace: str = "portal"
    outbox_poll_seconds: float = 1.0
    # On SIGTERM a server keeps serving this long while it tells load balancers and
    # clients to go elsewhere, then finishes what is in flight (portal_chassis.serving).
    shutdown_drain_seconds: float = 5.0
    # Below the gateway's upstream timeout: a query nobody waits for any more is cancelled.
    db_statement_timeout_seconds: float = 25.0
    # Pooled PostgreSQL connections per process (as many again for bursts); unset:
    # four per core, at least 8 (portal_chassis.db.pool_size_for).
    db_pool_size: int | None = Field(default=None, ge=1, le=200)
    event_max_retries: int = 3
    event_retry_base_seconds: float = 1.0
    # Run Celery tasks inline (all-in-one) instead of on a worker.
    tasks_eager: bool = False
    # Apply pending migrations at start (all-in-one); production runs `portal migrate`.
    auto_migrate: bool = False
    # Where `portal worker` serves its Prometheus metrics (a worker has no HTTP server);
    # 0 serves none.
    worker_metrics_port: int = Field(default=9100, ge=0, le=65535)
    # Where `portal serve` serves its Prometheus metrics, apart from the requests' port
    # (whose /metrics then answers 404: the gateway's port is public). 0: on that port.
    metrics_port: int = Field(default=0, ge=0, le=65535)
    # The e-mail channel: intake is off unless one of the two intake URLs is set.
    inbound_smtp_url: str | None = None
    inbound_imap_url: str | None = Field(default=None, repr=False)  # holds passwords
    support_address: str | None = None
    inbound_domains: str | None = None
    # Comma-separated secrets for reply addresses: the first signs, all verify.
    mail_signing_keys: str | None = Field(default=None, repr=False)

    @property
    def issuer(self) -> str:
        return self.token_issuer or self.public_url.rstrip("/")

    @property
    def support_mailbox(self) -> str:
        """Mails to this address open tickets; replies go to its `+token` variants."""
        return self.support_address or f"support@{urlsplit(self.public_url).hostname}"

    @property
    def accepted_domains(self) -> list[str]:
        """The domains the SMTP receiver accepts mail for."""
        if self.inbound_domains:
            return [d.strip().lower() for d in self.inbound_domains.split(",") if d.strip()]
        return [self.support_mailbox.rpartition("@")[2].lower()]

    @property
    def signing_keys(self) -> list[str]:
        return [k.strip() for k in (self.mail_signing_keys or "").split(",") if k.strip()]

    @property
    def inbound_enabled(self) -> bool:
        return bool(self.inbound_smtp_url or self.inbound_imap_url)


class ServiceSettings(BaseSettings):
    """Base for a service's own settings; subclasses set `env_prefix`."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str | None = None
    # Base URL of the identity service, where the JWKS is fetched in distributed mode
    # (several, comma-separated, are tried in turn).
    identity_url: str = Field(
        default="http://127.0.0.1:8001",
        validation_alias=AliasChoices("IDENTITY_URL", "identity_url"),
    )
    # Base URL of the tickets service, where a service reads a ticket its events have not
    # brought yet (portal_chassis.readthrough); several, comma-separated, tried in turn.
    tickets_url: str = Field(
        default="http://127.0.0.1:8002",
        validation_alias=AliasChoices("TICKETS_URL", "tickets_url"),
    )
    # Base URL of the files service, where the tickets service's mail intake stores a
    # mail's attachments; several, comma-separated, tried in turn.
    files_url: str = Field(
        default="http://127.0.0.1:8003",
        validation_alias=AliasChoices("FILES_URL", "files_url"),
    )
    portal: PortalSettings = Field(default_factory=PortalSettings)

    @property
    def identity_urls(self) -> list[str]:
        return split_urls(self.identity_url)

    def urls_of(self, service: str) -> list[str]:
        """Where another service answers (its replicas), for the services named here."""
        urls = {"identity": self.identity_url, "tickets": self.tickets_url, "files": self.files_url}
        return split_urls(urls[service])

    def resolved_database_url(self, service: str) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.portal.data_dir.resolve() / f'{service}.db'}"


def split_urls(value: str) -> list[str]:
    """A URL setting that may name several replicas: `http://a:8000, http://b:8000` →
    both, without blanks or trailing slashes."""
    return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
