"""Turning what a user typed into search terms (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+\*?", re.UNICODE)
MAX_TERMS = 8


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool  # typed with a trailing `*`


def parse(text: str) -> list[Term]:
    """Words with an optional trailing `*`; a `*` inside a word splits it
    ("conv*stop" -> conv*, stop). Everything else is a separator."""
    spaced = re.sub(r"\*(?=\w)", "* ", text)
    terms = []
    for match in WORD.findall(spaced):
        word = match.rstrip("*").lower()
        if word:
            terms.append(Term(word=word, prefix=match.endswith("*")))
    return terms[:MAX_TERMS]
