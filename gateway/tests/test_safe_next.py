"""Where a sign-in may lead afterwards: a path of this site, nothing else."""

from __future__ import annotations

import pytest

from portal_gateway.web.home.routes import safe_next


@pytest.mark.parametrize(
    "value", ["/tickets", "/tickets/T1?tab=files", "/faq?q=Drucker%20offline", "/über"]
)
def test_a_path_of_this_site_is_kept(value: str) -> None:
    assert safe_next(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",  # browsers drop the tab: "//evil.example"
        "/\n/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        "/\x00/evil.example",
        "tickets",
    ],
)
def test_anything_else_leads_home(value: str | None) -> None:
    assert safe_next(value) == "/"
