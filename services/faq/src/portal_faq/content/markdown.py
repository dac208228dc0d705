"""Article bodies: Markdown in, sanitised HTML and plain text out."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the Markdown is not rendered; nh3 then keeps only harmless tags, and
# links open safely whatever the author wrote.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}}


def render(body: str) -> str:
    return nh3.clean(
        _markdown.render(body),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(body_html: str) -> str:
    # Block ends become spaces so that words of adjacent paragraphs stay apart.
    spaced = re.sub(r"</(p|li|h\d|td|th|tr|pre|blockquote)>|<br\s*/?>", " ", body_html)
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return re.sub(r"\s+", " ", text).strip()
