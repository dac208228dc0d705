import pytest

from portal_chassis.bus import topic_matches


@pytest.mark.parametrize(
    ("pattern", "key", "expected"),
    [
        ("tickets.ticket.created", "tickets.ticket.created", True),
        ("tickets.ticket.created", "tickets.ticket.updated", False),
        ("tickets.*.created", "tickets.ticket.created", True),
        ("tickets.*", "tickets.ticket.created", False),
        ("tickets.#", "tickets.ticket.created", True),
        ("tickets.#", "tickets", True),
        ("#", "identity.user.invited", True),
        ("#.created", "files.file.created", True),
        ("#.created", "files.file.stored", False),
        ("tickets.#.added", "tickets.article.added", True),
        ("tickets.#.added", "tickets.added", True),
        ("*.user.*", "identity.user.deactivated", True),
    ],
)
def test_topic_patterns_follow_amqp_semantics(pattern: str, key: str, expected: bool) -> None:
    assert topic_matches(pattern, key) is expected
