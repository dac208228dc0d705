"""All-in-one mode without an SMTP server: mails land in the local mailbox, and
`portal mail` lists and shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal_ops.cli import main as portal

pytestmark = pytest.mark.integration


async def test_mails_land_in_the_mailbox_that_portal_mail_reads(
    sqlite_world, tmp_path: Path, capsys
) -> None:
    world = sqlite_world
    ticket = await world.ticket("ben")
    number = ticket["number"]
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "Try the other tray."},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 201, r.text
    await world.settle()

    assert len(list((tmp_path / "mailbox").glob("*.eml"))) == 2  # to erik, then to ben
    capsys.readouterr()
    portal(["mail", "--data-dir", str(tmp_path)])
    listing = capsys.readouterr().out.splitlines()
    assert "ben@example.com" in listing[0] and f"[{number}] New reply" in listing[0]
    assert "erik@example.com" in listing[1] and f"[{number}] New ticket" in listing[1]

    portal(["mail", "1", "--data-dir", str(tmp_path)])
    shown = capsys.readouterr().out
    assert "To: ben@example.com" in shown
    assert "> Try the other tray." in shown and f"/tickets/{number}" in shown

    with pytest.raises(SystemExit):
        portal(["mail", "9", "--data-dir", str(tmp_path)])


def test_portal_mail_on_an_empty_mailbox(tmp_path: Path, capsys) -> None:
    portal(["mail", "--data-dir", str(tmp_path)])
    assert "No mails" in capsys.readouterr().out
