"""Events the faq service publishes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class ArticlePublished(Event):
    """An article became visible to its readers, or was republished after an edit."""

    event_type: ClassVar[str] = "faq.article.published"

    id: uuid.UUID
    title: str
    category_id: uuid.UUID
    language: str
    visibility: str
    published_at: datetime
