"""The e-mail channel's metrics (served by the process the intake runs in: the tickets
worker, or the all-in-one process)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

MAILS = Counter(
    "portal_inbound_mails_total",
    "Mails taken in by the e-mail channel, by what became of them and why.",
    ["outcome", "reason"],
)
ERRORS = Counter(
    "portal_inbound_errors_total",
    "Mails not taken in for a passing fault (kept by the sender or mailbox, tried again).",
    ["source"],
)
PROCESSING = Histogram(
    "portal_inbound_processing_seconds",
    "From a mail's receipt to its message or ticket written (or its refusal recorded).",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0),
)
