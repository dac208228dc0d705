"""Single-line and multi-line text fields: control characters refused or dropped, the
usual length constraints and their error codes kept."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from portal_chassis.text import (
    MultiLine,
    OptionalMultiLine,
    OptionalSingleLine,
    SingleLine,
    single_line,
    strip_control_characters,
)

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=8), single_line
]


class Form(BaseModel):
    title: SingleLine = Field(min_length=1, max_length=8)
    product: OptionalSingleLine = Field(default=None, max_length=8)
    body: MultiLine = Field(default="x", min_length=1, max_length=20)
    note: OptionalMultiLine = Field(default=None, max_length=20)
    names: list[SingleLine] = Field(default_factory=list)
    heading: Title | None = None


def _codes(**fields: object) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        Form(**{"title": "ok", **fields})
    return [(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()]


@pytest.mark.parametrize(
    "bad", ["a\x00b", "a\x1bb", "a\nb", "a\tb", "a\x7fb", "a\x85b", "a\uffffb"]
)
def test_single_line_texts_refuse_control_characters(bad: str) -> None:
    assert _codes(title=bad) == [("title", "control_characters")]
    assert _codes(product=bad) == [("product", "control_characters")]
    assert _codes(names=["fine", bad]) == [("names.1", "control_characters")]
    assert _codes(heading=bad) == [("heading", "control_characters")]


def test_single_line_texts_are_stripped_before_length_checks() -> None:
    form = Form(title="  Printer \n", product=" P ", heading="  abcdefgh  ")
    assert (form.title, form.product, form.heading) == ("Printer", "P", "abcdefgh")
    assert _codes(title="123456789") == [("title", "string_too_long")]
    assert _codes(title="   ") == [("title", "string_too_short")]
    assert _codes(product="123456789") == [("product", "string_too_long")]
    assert _codes(heading="ab") == [("heading", "string_too_short")]
    assert Form(title="Ölpumpe", product=None).product is None


def test_multi_line_texts_keep_lines_and_drop_other_control_characters() -> None:
    form = Form(title="t", body="one\r\n\ttwo\x00\x1b[0m\x0c", note="a\x07b")
    assert form.body == "one\r\n\ttwo[0m" and form.note == "ab"
    assert _codes(body="\x00\x01") == [("body", "string_too_short")]
    assert _codes(note="x" * 21) == [("note", "string_too_long")]
    assert Form(title="t", note=None).note is None


def test_strip_control_characters() -> None:
    assert strip_control_characters("a\x00b\nc\td\x0b") == "ab\nc\td"
    assert strip_control_characters("a\nb\tc", keep_lines=False) == "abc"
