"""The header's language switch keeps the page as it is: its filters and prefilled form
fields stay in the address, only the language changes."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from portal_gateway.web.i18n import language_link


def _request(query: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/tickets/new",
            "query_string": query.encode(),
            "headers": [],
        }
    )


def test_the_query_stays_and_only_the_language_changes() -> None:
    link = language_link(_request("asset=GX%2F7&template=abc&lang=en"), "de")
    assert link.startswith("?")
    assert parse_qsl(link[1:]) == [("asset", "GX/7"), ("template", "abc"), ("lang", "de")]


def test_repeated_filters_are_kept() -> None:
    link = language_link(_request("status=open&status=new"), "en")
    assert parse_qsl(link[1:]) == [("status", "open"), ("status", "new"), ("lang", "en")]
