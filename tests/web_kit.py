"""What the end-to-end tests of the pages share: a browser of their own against the
all-in-one portal (its own cookie jar), signing in through the sign-in page, and the
CSRF token every form of the portal carries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from portal_harness import ADMIN_PASSWORD, PASSWORD, Portal


@asynccontextmanager
async def browser(
    world: Portal, username: str | None = None, *, lang: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser of its own, signed in as `username` (nobody when None); `lang` is the
    language it asks for (none: the portal's default)."""
    transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)
    headers = {"Accept-Language": lang} if lang else None
    async with httpx.AsyncClient(
        transport=transport, base_url="http://portal", headers=headers
    ) as client:
        if username is not None:
            await sign_in(client, username)
        yield client


async def sign_in(
    client: httpx.AsyncClient,
    username: str,
    password: str | None = None,
    *,
    remember: bool = False,
) -> httpx.Response:
    """Signs in on the sign-in page (the bootstrap admin with its own password); the
    answer is the redirect to the start page."""
    page = await client.get("/login")
    assert page.status_code == 200 and "csrf_token" in page.text
    form = {
        "username": username,
        "password": password or (ADMIN_PASSWORD if username == "admin" else PASSWORD),
        "csrf_token": csrf(client),
        "next": "/",
    }
    if remember:
        form["remember_me"] = "1"
    r = await client.post("/login", data=form)
    assert r.status_code == 303, r.text
    return r


def csrf(client: httpx.AsyncClient) -> str:
    """The token the portal's forms carry (the double-submit cookie's value)."""
    return client.cookies["portal_csrf"]
