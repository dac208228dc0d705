"""The ticket page: header, correspondence, reply and the customer's actions."""

from __future__ import annotations

EN: dict[str, str] = {}

DE: dict[str, str] = {}
