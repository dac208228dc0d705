"""What every notify handler does once its transaction is committed: wake the browsers
of those notified, queue the mails for sending; and the mail settings it writes with."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import cast

from portal_chassis.runtime import Runtime
from portal_notify.mail.headers import Correspondence
from portal_notify.mail.service import SEND_TASK
from portal_notify.notification.hub import hub_of
from portal_notify.settings import NotifySettings


def correspondence(runtime: Runtime) -> Correspondence:
    return Correspondence.of(cast(NotifySettings, runtime.settings))


async def after_commit(
    runtime: Runtime, users: list[uuid.UUID], mails: Iterable[uuid.UUID | None]
) -> None:
    if users:
        await hub_of(runtime).publish(users)
    for mail_id in mails:
        if mail_id is not None:
            await runtime.tasks.enqueue(SEND_TASK, mail_id=str(mail_id))
