"""How the upload routes take their bodies and describe them: a body is read as a stream
(a file never sits whole in memory or on local disk), so FastAPI cannot say what it
takes; and the problems an upload may meet."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from portal_chassis.openapi import FILE_UPLOAD_BODY, problem_response
from portal_files.upload.receive import MultipartUpload

UPLOAD_PROBLEMS: dict[int | str, dict[str, Any]] = {
    413: problem_response("Too large"),
    415: problem_response("Type not allowed"),
    422: problem_response("No file in the request"),
}

MULTIPART_BODY = FILE_UPLOAD_BODY


def file_part(request: Request) -> MultipartUpload:
    """The `file` part of a multipart/form-data body, streamed."""
    return MultipartUpload(request.stream(), request.headers.get("content-type", ""), "file")
