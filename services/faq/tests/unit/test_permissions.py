"""Who reads which article (pure functions, no I/O): visitors the public ones, signed-in
users those for customers too, the service desk everything including drafts."""

from __future__ import annotations

import uuid

import pytest

from portal_chassis.auth import Actor
from portal_faq.content.models import Article, State, Visibility
from portal_faq.content.permissions import can_read, readable


def _actor(*roles: str) -> Actor:
    return Actor(id=uuid.uuid4(), username="u", organization_id=None, roles=frozenset(roles))


def _article(visibility: Visibility, state: State = State.PUBLISHED) -> Article:
    return Article(id=uuid.uuid4(), visibility=visibility, state=state)


def test_each_kind_of_reader_reads_its_visibilities() -> None:
    assert readable(None) == {Visibility.PUBLIC}
    assert readable(_actor("customer")) == {Visibility.PUBLIC, Visibility.CUSTOMERS}
    assert readable(_actor("agent")) == set(Visibility)


@pytest.mark.parametrize("visibility", list(Visibility))
def test_drafts_are_for_the_service_desk_only(visibility: Visibility) -> None:
    draft = _article(visibility, State.DRAFT)
    assert not can_read(None, draft) and not can_read(_actor("customer"), draft)
    assert can_read(_actor("agent"), draft)


def test_internal_articles_stay_internal_when_published() -> None:
    internal = _article(Visibility.INTERNAL)
    assert not can_read(None, internal) and not can_read(_actor("customer"), internal)
    assert can_read(_actor("agent"), _article(Visibility.CUSTOMERS))
