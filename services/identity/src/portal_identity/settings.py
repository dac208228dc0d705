from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from portal_chassis.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    access_token_minutes: int = 15
    refresh_token_hours: int = 12
    remember_me_days: int = 30
    reset_link_minutes: int = 30
    invitation_days: int = 7
    # Failed sign-ins tolerated per account and per client address within the window.
    login_failures_per_account: int = 5
    login_failures_per_address: int = 20
    login_failure_window_seconds: int = 900
    # Access requests from the sign-in page: per client address an hour (beyond: 429),
    # per e-mail address a day (beyond: the same answer, no mail), and how long the
    # mailed confirmation link works.
    access_requests_per_address_hour: int = 5
    access_requests_per_email_day: int = 3
    access_request_confirmation_hours: int = 24
    # A signing key stays published this long after a newer key took over.
    key_retirement_grace_minutes: int = 60
    # Keys that encrypt the TOTP secrets at rest (comma-separated: the first encrypts, all
    # decrypt, so a key can be rotated). Without one the secrets are stored as they are.
    mfa_secret_keys: str | None = Field(default=None, repr=False)
    # Passkeys (WebAuthn): the relying party's ID (a domain, never an IP address) and
    # the origins the browser may sign in from (comma-separated). Unset: both follow
    # PORTAL_PUBLIC_URL (mfa/passkeys.py `relying_party`).
    webauthn_rp_id: str | None = None
    webauthn_origins: str | None = None
    webauthn_rp_name: str = "Customer Portal"

    @property
    def mfa_keys(self) -> list[str]:
        return [k.strip() for k in (self.mfa_secret_keys or "").split(",") if k.strip()]
