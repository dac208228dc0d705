"""Text fields: what a single-line or a multi-line text sent to the API may contain.

Control characters have no business in what people type, and stored ones break whatever
renders the text later (XML, and so Excel files, refuse most of them). A single-line
text with one is refused (field error code `control_characters`); a multi-line text
keeps tab, line feed and carriage return and loses every other control character.

Use the types as field annotations, with the usual constraints as the field's default:

    title: SingleLine = Field(min_length=1, max_length=200)
    product: OptionalSingleLine = Field(default=None, max_length=200)
    body: MultiLine = Field(min_length=1, max_length=100_000)

Length constraints must reach pydantic before the check (as above, or in the same
`Annotated` before `single_line`/`multi_line`), so that they stay constraints of the
string with their usual error codes (`string_too_long`); hence the optional variants
instead of `SingleLine | None`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

# C0 controls, DEL and C1 controls (Unicode category Cc), and the two code points that
# are not characters at all.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
# The same, less the line structure of a multi-line text: tab, line feed, carriage return.
_CONTROL_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def has_control_characters(value: str) -> bool:
    return _CONTROL.search(value) is not None


def strip_control_characters(value: str, *, keep_lines: bool = True) -> str:
    """`value` without control characters (keeping tab, line feed and carriage return
    unless `keep_lines` is off)."""
    return (_CONTROL_IN_LINES if keep_lines else _CONTROL).sub("", value)


def _single_line(value: str | None) -> str | None:
    if value is not None and has_control_characters(value):
        raise PydanticCustomError(
            "control_characters", "Must be one line of text, without control characters."
        )
    return value


def _multi_line(value: Any) -> Any:
    # Before the length checks, so that "at least one character" counts what is kept.
    # Pasted logs often carry terminal escapes: dropping them beats refusing the message.
    return strip_control_characters(value) if isinstance(value, str) else value


# The checks on their own, to end an `Annotated` that carries its own constraints.
single_line = AfterValidator(_single_line)
multi_line = BeforeValidator(_multi_line)

# One line, stripped of leading and trailing white space before any length check.
SingleLine = Annotated[str, StringConstraints(strip_whitespace=True), single_line]
OptionalSingleLine = Annotated[str | None, StringConstraints(strip_whitespace=True), single_line]
# Several lines, as written (no stripping), less the control characters.
MultiLine = Annotated[str, multi_line]
OptionalMultiLine = Annotated[str | None, multi_line]
