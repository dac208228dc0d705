"""What the attachment consumers read of the tickets events (no I/O): the ticket and its
files, whether the message is internal; the rest of the payload is none of their
business, and an event without files names none."""

from __future__ import annotations

import uuid

from portal_files.attachments.handlers import MessageFiles, OpenedWith


def test_a_new_ticket_names_itself_number_and_may_come_without_files() -> None:
    file_id = uuid.uuid4()
    facts = OpenedWith.model_validate(
        {"number": "T000001", "file_ids": [str(file_id)], "title": "Printer", "id": "x"}
    )
    assert (facts.number, facts.file_ids) == ("T000001", [file_id])
    assert OpenedWith.model_validate({"number": "T000002"}).file_ids == []


def test_a_message_names_its_ticket_and_says_whether_it_is_internal() -> None:
    facts = MessageFiles.model_validate(
        {"ticket_number": "T000001", "file_ids": [], "internal": True, "excerpt": ""}
    )
    assert (facts.ticket_number, facts.internal) == ("T000001", True)
    assert not MessageFiles.model_validate({"ticket_number": "T000001"}).internal
