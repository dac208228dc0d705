"""Article text and search text (pure functions, no I/O): Markdown is rendered without
anything active, plain text keeps words apart, snippets mark what was searched for."""

from __future__ import annotations

from portal_faq.content.markdown import plain_text, render
from portal_faq.search.service import decode_offset, encode_offset
from portal_faq.search.text import similarity, trigrams


def test_markdown_keeps_formatting_and_drops_scripts_and_raw_html() -> None:
    html = render("# Reset\n\n<script>alert(1)</script>[x](javascript:alert(1)) **bold**")
    assert "<h1>Reset</h1>" in html and "<strong>bold</strong>" in html
    assert "<script>" not in html and 'href="javascript' not in html


def test_plain_text_keeps_the_words_of_adjacent_blocks_apart() -> None:
    assert plain_text(render("one\n\ntwo\n\n- three")) == "one two three"


def test_similar_words_score_high_and_different_ones_low() -> None:
    assert trigrams("abc")
    assert similarity("password", "pasword") > 0.5 > similarity("password", "invoice")


def test_a_cursor_is_opaque_and_round_trips() -> None:
    assert decode_offset(encode_offset(40)) == 40
    assert decode_offset(None) == 0
