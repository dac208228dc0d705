from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from portal_chassis.settings import ServiceSettings

MB = 1024 * 1024


class FilesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FILES_", extra="ignore")

    max_attachment_bytes: int = 10 * MB
    max_exchange_bytes: int = 2048 * MB
    # Lifetime of a direct download link from the object store (GET …/link).
    presigned_seconds: int = 300
