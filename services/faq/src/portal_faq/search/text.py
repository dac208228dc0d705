"""Words, stems and highlighted snippets: the language handling both search backends
share (stemming for SQLite, snippets and typo correction for both). The stemming itself
is the chassis's, which the tickets search uses as well."""

from __future__ import annotations

import html
import re

from portal_chassis.stemming import STEMMERS, stem, stemmed_text, stems, words

__all__ = [
    "STEMMERS",
    "highlight",
    "similarity",
    "snippet",
    "stem",
    "stemmed_text",
    "stems",
    "trigrams",
    "vocabulary",
    "words",
]

# Vocabulary words: letters only, long enough to be worth correcting.
VOCABULARY_WORD = re.compile(r"^[^\W\d_]{3,40}$", re.UNICODE)
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


def vocabulary(*texts: str) -> set[str]:
    return {w for text in texts for w in words(text) if VOCABULARY_WORD.match(w)}


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams: the word padded with two spaces before and one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity`: shared trigrams over all trigrams of both words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def _matches(word: str, query_stems: set[str], prefixes: tuple[str, ...]) -> bool:
    if not any(c.isalnum() for c in word):
        return False
    lowered = word.lower()
    return bool(stems(lowered) & query_stems) or (bool(prefixes) and lowered.startswith(prefixes))


def highlight(text: str, query_stems: set[str], prefixes: tuple[str, ...] = ()) -> str:
    """`text` as HTML with every word that matches the query inside <mark>."""
    parts = re.split(r"(\w+)", text)
    out = []
    for part in parts:
        escaped = html.escape(part)
        out.append(f"<mark>{escaped}</mark>" if _matches(part, query_stems, prefixes) else escaped)
    return "".join(out)


def snippet(
    text: str, query_stems: set[str], prefixes: tuple[str, ...] = (), *, width: int = 28
) -> str:
    """The stretch of `text` (about `width` words) with the most query matches, as
    escaped HTML with the matches marked; the opening words when nothing matches."""
    tokens = text.split()
    if not tokens:
        return ""
    hits = [_matches(re.sub(r"\W", "", t), query_stems, prefixes) for t in tokens]
    best_start, best = 0, -1
    window = sum(hits[:width])
    for start in range(max(1, len(tokens) - width + 1)):
        if start:
            window += (hits[start + width - 1] if start + width - 1 < len(hits) else 0) - hits[
                start - 1
            ]
        if window > best:
            best_start, best = start, window
    # Start a little before the first hit, so that it reads in context.
    first_hit = next((i for i in range(best_start, len(tokens)) if hits[i]), best_start)
    start = max(0, min(best_start, first_hit - 3))
    chosen = " ".join(tokens[start : start + width])
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(tokens) else ""
    return prefix + highlight(chosen, query_stems, prefixes) + suffix
