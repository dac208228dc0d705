"""What the deploy/ checks (tests/deploy) share: paths, the parts, running a tool, skipping
without it, and the environment variables each part's settings read."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
PARTS = ("gateway", "identity", "tickets", "files", "faq", "notify")
SERVICES = PARTS[1:]
INSTALL = "scripts/install-ops-tools"


def need(tool: str, found: str | None) -> str:
    """`found`, or skip (fail under CI=true) with the install command."""
    if found:
        return found
    message = f"{tool} is not installed: run {INSTALL}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, **kwargs)


def settings_env(cls: type[BaseSettings]) -> set[str]:
    """The environment variables a pydantic-settings class reads (not its nested ones)."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    names: set[str] = set()
    for name, field in cls.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseSettings):
            continue  # nested settings (`portal`) read their own variables
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names |= {c.upper() for c in alias.choices if isinstance(c, str)}
        elif isinstance(alias, str):
            names.add(alias.upper())
        else:
            names.add(f"{prefix}{name}".upper())
    return names


def part_env() -> dict[str, set[str]]:
    """Per part, every environment variable its settings classes read."""
    from portal_chassis import registry
    from portal_chassis.settings import PortalSettings

    # uvicorn's own: the proxies whose X-Forwarded-For is trusted (README).
    shared = settings_env(PortalSettings) | {"FORWARDED_ALLOW_IPS"}
    return {part: shared | settings_env(registry.load(part).settings_cls) for part in PARTS}
