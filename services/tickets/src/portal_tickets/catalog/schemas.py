from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from portal_chassis.text import MultiLine, OptionalMultiLine, OptionalSingleLine, SingleLine
from portal_tickets.catalog.models import TemplateGroup

QuestionType = Literal["text", "long_text", "choice", "number", "date"]
Category = Literal["incident", "service_request", "change_request", "question"]


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,49}$")
    label: SingleLine = Field(min_length=1, max_length=300)
    label_de: OptionalSingleLine = Field(default=None, max_length=300)
    help: MultiLine = Field(default="", max_length=1000)
    type: QuestionType = "text"
    required: bool = False
    choices: list[SingleLine] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _choices_fit_the_type(self) -> Question:
        if self.type == "choice" and not self.choices:
            raise ValueError("a choice question needs choices")
        if self.type != "choice" and self.choices:
            raise ValueError("only choice questions have choices")
        return self


class TemplateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    group: TemplateGroup
    name: SingleLine = Field(min_length=1, max_length=200)
    description: MultiLine = Field(default="", max_length=5000)
    name_de: OptionalSingleLine = Field(default=None, max_length=200)
    description_de: OptionalMultiLine = Field(default=None, max_length=5000)
    category: Category | None = None
    subject_area: OptionalSingleLine = Field(default=None, max_length=100)
    guide: list[Question] = Field(default_factory=list, max_length=50)
    organization_ids: list[uuid.UUID] = Field(default_factory=list)
    active: bool = True

    @model_validator(mode="after")
    def _unique_question_ids(self) -> TemplateCreate:
        ids = [q.id for q in self.guide]
        if len(ids) != len(set(ids)):
            raise ValueError("question ids must be unique within a template")
        return self


class TemplateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    group: TemplateGroup | None = None
    name: OptionalSingleLine = Field(default=None, min_length=1, max_length=200)
    category: Category | None = None
    description: OptionalMultiLine = Field(default=None, max_length=5000)
    # An empty text removes the German wording.
    name_de: OptionalSingleLine = Field(default=None, max_length=200)
    description_de: OptionalMultiLine = Field(default=None, max_length=5000)
    guide: list[Question] | None = Field(default=None, max_length=50)
    organization_ids: list[uuid.UUID] | None = None
    active: bool | None = None


class TemplateRead(BaseModel):
    id: uuid.UUID
    group: TemplateGroup
    name: str
    description: str
    name_de: str | None = None
    description_de: str | None = None
    category: str
    subject_area: str | None
    guide: list[Question]
    active: bool


class TemplateList(BaseModel):
    items: list[TemplateRead]
    next_cursor: str | None = None


class SubjectAreaWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLine = Field(min_length=1, max_length=100)
    # German wording, as templates carry it; English (name, subtypes) is the fallback.
    name_de: OptionalSingleLine = Field(default=None, max_length=100)
    subtypes: list[SingleLine] = Field(default_factory=list, max_length=100)
    subtypes_de: dict[str, SingleLine] = Field(default_factory=dict, max_length=100)
    active: bool = True

    @model_validator(mode="after")
    def _german_for_known_subtypes(self) -> SubjectAreaWrite:
        if unknown := set(self.subtypes_de) - set(self.subtypes):
            raise ValueError(f"German labels for unknown subtypes: {', '.join(sorted(unknown))}")
        return self


class SubjectAreaRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    name_de: str | None = None
    subtypes: list[str]
    subtypes_de: dict[str, str] = Field(default_factory=dict)
    active: bool


class Taxonomy(BaseModel):
    items: list[SubjectAreaRead]
    next_cursor: str | None = None
