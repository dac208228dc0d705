"""Background work of the notify service (Celery in distributed mode, inline otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal_chassis.tasks import task
from portal_notify.mail import service

if TYPE_CHECKING:
    from portal_chassis.runtime import Runtime


@task(service.SEND_TASK)
async def send_mail(runtime: Runtime, mail_id: str) -> str:
    return await service.send_mail(runtime, mail_id)


@task("resend_due_mail", every=60)
async def resend_due_mail(runtime: Runtime) -> int:
    """Safety net: sends what a lost task or a stopped worker left pending."""
    due = await service.due_mail_ids(runtime)
    for mail_id in due:
        await runtime.tasks.enqueue(service.SEND_TASK, mail_id=mail_id)
    return len(due)


TASKS = [send_mail, resend_due_mail]
