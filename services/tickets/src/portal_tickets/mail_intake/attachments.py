"""A mail's attachments, stored by the files service on the sender's behalf.

Each goes through the files service's own receiving path (`POST /internal/v1/files`):
type sniffing, size and type limits, nothing half-stored. What it refuses (413, 415,
422) is named back to the sender and on the ticket; any other failure is passing, and
the whole mail is tried again later.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

import httpx

from portal_tickets.directory.models import KnownUser
from portal_tickets.mail_intake.reading import InboundMail, MailAttachment
from portal_tickets.mail_intake.service import StoredFiles
from portal_tickets.ticket.events import RefusedFile

REFUSALS = frozenset({413, 415, 422})


class MailAttachments:
    def __init__(
        self, client: Callable[[], httpx.AsyncClient], urls: Sequence[str], *, most: int
    ) -> None:
        self._client = client
        self._urls = list(urls)
        self._most = most

    async def __call__(self, user: KnownUser, mail: InboundMail) -> StoredFiles:
        stored = StoredFiles()
        async with self._client() as client:
            for index, attachment in enumerate(mail.attachments):
                if index >= self._most:
                    reason = f"more than {self._most} attachments in one message"
                    stored.refused.append(RefusedFile(filename=attachment.filename, reason=reason))
                    continue
                answer = await self._post(client, user, attachment)
                if answer.status_code == 201:
                    stored.ids.append(uuid.UUID(answer.json()["id"]))
                elif answer.status_code in REFUSALS:
                    problem = answer.json()
                    reason = problem.get("detail") or problem.get("title") or "refused"
                    stored.refused.append(RefusedFile(filename=attachment.filename, reason=reason))
                else:
                    answer.raise_for_status()
        return stored

    async def _post(
        self, client: httpx.AsyncClient, user: KnownUser, attachment: MailAttachment
    ) -> httpx.Response:
        params = {"uploader_id": str(user.id), "uploader_name": user.username}
        if user.organization_id is not None:
            params["organization_id"] = str(user.organization_id)
        files = {"file": (attachment.filename, attachment.data, attachment.content_type)}
        failure: Exception = RuntimeError("FILES_URL names no URL")
        for url in self._urls:  # replicas: the first that answers
            try:
                return await client.post(f"{url}/internal/v1/files", params=params, files=files)
            except httpx.TransportError as exc:
                failure = exc
        raise failure
