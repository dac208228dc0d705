"""Administrators look after outgoing mail: what is waiting, what was given up on, and
sending a dead-lettered mail again."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from portal_chassis.app import RuntimeDep
from portal_chassis.auth import AdminDep
from portal_chassis.scopes import area_scope
from portal_notify.deps import LimitQuery, UoWDep
from portal_notify.mail import service
from portal_notify.mail.models import MailStatus, OutgoingMail

router = APIRouter(
    prefix="/api/v1/notifications/mails",
    tags=["mail"],
    dependencies=[Depends(area_scope("notifications"))],
)


class MailRead(BaseModel):
    id: uuid.UUID
    kind: str
    language: str
    to_address: str
    subject: str
    status: MailStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, mail: OutgoingMail) -> MailRead:
        return cls.model_validate(mail, from_attributes=True)


class MailList(BaseModel):
    items: list[MailRead]


@router.get("", response_model=MailList)
async def list_mails(
    actor: AdminDep,
    uow: UoWDep,
    status: MailStatus | None = None,
    limit: LimitQuery = 50,
) -> MailList:
    async with uow:
        rows = await uow.mails.newest(status=status, limit=limit)
    return MailList(items=[MailRead.of(m) for m in rows])


@router.post("/{mail_id}/retry", response_model=MailRead)
async def retry(mail_id: uuid.UUID, actor: AdminDep, uow: UoWDep, runtime: RuntimeDep) -> MailRead:
    read = MailRead.of(await service.retry_dead(uow, mail_id))
    if read.status is MailStatus.PENDING:
        await runtime.tasks.enqueue(service.SEND_TASK, mail_id=str(mail_id))
    return read
