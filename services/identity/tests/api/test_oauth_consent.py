"""Consent: users of a client that is not first-party are asked once per client and scope
set (in their language), may deny, and a token issued to a client is limited to the
scopes it was granted."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from identity_harness import Identity
from oauth_harness import REDIRECT_URI, OAuth, pkce, query_of

from portal_chassis.testing.tokens import claims_of

pytestmark = pytest.mark.integration


class _Consent(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.ticket: str | None = None
        self.scopes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action")
        if tag == "input" and a.get("name") == "ticket":
            self.ticket = a.get("value")
        if tag == "li" and a.get("data-scope"):
            self.scopes.append(a["data-scope"] or "")


def consent_form(html: str) -> _Consent:
    parser = _Consent()
    parser.feed(html)
    return parser


async def _consent_page(
    oauth: OAuth, client: dict[str, Any], username: str, **params: str
) -> httpx.Response:
    r = await oauth.sign_in(oauth.params(client, pkce()[1], **params), username)
    assert r.status_code == 200, r.text
    assert 'action="/oauth/consent"' in r.text
    return r


async def _answer(identity: Identity, page: httpx.Response, decision: str) -> httpx.Response:
    form = consent_form(page.text)
    assert form.action == "/oauth/consent" and form.ticket
    return await identity.client.post(
        "/oauth/consent", data={"ticket": form.ticket, "decision": decision}
    )


async def test_a_third_party_client_asks_once_and_again_only_for_more(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register(first_party=False, scope="openid profile tickets:read")
    await identity.user("dora", roles=["agent"])
    page = await _consent_page(oauth, client, "dora", scope="openid tickets:read")
    assert "Team Wiki" in page.text and "Allow access?" in page.text
    assert consent_form(page.text).scopes == ["openid", "tickets:read"]
    assert "read your tickets" in page.text
    assert page.headers["cache-control"] == "no-store" and "<script" not in page.text

    allowed = await _answer(identity, page, "allow")
    assert allowed.status_code == 302, allowed.text
    answer = query_of(allowed.headers["location"])
    assert allowed.headers["location"].startswith(REDIRECT_URI)
    assert answer["code"] and answer["state"] == "st-123"

    # The same scopes (or fewer) again: no question, the code at once.
    again = await oauth.sign_in(oauth.params(client, pkce()[1], scope="openid"), "dora")
    assert again.status_code == 302 and query_of(again.headers["location"])["code"]
    # More than was allowed: asked again, for everything the client now wants.
    more = await _consent_page(oauth, client, "dora", scope="openid profile tickets:read")
    assert consent_form(more.text).scopes == ["openid", "profile", "tickets:read"]


async def test_the_consent_is_remembered_per_user(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register(first_party=False)
    await identity.user("dora", roles=["agent"])
    await identity.user("emil", roles=["agent"])
    page = await _consent_page(oauth, client, "dora")
    assert (await _answer(identity, page, "allow")).status_code == 302
    await _consent_page(oauth, client, "emil")


async def test_deny_sends_access_denied_to_the_client(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register(first_party=False)
    await identity.user("dora", roles=["agent"])
    page = await _consent_page(oauth, client, "dora")
    denied = await _answer(identity, page, "deny")
    assert denied.status_code == 302
    assert denied.headers["location"].startswith(REDIRECT_URI)
    answer = query_of(denied.headers["location"])
    assert answer["error"] == "access_denied" and answer["state"] == "st-123"
    assert "code" not in answer
    # Nothing was remembered: the next sign-in asks again.
    await _consent_page(oauth, client, "dora")


async def test_a_consent_answers_once(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register(first_party=False)
    await identity.user("dora", roles=["agent"])
    page = await _consent_page(oauth, client, "dora")
    assert (await _answer(identity, page, "allow")).status_code == 302
    replay = await _answer(identity, page, "allow")
    assert replay.status_code == 400 and "location" not in replay.headers
    forged = await identity.client.post(
        "/oauth/consent", data={"ticket": "x" * 43, "decision": "allow"}
    )
    assert forged.status_code == 400 and "location" not in forged.headers


async def test_the_consent_page_speaks_german_to_a_german_user(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register(first_party=False, scope="openid email tickets:write")
    await identity.user("dora", roles=["agent"])
    r = await identity.client.patch(
        "/api/v1/me", json={"language": "de"}, headers=await identity.auth("dora")
    )
    assert r.status_code == 200, r.text
    page = await _consent_page(oauth, client, "dora", scope="openid email tickets:write")
    assert '<html lang="de">' in page.text
    assert "Zugriff erlauben?" in page.text and "Ihre E-Mail-Adresse lesen" in page.text
    assert "für Sie Tickets eröffnen" in page.text
    assert ">Erlauben</button>" in page.text and ">Ablehnen</button>" in page.text
    # The client may ask for a language (ui_locales); it wins over the profile.
    english = await _consent_page(oauth, client, "dora", ui_locales="en")
    assert '<html lang="en">' in english.text and "Allow access?" in english.text


async def test_prompt_none_without_consent_is_consent_required(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register(first_party=False)
    await identity.user("dora", roles=["agent"])
    r = await identity.client.get(
        "/oauth/authorize",
        params=oauth.params(client, pkce()[1], prompt="none"),
        headers=await identity.auth("dora"),
    )
    assert r.status_code == 302
    answer = query_of(r.headers["location"])
    assert answer["error"] == "consent_required" and "code" not in answer


async def test_a_first_party_client_never_asks(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register(first_party=True)
    await identity.user("dora", roles=["agent"])
    r = await oauth.sign_in(oauth.params(client, pkce()[1]), "dora")
    assert r.status_code == 302 and query_of(r.headers["location"])["code"]


async def _token(identity: Identity, oauth: OAuth, scope: str) -> str:
    """An access token of a (first-party) client for dora, with exactly `scope`."""
    client = await oauth.register(scope=scope)
    verifier, challenge = pkce()
    r = await oauth.sign_in(oauth.params(client, challenge, scope=scope), "dora")
    assert r.status_code == 302, r.text
    code = query_of(r.headers["location"])["code"]
    answer = await oauth.exchange(client, code, verifier)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


async def test_an_openid_token_reads_userinfo_but_cannot_change_the_profile(
    identity: Identity, oauth: OAuth
) -> None:
    user = await identity.user("dora", roles=["agent"])
    token = await _token(identity, oauth, "openid")
    claims = claims_of(token)
    assert claims["scope"] == "openid" and claims["client_id"]
    headers = {"Authorization": f"Bearer {token}"}
    info = await identity.client.get("/oauth/userinfo", headers=headers)
    assert info.status_code == 200 and info.json() == {"sub": user["id"]}
    r = await identity.client.patch("/api/v1/me", json={"display_name": "X"}, headers=headers)
    assert r.status_code == 403, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/insufficient-scope")
    assert r.json()["scope"] == "profile:write"
    assert (await identity.client.get("/api/v1/me", headers=headers)).status_code == 403


async def test_admin_endpoints_need_the_admin_scope(identity: Identity, oauth: OAuth) -> None:
    await identity.user("dora", roles=["admin"])
    headers = {"Authorization": f"Bearer {await _token(identity, oauth, 'openid profile:write')}"}
    for path in (
        "/api/v1/admin/users",
        "/api/v1/admin/oauth-clients",
        "/api/v1/admin/signing-keys",
    ):
        r = await identity.client.get(path, headers=headers)
        assert r.status_code == 403 and r.json()["scope"] == "admin", path
    admin = {"Authorization": f"Bearer {await _token(identity, oauth, 'openid admin')}"}
    assert (await identity.client.get("/api/v1/admin/users", headers=admin)).status_code == 200
    # The public key set stays public, whatever the token.
    assert (await identity.client.get("/.well-known/jwks.json", headers=headers)).status_code == 200


async def test_userinfo_needs_openid(identity: Identity, oauth: OAuth) -> None:
    await identity.user("dora", roles=["agent"])
    token = await _token(identity, oauth, "profile:read")
    r = await identity.client.get("/oauth/userinfo", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403 and r.json()["scope"] == "openid"


async def test_the_portals_own_sign_in_is_not_limited_by_scopes(identity: Identity) -> None:
    await identity.user("dora", roles=["agent"])
    login = await identity.login("dora")
    assert "scope" not in claims_of(login.json()["access_token"])
    headers = await identity.auth("dora")
    r = await identity.client.patch("/api/v1/me", json={"display_name": "Dora"}, headers=headers)
    assert r.status_code == 200, r.text
    info = await identity.client.get("/oauth/userinfo", headers=headers)
    assert info.status_code == 200 and info.json()["preferred_username"] == "dora"


async def test_a_clients_token_is_no_sign_in_at_the_authorization_endpoint(
    identity: Identity, oauth: OAuth
) -> None:
    """Otherwise a client with a narrow token could fetch codes for another client."""
    await identity.user("dora", roles=["agent"])
    token = await _token(identity, oauth, "openid")
    other = await oauth.register(name="Other", scope="openid admin")
    r = await identity.client.get(
        "/oauth/authorize",
        params=oauth.params(other, pkce()[1], scope="openid admin"),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200 and 'name="password"' in r.text
    assert "location" not in r.headers


async def test_clients_are_registered_first_party_or_not(identity: Identity, oauth: OAuth) -> None:
    await oauth.register(name="Ours", first_party=True, scope="openid tickets:read")
    theirs = await identity.client.post(
        "/api/v1/admin/oauth-clients",
        json={"name": "Theirs", "redirect_uris": [REDIRECT_URI]},
        headers=await identity.admin(),
    )
    assert theirs.status_code == 201
    created = theirs.json()
    assert created["first_party"] is False and created["scope"] == "openid profile email"
    listed = await identity.client.get(
        "/api/v1/admin/oauth-clients", headers=await identity.admin()
    )
    flags = {c["name"]: (c["first_party"], c["scope"]) for c in listed.json()["items"]}
    assert flags == {
        "Ours": (True, "openid tickets:read"),
        "Theirs": (False, "openid profile email"),
    }
