"""The faq service's FastAPI dependencies, shared by its routers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query

from portal_chassis.app import get_uow
from portal_faq.uow import FaqUoW

UoWDep = Annotated[FaqUoW, Depends(get_uow)]
# Which of an article's texts to answer with.
LanguageQuery = Annotated[Literal["de", "en"] | None, Query()]
PreferQuery = Annotated[
    Literal["de", "en"] | None,
    Query(
        description="The reader's language: each article in it when it has that text, "
        "else in its other language (the item's `language` says which)."
    ),
]
