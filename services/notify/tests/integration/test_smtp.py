"""Mail sending over SMTP to a real server process: the message as sent, and a refusal
told apart as worth retrying or final."""

from __future__ import annotations

import uuid

import pytest

from portal_notify.mail.render import RenderedMail
from portal_notify.mail.service import build_message, new_mail
from portal_notify.mail.transport import DeliveryError, SmtpTransport

pytestmark = pytest.mark.integration


def _message():
    mail = new_mail(
        dedupe_key=str(uuid.uuid4()),
        kind="password_reset",
        language="de",
        recipient_id=None,
        to_address="dan@example.com",
        rendered=RenderedMail(subject="Passwort", text="Hallo", html="<p>Hallo</p>"),
    )
    return mail, build_message(mail, "Portal <portal@example.com>")


async def test_a_mail_arrives_with_both_parts_and_its_stable_id(smtp_sink) -> None:
    mail, message = _message()
    await SmtpTransport(smtp_sink.url, timeout=10).send(message)
    [received] = smtp_sink.mails()
    assert received["To"] == "dan@example.com"
    assert received["Subject"] == "Passwort"
    assert received["Content-Language"] == "de"
    assert mail.id.hex in received["Message-ID"]
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "Hallo"


@pytest.mark.parametrize(("code", "permanent"), [(451, False), (550, True)])
async def test_a_refusal_is_final_only_with_a_permanent_reply(
    smtp_sink_factory, code: int, permanent: bool
) -> None:
    sink = smtp_sink_factory(refuse=code)
    with pytest.raises(DeliveryError) as refused:
        await SmtpTransport(sink.url, timeout=10).send(_message()[1])
    assert refused.value.permanent is permanent
    assert sink.refused() == 1
