"""Who may read what: visibility by the caller's kind, drafts for the service desk."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from portal_chassis.auth import Actor
from portal_faq.content.models import Article, State, Visibility

STATES = ("published", "draft", "all")


def readable(actor: Actor | None) -> set[Visibility]:
    if actor is None:
        return {Visibility.PUBLIC}
    if actor.is_staff:
        return set(Visibility)
    return {Visibility.PUBLIC, Visibility.CUSTOMERS}


def reader_filter(actor: Actor | None, state: str = "published") -> list[ColumnElement[bool]]:
    """The SQL conditions for "articles this caller may see" (drafts: staff only)."""
    where: list[ColumnElement[bool]] = [Article.visibility.in_(readable(actor))]
    if actor is None or not actor.is_staff or state == "published":
        where.append(Article.state == State.PUBLISHED)
    elif state == "draft":
        where.append(Article.state == State.DRAFT)
    return where


def can_read(actor: Actor | None, article: Article) -> bool:
    if article.visibility not in readable(actor):
        return False
    return article.state == State.PUBLISHED or (actor is not None and actor.is_staff)
