"""`portal mail`: reads the local mailbox of the all-in-one mode (when no SMTP server
is configured, every mail the portal sends lands there as an `.eml` file)."""

from __future__ import annotations

import argparse
import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

from portal_chassis.module import Command
from portal_chassis.settings import PortalSettings
from portal_notify.mail.transport import mailbox_dir


def _mails(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.eml"), reverse=True)  # newest first


def _read(path: Path) -> EmailMessage:
    with path.open("rb") as f:
        return email.message_from_binary_file(f, policy=policy.default)


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("number", nargs="?", type=int, help="show this mail (1 is the newest)")
    parser.add_argument("--data-dir", help="the all-in-one data directory (PORTAL_DATA_DIR)")
    parser.add_argument("--limit", type=int, default=20, help="how many to list (default 20)")
    parser.add_argument("--html", action="store_true", help="show the HTML part, not the text")


def _run(args: argparse.Namespace) -> None:
    data_dir = Path(args.data_dir) if args.data_dir else PortalSettings().data_dir
    directory = mailbox_dir(data_dir)
    mails = _mails(directory)
    if not mails:
        print(f"No mails in {directory}.")
        return
    if args.number is None:
        for index, path in enumerate(mails[: args.limit], start=1):
            message = _read(path)
            print(f"{index:>3}  {message['Date']}  {message['To']:<32}  {message['Subject']}")
        print(f"\n{len(mails)} mail(s). `portal mail N` shows one.")
        return
    if not 1 <= args.number <= len(mails):
        raise SystemExit(f"There are {len(mails)} mails; choose 1 to {len(mails)}.")
    message = _read(mails[args.number - 1])
    for header in ("From", "To", "Date", "Subject"):
        print(f"{header}: {message[header]}")
    part = message.get_body(preferencelist=("html",) if args.html else ("plain",))
    print()
    print(part.get_content() if part is not None else "")


MAIL_COMMAND = Command(
    name="mail", help="read the local mailbox (all-in-one mode)", configure=_configure, run=_run
)
