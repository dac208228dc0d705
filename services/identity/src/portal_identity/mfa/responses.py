"""Error answers the second factor's routes share, as the API document shows them."""

from __future__ import annotations

from typing import Any

from portal_chassis.openapi import problem_response

THROTTLED = problem_response("Too many failed attempts (see Retry-After)")
# Routes that ask for the current password first.
PASSWORD_CHECKED: dict[int | str, dict[str, Any]] = {
    422: problem_response("The password is wrong (field `password`)"),
    429: THROTTLED,
}
