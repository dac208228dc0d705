"""Reading inbound e-mail: senders, thread ids, latest reply, HTML, attachments, machine mail."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from portal_tickets.mail_intake.delivery import MailEnvelope
from portal_tickets.mail_intake.reading import (
    MAX_TEXT_CHARS,
    InboundMail,
    MailAttachment,
    MailUnreadable,
    read_mail,
)

MAILS = Path(__file__).parent / "mails"


def _sample(name: str) -> InboundMail:
    return read_mail((MAILS / name).read_bytes())


def _mail(
    body: str | bytes,
    *,
    headers: str = "",
    sender: str = "Customer <customer@example.com>",
    content_type: str = "text/plain; charset=utf-8",
) -> bytes:
    """A small single-part mail; `headers` are extra header lines ending in a newline."""
    head = f"From: {sender}\nTo: support@portal.example\nSubject: Test\n{headers}"
    head += f"Content-Type: {content_type}\n\n"
    payload = body if isinstance(body, bytes) else body.encode()
    return head.encode() + payload


def _text(body: str) -> str:
    return read_mail(_mail(body)).text


# --- addresses and thread ------------------------------------------------------------


def test_english_reply_keeps_only_what_was_written_now() -> None:
    mail = _sample("reply_en.eml")
    assert mail.text == (
        "Hi,\n\nthe printer still jams after the restart:\n"
        "- tray 2 is empty\n- the display shows E-42"
    )
    # The audit copy keeps everything, quote and sign-off included.
    assert "Thanks,\nAnna" in mail.full_text
    assert "> Please restart the printer" in mail.full_text


def test_addresses_subject_and_thread_ids_are_normalised() -> None:
    mail = _sample("reply_en.eml")
    assert mail.sender == "anna.example@customer.example"
    assert mail.sender_name == "Example, Anna"
    assert mail.recipients == (
        "support@portal.example",
        "team-lead@customer.example",
        "helpdesk@portal.example",
    )
    assert mail.subject == "Re: [#1042] Printer on floor 3 still jams"
    assert mail.message_id == "CAF3x9Qp.reply-1@mail.customer.example"
    assert mail.references == ("ticket-1042.3@portal.example", "ticket-1042.1@portal.example")
    assert mail.automated is None


def test_encoded_sender_name_and_recipient_headers_are_decoded_and_deduplicated() -> None:
    raw = _mail(
        "Hello",
        sender="=?utf-8?q?M=C3=BCller=2C_J=C3=BCrgen?= <J.Mueller@Kunde.example>",
        headers=(
            "Cc: Support@Portal.example, Other <Other@Kunde.example>\n"
            "X-Original-To: desk@portal.example\n"
            "In-Reply-To: bare-id@portal.example\n"
        ),
    )
    mail = read_mail(raw)
    assert (mail.sender_name, mail.sender) == ("Müller, Jürgen", "j.mueller@kunde.example")
    assert mail.recipients == (
        "support@portal.example",
        "other@kunde.example",
        "desk@portal.example",
    )
    assert mail.references == ("bare-id@portal.example",)


def test_missing_message_id_is_derived_from_the_raw_bytes() -> None:
    raw = _mail("Hello")
    first, again = read_mail(raw), read_mail(raw)
    assert first.message_id == again.message_id
    assert hashlib.sha256(raw).hexdigest() in first.message_id
    assert "<" not in first.message_id
    assert read_mail(raw + b"!").message_id != first.message_id


# --- latest reply --------------------------------------------------------------------


def test_german_outlook_reply_drops_the_von_gesendet_block_and_greeting() -> None:
    mail = _sample("reply_de_outlook.eml")
    assert mail.text == (
        "Hallo zusammen,\n\nder Zugang funktioniert wieder, vielen Dank für die schnelle Hilfe."
    )
    assert "Gesendet: Freitag" in mail.full_text  # ISO-8859-1 quoted-printable decoded
    assert "Straße 1" in mail.full_text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Works now.\n\n-----Original Message-----\nFrom: Desk\nSent: Monday\n"
            "To: Me\nSubject: Case\n\nDid it work?",
            "Works now.",
        ),
        (
            "Danke, erledigt.\n\nAm 03.11.2025 um 10:00 schrieb Service Desk "
            "<support@portal.example>:\n> Ist es erledigt?",
            "Danke, erledigt.",
        ),
        (
            "My answers are inline.\n> Which version?\n2.4\n> Which browser?\nFirefox\n",
            "My answers are inline.\n2.4\nFirefox",
        ),
    ],
    ids=["outlook-original-message", "german-schrieb", "inline-quotes"],
)
def test_quoted_history_is_removed(body: str, expected: str) -> None:
    assert _text(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Please call me back.\n\n-- \nAnna Example\nACME Ltd.\n", "Please call me back."),
        ("Bitte um Rückruf.\n\nViele Grüße\nMax\n", "Bitte um Rückruf."),
        ("Please call me back.\n\nBest regards\nAnna\n+49 30 1234", "Please call me back."),
        ("Please call me back.\n\nSent from my iPhone", "Please call me back."),
    ],
    ids=["dash-dash-delimiter", "german-greeting", "english-sign-off", "mobile-footer"],
)
def test_signature_is_removed(body: str, expected: str) -> None:
    assert _text(body) == expected


def test_a_mail_that_is_only_a_quote_falls_back_to_the_full_text() -> None:
    body = "On Mon, 3 Nov 2025 at 10:00, Desk <support@portal.example> wrote:\n> Done?\n"
    mail = read_mail(_mail(body))
    assert mail.text == mail.full_text == body.rstrip()


def test_a_forward_without_own_words_keeps_the_full_text() -> None:
    body = "From: Vendor\nSent: Monday\nTo: Anna\nSubject: Offer\n\nOur offer is attached."
    mail = read_mail(_mail(body))
    assert mail.text == mail.full_text == body


def test_text_is_capped_and_trailing_whitespace_stripped() -> None:
    mail = read_mail(_mail("word   \n" * 30_000 + "\n\n  \n"))
    assert MAX_TEXT_CHARS - 5 < len(mail.text) <= MAX_TEXT_CHARS
    assert mail.text.startswith("word\nword\n")
    assert mail.text == mail.text.rstrip()
    assert mail.full_text.endswith("word")


# --- body formats --------------------------------------------------------------------


def test_html_only_mail_becomes_readable_text() -> None:
    mail = _sample("html_only.eml")
    assert mail.subject == "Fehler beim Login \u2013 dringend"
    for text in (mail.text, mail.full_text):
        assert not re.search(r"</?[a-zA-Z!]", text)
        assert "alert" not in text and "color" not in text  # script and style dropped
        assert "see the status page & the screenshot." in text  # link text kept
        assert "Browser: Firefox" in text


GMAIL_REPLY = (
    '<div dir="ltr">Thanks, that fixed it.</div><br><div class="gmail_quote">'
    '<div class="gmail_attr">On Mon, Nov 3, 2025 at 10:00 AM Service Desk '
    '&lt;<a href="mailto:support@portal.example">support@portal.example</a>&gt; wrote:<br>'
    '</div><blockquote class="gmail_quote">Please try again.<br></blockquote></div>'
)
OUTLOOK_REPLY = (
    "<html><body><div class=WordSection1><p class=MsoNormal>Ja, passt so.<o:p></o:p></p>"
    "<p class=MsoNormal>Gru\u00df<br>Max</p><div style='border-top:solid #E1E1E1 1.0pt'>"
    "<p class=MsoNormal><b>Von:</b> Service Desk &lt;support@portal.example&gt;<br>"
    "<b>Gesendet:</b> Montag, 3. November 2025 10:00<br><b>An:</b> Max<br>"
    "<b>Betreff:</b> Frage</p></div><p class=MsoNormal>Passt das so?</p></div></body></html>"
)


@pytest.mark.parametrize(
    ("html", "reply", "quote_header"),
    [
        (GMAIL_REPLY, "Thanks, that fixed it.", "wrote:"),
        (OUTLOOK_REPLY, "Ja, passt so.", "Gesendet:"),
    ],
    ids=["gmail", "outlook"],
)
def test_html_replies_lose_their_quoted_history(html: str, reply: str, quote_header: str) -> None:
    mail = read_mail(_mail(html, content_type="text/html; charset=utf-8"))
    assert mail.text == reply
    assert mail.full_text.startswith(reply + "\n")  # block indentation removed
    assert quote_header in mail.full_text


def test_multipart_alternative_prefers_the_plain_text() -> None:
    mail = _sample("attachments.eml")
    assert mail.full_text == "Anbei der Prüfbericht."
    assert all(a.content_type != "text/html" for a in mail.attachments)


def test_an_empty_plain_alternative_falls_back_to_the_html() -> None:
    body = (
        "--b\nContent-Type: text/plain\n\n  \n"
        "--b\nContent-Type: text/html\n\n<p>Real <i>content</i></p>\n--b--\n"
    )
    mail = read_mail(_mail(body, content_type='multipart/alternative; boundary="b"'))
    assert mail.full_text == "Real content"


@pytest.mark.parametrize(
    ("charset", "payload", "expected"),
    [
        ("utf-8", b"caf\xe9 \xff ok", "caf\ufffd \ufffd ok"),
        ("x-no-such-charset", b"Gr\xc3\xbc\xc3\x9fe", "Grüße"),
        ("us-ascii", b"Gr\xc3\xbc\xc3\x9fe", "Grüße"),
        ("idna", b"\xff\xfe", "\ufffd\ufffd"),
        ("windows-1252", b"\x93quoted\x94 \x80", "\u201cquoted\u201d €"),
    ],
)
def test_broken_or_unknown_charsets_never_raise(
    charset: str, payload: bytes, expected: str
) -> None:
    mail = read_mail(_mail(payload, content_type=f"text/plain; charset={charset}"))
    assert mail.full_text == expected


def test_raw_8bit_headers_and_nul_bytes_are_cleaned() -> None:
    raw = _mail(b"A\x00B", headers="X-Note: x\n").replace(
        b"Subject: Test", b"Subject: Gr\xc3\xbc\xc3\x9fe \xff"
    )
    mail = read_mail(raw)
    assert mail.subject == "Grüße \ufffd"
    assert mail.full_text == "AB"


def test_control_characters_leave_the_subject_and_white_space_is_folded() -> None:
    raw = _mail("Hello").replace(
        b"Subject: Test",
        b"Subject: \x1b[1mPrinter\x07 \t jams\x7f \xc2\x85again\n =?utf-8?q?=01=1F?=",
    )
    mail = read_mail(raw)
    assert mail.subject == "[1mPrinter jams again"


# --- envelope ------------------------------------------------------------------------


def test_the_envelope_adds_recipients_and_a_null_reverse_path_marks_a_machine() -> None:
    raw = _mail("Hello")
    bcc = "support+token.t000001@portal.example"
    plain = read_mail(raw, MailEnvelope(mail_from="customer@example.com", recipients=(bcc,)))
    assert plain.recipients == ("support@portal.example", bcc)
    assert plain.automated is None
    bounce = read_mail(raw, MailEnvelope(mail_from="", recipients=("SUPPORT@portal.example",)))
    assert bounce.recipients == ("support@portal.example",)
    assert bounce.automated == "null-sender"
    # The more specific reason still wins.
    report = read_mail((MAILS / "bounce.eml").read_bytes(), MailEnvelope("", ()))
    assert report.automated == "bounce"


# --- attachments ---------------------------------------------------------------------


def test_attachments_are_named_safely_and_keep_their_bytes() -> None:
    attachments = _sample("attachments.eml").attachments
    assert [(a.filename, a.content_type) for a in attachments] == [
        ("Prüfbericht.pdf", "application/pdf"),  # RFC 2231
        ("Bildschirmfoto ä.png", "image/png"),  # RFC 2047, inline with a name
        ("boot.ini", "text/plain"),  # directory parts stripped
        ("attachment-4.jpg", "image/jpeg"),  # no name: generated from the type
        ("attachment-5.eml", "message/rfc822"),
    ]
    assert attachments[0].data == b"%PDF-1.4\n"
    assert attachments[1].data.startswith(b"\x89PNG")
    assert attachments[4].data.startswith(b"From: someone@else.example")
    assert b"original text" in attachments[4].data


def test_a_named_body_part_is_the_body_not_an_attachment() -> None:
    raw = _mail("Body text", headers='Content-Disposition: inline; filename="note.txt"\n')
    mail = read_mail(raw)
    assert (mail.text, mail.attachments) == ("Body text", ())


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ("attachment; filename*=UTF-8''..%5C..%5Cevil.exe", "evil.exe"),
        ("attachment; filename*=UTF-8''invoice%E2%80%AEfdp.exe", "invoicefdp.exe"),
        ("attachment; filename*=UTF-8''Pru%CC%88fbericht.pdf", "Prüfbericht.pdf"),
        ('attachment; filename="..."', "attachment-1.bin"),
        ('attachment; filename=".htaccess"', "htaccess"),
        ("attachment; filename=" + "a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
    ids=["backslash-path", "rtl-override", "decomposed-umlaut", "dots", "hidden", "long"],
)
def test_hostile_attachment_names_are_made_safe(disposition: str, expected: str) -> None:
    body = (
        "--b\nContent-Type: text/plain\n\nSee attached.\n"
        f"--b\nContent-Type: application/octet-stream\nContent-Disposition: {disposition}\n\n"
        "data\n--b--\n"
    )
    mail = read_mail(_mail(body, content_type='multipart/mixed; boundary="b"'))
    assert mail.attachments == (MailAttachment(expected, "application/octet-stream", b"data"),)
    assert mail.text == "See attached."


# --- machine mail --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-replied\n", "auto-submitted"),
        ("Auto-Submitted: auto-generated; owner-email=x@y.example\n", "auto-submitted"),
        ("Auto-Submitted: no\n", None),
        ("Precedence: bulk\n", "precedence"),
        ("Precedence: Junk\n", "precedence"),
        ("Precedence: auto_reply\n", "precedence"),
        ("Precedence: normal\n", None),
        ("X-Autoreply: yes\n", "auto-reply"),
        ("X-Autorespond: vacation\n", "auto-reply"),
        ("X-Auto-Response-Suppress: All\n", "auto-reply"),
        ("X-Auto-Response-Suppress: DR, OOF, AutoReply\n", "auto-reply"),
        ("X-Auto-Response-Suppress: DR, RN\n", None),
        ("List-Id: <users.lists.example>\n", "mailing-list"),
        ("List-Unsubscribe: <mailto:leave@lists.example>\n", "mailing-list"),
        ("List-Id: <users.lists.example>\nPrecedence: list\n", "mailing-list"),
        ("Return-Path: <>\n", "null-sender"),
        ("Return-Path: <customer@example.com>\n", None),
        ("", None),
    ],
)
def test_machine_mail_is_recognised_by_its_headers(headers: str, reason: str | None) -> None:
    assert read_mail(_mail("Hello", headers=headers)).automated == reason


def test_delivery_reports_and_daemon_senders_are_bounces() -> None:
    report = _sample("bounce.eml")
    assert report.automated == "bounce"  # beats its Auto-Submitted and null Return-Path
    assert report.text == "This is the mail system. Your message could not be delivered."
    for local in ("postmaster", "MAILER-DAEMON"):
        sender = f"{local}@mx.example"
        assert read_mail(_mail("Undeliverable", sender=sender)).automated == "bounce"
    nested = (
        "--b\nContent-Type: text/plain\n\nFailed.\n"
        "--b\nContent-Type: message/delivery-status\n\nAction: failed\n\n--b--\n"
    )
    raw = _mail(nested, content_type='multipart/mixed; boundary="b"')
    assert read_mail(raw).automated == "bounce"


# --- unreadable mail -----------------------------------------------------------------


@pytest.mark.parametrize(
    "from_header",
    ["", "From: \n", "From: undisclosed-recipients:;\n", "From: Just A Name\n", "From: @x.y\n"],
)
def test_a_mail_without_sender_address_is_unreadable(from_header: str) -> None:
    raw = f"{from_header}To: support@portal.example\nSubject: Hi\n\nHello".encode()
    with pytest.raises(MailUnreadable) as caught:
        read_mail(raw)
    assert str(caught.value) == "no sender address"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "no mail headers"),
        (b"just some words\nand more", "no mail headers"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "no mail headers"),
        (b'{"json": true}', "no sender address"),  # parses as one odd header
    ],
)
def test_bytes_that_are_no_mail_are_unreadable(raw: bytes, reason: str) -> None:
    with pytest.raises(MailUnreadable) as caught:
        read_mail(raw)
    assert str(caught.value) == reason


def test_hostile_nesting_is_unreadable_not_a_crash() -> None:
    nesting = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(3000)
    )
    raw = b"From: a@example.com\n" + nesting.encode() + b"Content-Type: text/plain\n\nhi\n"
    with pytest.raises(MailUnreadable, match="nested too deeply"):
        read_mail(raw)
