"""The mail counters and the queue gauge (Prometheus)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

MAIL_SENT = Counter(
    "portal_mail_sent_total", "Mails accepted by the SMTP server or mailbox", ["kind"]
)
MAIL_RETRIED = Counter(
    "portal_mail_retried_total", "Failed mail attempts that will be tried again", ["kind"]
)
MAIL_DEAD_LETTERED = Counter(
    "portal_mail_dead_lettered_total", "Mails given up on after the last attempt", ["kind"]
)
AUTO_ANSWERS = Counter(
    "portal_mail_auto_answers_total",
    "Automatic answers to mails from unknown senders: sent, or suppressed (switched off, "
    "a machine's address, answered that day already)",
    ["outcome"],
)
# Read from the database by the notify service, so it is right whichever process sends.
MAIL_QUEUE = Gauge("portal_mail_queue", "Outgoing mails by status (pending, dead)", ["status"])
