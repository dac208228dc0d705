"""From what a person typed to what the index is asked: words, their corrections and
compound parts (the alternatives of each word), and whether the last one is a prefix."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from portal_faq.search.text import STEMMERS, stem, words

MAX_WORDS = 8
MIN_SIMILARITY = 0.3  # pg_trgm's own default; a letter swap in a short word scores ~0.38
COMPOUND_MIN = 8  # shorter words are rarely compounds worth splitting
PART_MIN = 3
PREFIX_MIN = 5


@dataclass
class Group:
    """One typed word and the words that may stand for it."""

    word: str
    alternatives: list[str] = field(default_factory=list)
    prefix: bool = False
    # Whether the articles contain it (as typed, by stem, as a prefix or through an
    # alternative); a word that occurs nowhere is not required of a match.
    occurs: bool = True

    @property
    def all(self) -> list[str]:
        return [self.word, *self.alternatives]

    def stems(self) -> set[str]:
        return {stem(w, lang) for a in self.all for w in a.split() for lang in STEMMERS}


@dataclass
class Plan:
    groups: list[Group]

    def stems(self) -> set[str]:
        return set().union(*(g.stems() for g in self.groups)) if self.groups else set()

    def prefixes(self) -> tuple[str, ...]:
        return tuple(w for g in self.groups if g.prefix for w in g.all if len(w) >= 2)


Known = Callable[[Iterable[str]], Awaitable[set[str]]]
Similar = Callable[[str], Awaitable[list[tuple[str, float]]]]


def _splits(word: str) -> list[tuple[str, str]]:
    """Ways to read a German compound as two words, with or without a linking s."""
    out = []
    for i in range(PART_MIN, len(word) - PART_MIN + 1):
        head, tail = word[:i], word[i:]
        out.append((head, tail))
        if head.endswith("s") and len(head) > PART_MIN:
            out.append((head[:-1], tail))
    return out


async def plan(text: str, *, known: Known, similar: Similar, prefix_last: bool) -> Plan:
    typed = [w for w in dict.fromkeys(words(text)) if len(w) >= 2][:MAX_WORDS]
    compounds = {w: _splits(w) for w in typed if len(w) >= COMPOUND_MIN}
    candidates = set(typed) | {p for splits in compounds.values() for s in splits for p in s}
    # A word counts as known when it or one of its stems occurs in the articles.
    stemmed = {w: {stem(w, language) for language in STEMMERS} for w in typed}
    vocabulary = await known(candidates | set().union(*stemmed.values()))
    groups = []
    for index, word in enumerate(typed):
        # Longer words also match as prefixes: German compounds start with their head
        # ("Drucker" finds "Druckertreiber").
        last = prefix_last and index == len(typed) - 1
        group = Group(word, prefix=last or len(word) >= PREFIX_MIN)
        unknown = word not in vocabulary and not stemmed[word] & vocabulary
        # A word still being typed is matched as a prefix, not corrected.
        if unknown and not last and len(word) >= 4 and not word.isdigit():
            group.alternatives += [w for w, score in await similar(word) if score >= MIN_SIMILARITY]
        for head, tail in compounds.get(word, []):
            if head in vocabulary and tail in vocabulary:
                # Both parts must occur: "head tail" is one alternative, matched as AND.
                group.alternatives.append(f"{head} {tail}")
                break
        group.occurs = not unknown or last or bool(group.alternatives)
        groups.append(group)
    return Plan(groups)
