"""How the upload routes take their bodies and describe them: a body is read as a stream
(a file never sits whole in memory or on local disk), so FastAPI cannot say what it
takes; and the problems an upload may meet."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from portal_chassis.errors import PROBLEM_JSON
from portal_chassis.openapi import FILE_UPLOAD_BODY
from portal_files.upload.receive import MultipartUpload

UPLOAD_PROBLEMS: dict[int | str, dict[str, Any]] = {
    413: {"description": "Too large", "content": {PROBLEM_JSON: {}}},
    415: {"description": "Type not allowed", "content": {PROBLEM_JSON: {}}},
    422: {"description": "No file in the request", "content": {PROBLEM_JSON: {}}},
}

MULTIPART_BODY = FILE_UPLOAD_BODY


def file_part(request: Request) -> MultipartUpload:
    """The `file` part of a multipart/form-data body, streamed."""
    return MultipartUpload(request.stream(), request.headers.get("content-type", ""), "file")
