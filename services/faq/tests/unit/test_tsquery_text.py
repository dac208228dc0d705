"""The PostgreSQL ranking's tsquery text, composed from the lexemes the database gave
(pure functions): no operand twice, none a prefix already covers, stop words left out."""

from __future__ import annotations

from portal_faq.search.backends import Queries, _either
from portal_faq.search.query import Group, Plan


def test_repeated_and_covered_operands_are_left_out() -> None:
    forms = ["'druck'", "'drucken'", "'druck':*", "'drucken':*", "", "'druck'"]
    assert _either(forms) == "'druck':*"


def test_a_lexeme_a_prefix_does_not_cover_is_kept() -> None:
    assert _either(["'ab':*", "'abc'", "'xyz'"]) == "'ab':* | 'xyz'"
    assert _either(["'head' & 'tail'", "'head'"]) == "'head' | ( 'head' & 'tail' )"


def test_nothing_but_stop_words_matches_nothing() -> None:
    assert _either(["", ""]) == ""


def test_stop_words_are_not_required_and_alternatives_count_apart() -> None:
    plan = Plan(
        [
            Group("printer", alternatives=["printers"], prefix=True),
            Group("from"),
            Group("varoxa", prefix=True),
        ]
    )
    lexemes = {
        ("printer", True): [("'printer'", "'printer':*"), ("'printer'", "'printer':*")],
        ("printers", True): [("'printers'", "'printers':*"), ("'printer'", "'printer':*")],
        ("from", False): [("'from'", None), ("", None)],  # an English stop word
        ("varoxa", True): [("'varoxa'", "'varoxa':*"), ("'varoxa'", "'varoxa':*")],
    }
    queries = Queries(plan, lexemes)
    assert queries.every == "( 'printer':* ) & ( 'varoxa':* )"
    assert queries.some == "'from' | 'printer':* | 'varoxa':*"
    assert queries.optional  # "from" is not required, so matches differ in coverage
    assert queries.words == ["'printer':*", "'from'", "'varoxa':*"]
    assert queries.alternatives == ["'printer':*", None, None]
