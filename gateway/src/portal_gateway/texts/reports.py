"""The reports pages."""

from __future__ import annotations

EN: dict[str, str] = {}

DE: dict[str, str] = {}
