from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from portal_chassis.text import multi_line, single_line
from portal_faq.content.models import State, Visibility

Language = Literal["de", "en"]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200), single_line
]
Body = Annotated[str, StringConstraints(min_length=1, max_length=100_000), multi_line]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), single_line
]


def _keywords(value: str | list[str] | None) -> str | None:
    """Keywords arrive as a list or a comma-separated string; kept as one string."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    cleaned = [" ".join(k.split()) for k in items if k.strip()]
    joined = ", ".join(dict.fromkeys(cleaned))
    if len(joined) > 500:
        raise ValueError("At most 500 characters of keywords.")
    return joined


# Declared with both accepted forms, so that anything else (numbers, objects, nested
# lists) is a field error before the joining above runs; the model holds the string.
Keywords = Annotated[
    Annotated[str, StringConstraints(max_length=500)]
    | Annotated[list[Annotated[str, StringConstraints(max_length=500)]], Field(max_length=100)]
    | None,
    Field(description="A list, or one comma-separated string (at most 500 characters)."),
    AfterValidator(_keywords),
]


class CategoryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    parent_id: uuid.UUID | None = None
    position: int = Field(default=0, ge=0, le=10_000)


class CategoryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    parent_id: uuid.UUID | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)


class CategoryRead(BaseModel):
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    position: int
    # Published articles the caller may read: in this category, and with subcategories.
    article_count: int
    total_count: int


class CategoryList(BaseModel):
    items: list[CategoryRead]
    next_cursor: str | None = None


class ArticleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    body: Body
    category_id: uuid.UUID
    language: Language
    visibility: Visibility
    state: State = State.DRAFT
    keywords: Keywords = None
    related_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)


class ArticleUpdate(BaseModel):
    """Article fields, and the text in `language` (added when the article has none yet)."""

    model_config = ConfigDict(extra="forbid")

    category_id: uuid.UUID | None = None
    visibility: Visibility | None = None
    related_ids: list[uuid.UUID] | None = Field(default=None, max_length=20)
    language: Language | None = None
    title: Title | None = None
    body: Body | None = None
    keywords: Keywords = None


class RelatedRead(BaseModel):
    id: uuid.UUID
    title: str
    language: Language  # of the title: the reader's, or the article's other language


class ArticleRead(BaseModel):
    id: uuid.UUID
    category_id: uuid.UUID
    visibility: Visibility
    state: State
    language: Language
    languages: list[Language]
    title: str
    body_html: str
    body: str | None = None  # the Markdown source, for authors only
    keywords: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    views: int
    helpful: int
    not_helpful: int
    my_vote: bool | None = None
    related: list[RelatedRead]


class ArticleSummary(BaseModel):
    id: uuid.UUID
    category_id: uuid.UUID
    language: Language
    languages: list[Language]
    title: str
    title_html: str | None = None  # with the search terms marked
    snippet: str | None = None  # HTML, escaped, the search terms in <mark>
    visibility: Visibility
    state: State
    views: int
    helpful: int
    published_at: datetime | None
    updated_at: datetime


class ArticleList(BaseModel):
    items: list[ArticleSummary]
    total: int
    next_cursor: str | None = None


class Suggestion(BaseModel):
    id: uuid.UUID
    title: str
    title_html: str
    language: Language


class SuggestionList(BaseModel):
    items: list[Suggestion]


class VoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    helpful: bool


class VoteRead(BaseModel):
    helpful: int
    not_helpful: int
    my_vote: bool


class RevisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    language: Language
    title: str
    body: str
    keywords: str
    author_id: uuid.UUID
    created_at: datetime


class RevisionList(BaseModel):
    items: list[RevisionRead]
