"""German and English word stems with Snowball, the algorithms PostgreSQL's `german` and
`english` text-search configurations use: what the SQLite full-text indexes of the
all-in-one mode store, so that they find what PostgreSQL finds."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import snowballstemmer

STEMMERS = {"de": "german", "en": "english"}
WORD = re.compile(r"\w+", re.UNICODE)
# Letters and digits, as PostgreSQL's parser splits words ("T-0042" is "t" and "0042").
ALNUM = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word.lower()))


def stems(word: str) -> set[str]:
    """Every stem the word may have when its language is unknown."""
    return {stem(word, language) for language in STEMMERS}


def stemmed_text(text: str, language: str) -> str:
    """The text's words replaced by their stems in one language."""
    return " ".join(_stemmer(language).stemWords(words(text)))


def bilingual_text(text: str) -> str:
    """Every word's German and English stem (once when they agree): the SQLite
    counterpart of `to_tsvector('german', …) || to_tsvector('english', …)`, for texts
    whose language is not known."""
    out: list[str] = []
    for word in ALNUM.findall(text.lower()):
        out.extend(sorted(stems(word)))
    return " ".join(out)
