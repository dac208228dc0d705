"""Finds the portal's deployable parts through the `portal.modules` entry points, so the
chassis never imports a service by name."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

SERVICE_ORDER = ("identity", "tickets", "files", "faq", "notify")


def load(name: str) -> Any:
    for ep in entry_points(group="portal.modules"):
        if ep.name == name:
            return ep.load()
    raise KeyError(f"unknown part {name!r}; installed: {', '.join(available())}")


def available() -> list[str]:
    return sorted(ep.name for ep in entry_points(group="portal.modules"))


def services() -> list[Any]:
    """Every installed service module, identity first (others verify its tokens)."""
    names = [n for n in SERVICE_ORDER if n in available()]
    return [load(n) for n in names]
