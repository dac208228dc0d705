"""Checking a ticket's answers against its template's conversation guide (pure)."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal_chassis.text import has_control_characters, strip_control_characters
from portal_tickets.catalog.schemas import Question

MAX_TEXT = {"text": 1_000, "long_text": 20_000}


def check_answers(
    guide: list[Question], answers: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The answers to store (in guide order) and the field errors, one per problem."""
    errors: list[dict[str, str]] = []
    stored: list[dict[str, Any]] = []
    known = {q.id for q in guide}
    for key in answers:
        if key not in known:
            errors.append(_err(key, "This question is not part of the template.", "unknown"))
    for question in guide:
        raw = answers.get(question.id)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if question.required:
                errors.append(_err(question.id, "This question needs an answer.", "required"))
            continue
        if question.type == "text" and isinstance(raw, str) and has_control_characters(raw.strip()):
            message = "Must be one line of text, without control characters."
            errors.append(_err(question.id, message, "control_characters"))
            continue
        value, problem = _coerce(question, raw)
        if problem:
            errors.append(_err(question.id, problem, "invalid"))
            continue
        stored.append(
            {"id": question.id, "label": question.label, "type": question.type, "value": value}
        )
    return stored, errors


def _coerce(question: Question, raw: Any) -> tuple[Any, str | None]:
    kind = question.type
    if kind in MAX_TEXT:
        if not isinstance(raw, str):
            return None, "Enter text."
        if kind == "long_text":
            raw = strip_control_characters(raw)
        if len(raw) > MAX_TEXT[kind]:
            return None, f"At most {MAX_TEXT[kind]} characters."
        return raw.strip(), None
    if kind == "choice":
        if raw not in question.choices:
            return None, f"Choose one of: {', '.join(question.choices)}."
        return raw, None
    if kind == "number":
        if isinstance(raw, bool):
            return None, "Enter a number."
        try:
            number = float(raw) if not isinstance(raw, int | float) else raw
        except (TypeError, ValueError):
            return None, "Enter a number."
        if number != number or number in (float("inf"), float("-inf")):
            return None, "Enter a number."
        return number, None
    try:
        return date.fromisoformat(str(raw)).isoformat(), None
    except ValueError:
        return None, "Enter a date as YYYY-MM-DD."


def _err(question_id: str, message: str, code: str) -> dict[str, str]:
    return {"field": f"guide_answers.{question_id}", "message": message, "code": code}
