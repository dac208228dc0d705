"""Mails from the Jinja2 templates: a text and an HTML part in the recipient's language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from portal_notify.notification import texts


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
) -> RenderedMail:
    words = texts.layout(language)
    values = {
        "language": texts.language_of(language),
        "subject": subject,
        "name": name,
        "intro": intro,
        "excerpt": excerpt,
        "link": link,
        "action": words["open_ticket"] if ticket else words["open_link"],
        "words": words,
    }
    env = _environment()
    return RenderedMail(
        subject=subject,
        text=env.get_template("message.txt").render(values),
        html=env.get_template("message.html").render(values),
    )
