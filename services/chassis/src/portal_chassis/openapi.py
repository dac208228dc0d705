"""OpenAPI pieces the services' routes share."""

from __future__ import annotations

from typing import Any

from portal_chassis.errors import PROBLEM_JSON

# For routes that read a multipart upload themselves (streamed, not through FastAPI's
# form parsing), so the API document still shows the one file field they take.
FILE_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def problem_response(description: str) -> dict[str, Any]:
    """An error answer in a route's `responses`: a problem document (RFC 9457)."""
    return {"description": description, "content": {PROBLEM_JSON: {}}}
