from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal_chassis.db import UTCDateTime, utcnow
from portal_chassis.uow import RecordsEvents
from portal_faq.base import Base

LANGUAGES = ("de", "en")


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # anyone, also without signing in
    CUSTOMERS = "customers"  # every signed-in user
    INTERNAL = "internal"  # the service desk only


class State(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=16, values_callable=_values)


def _values(cls: type[enum.Enum]) -> list[str]:
    return [member.value for member in cls]


class Category(Base):
    __tablename__ = "faq_category"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("faq_category.id"), nullable=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Article(Base, RecordsEvents):
    __tablename__ = "faq_article"
    __table_args__ = (
        Index("ix_faq_article_listing", "state", "visibility", "published_at"),
        Index("ix_faq_article_category", "category_id", "state"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("faq_category.id"))
    visibility: Mapped[Visibility] = mapped_column(_enum(Visibility, "faq_visibility"))
    state: Mapped[State] = mapped_column(_enum(State, "faq_state"))
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    not_helpful: Mapped[int] = mapped_column(Integer, default=0)

    translations: Mapped[list[Translation]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        order_by="Translation.id",
        lazy="selectin",
    )

    def translation(self, language: str | None) -> Translation:
        """The text in `language` when there is one, else the article's first language."""
        for candidate in self.translations:
            if candidate.language == language:
                return candidate
        return self.translations[0]

    @property
    def languages(self) -> list[str]:
        return [t.language for t in self.translations]


class Translation(Base):
    """The article's text in one language; what the search index holds, one document
    per translation (PostgreSQL: the generated column `fts_vector`; SQLite: the FTS5
    table `faq_fts` with the same integer key)."""

    __tablename__ = "faq_translation"
    __table_args__ = (UniqueConstraint("article_id", "language"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    article_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("faq_article.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # Markdown as written
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitised
    body_text: Mapped[str] = mapped_column(Text)  # plain text: search and snippets
    keywords: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article] = relationship(back_populates="translations")


class Revision(Base):
    """Every saved version of a translation, with who wrote it and when."""

    __tablename__ = "faq_revision"
    __table_args__ = (Index("ix_faq_revision_article", "article_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    article_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("faq_article.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Related(Base):
    __tablename__ = "faq_related"

    article_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("faq_article.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("faq_article.id", ondelete="CASCADE"), primary_key=True
    )


class Vote(Base):
    """ "Was this helpful?": one answer per user and article, which they may change."""

    __tablename__ = "faq_vote"

    article_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("faq_article.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
