"""Mails from the Jinja2 templates: a text and an HTML part in the recipient's language
(or, for an automatic answer to someone unknown, in each language in turn)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from portal_notify.notification import texts

ANSWER_LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("portal_notify.mail", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(
    *,
    language: str,
    subject: str,
    name: str,
    intro: str,
    link: str,
    excerpt: str = "",
    ticket: bool = True,
    notes: Sequence[str] = (),
    footer: str | None = None,
    action: str | None = None,
) -> RenderedMail:
    """One mail in one language; `notes` are paragraphs after the intro, `footer` says
    why the recipient gets it (by default: their notification settings), `action` names
    the link's button (by default: open the ticket, or the link). Without a `link` the
    mail has no button."""
    words = texts.layout(language)
    values = {
        "language": texts.language_of(language),
        "subject": subject,
        "name": name,
        "intro": intro,
        "notes": list(notes),
        "excerpt": excerpt,
        "link": link,
        "action": action or (words["open_ticket"] if ticket else words["open_link"]),
        "words": words,
        "footer": footer or words["footer"],
    }
    return _both_parts("message", subject, values)


def render_answer(*, subject: str, portal_link: str, access_link: str) -> RenderedMail:
    """The automatic answer to an unknown sender: each language in turn, German first
    (the sender's language is not known)."""
    sections = [
        {"language": language, "words": texts.answer(language)} for language in ANSWER_LANGUAGES
    ]
    values = {
        "subject": subject,
        "sections": sections,
        "portal_link": portal_link,
        "access_link": access_link,
    }
    return _both_parts("answer", subject, values)


def _both_parts(template: str, subject: str, values: dict[str, Any]) -> RenderedMail:
    env = _environment()
    return RenderedMail(
        subject=subject,
        text=env.get_template(f"{template}.txt").render(values),
        html=env.get_template(f"{template}.html").render(values),
    )
