"""The authorization endpoint: PKCE, redirect URIs, the sign-in form and its rules."""

from __future__ import annotations

import pytest
from identity_harness import Identity
from oauth_harness import REDIRECT_URI, OAuth, pkce, query_of

from portal_identity.sessions.service import BAD_CREDENTIALS

pytestmark = pytest.mark.integration


async def test_a_signed_in_caller_gets_the_code_without_the_form(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    _, challenge = pkce()
    r = await identity.client.get(
        "/oauth/authorize",
        params=oauth.params(client, challenge),
        headers=await identity.auth("dora"),
    )
    assert r.status_code == 302, r.text
    assert r.headers["location"].startswith(REDIRECT_URI + "?")
    answer = query_of(r.headers["location"])
    assert answer["state"] == "st-123" and answer["code"]


async def test_without_a_session_the_sign_in_form_is_shown(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    _, challenge = pkce()
    r = await identity.client.get("/oauth/authorize", params=oauth.params(client, challenge))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "<script" not in r.text
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "pkce_params",
    [
        {"code_challenge": "", "code_challenge_method": ""},
        {"code_challenge_method": "plain"},
        {"code_challenge_method": ""},
    ],
    ids=["missing", "plain", "method-missing"],
)
async def test_pkce_missing_or_plain_is_refused(
    identity: Identity, oauth: OAuth, pkce_params: dict[str, str]
) -> None:
    client = await oauth.register()
    _, challenge = pkce()
    params = {k: v for k, v in {**oauth.params(client, challenge), **pkce_params}.items() if v}
    r = await identity.client.get("/oauth/authorize", params=params)
    assert r.status_code == 302
    answer = query_of(r.headers["location"])
    assert answer["error"] == "invalid_request" and "code" not in answer
    assert answer["state"] == "st-123"


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_unknown_redirect_uri_gets_an_error_page_never_a_redirect(
    identity: Identity, oauth: OAuth, method: str
) -> None:
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    _, challenge = pkce()
    params = oauth.params(client, challenge, redirect_uri="https://evil.example/steal")
    if method == "GET":
        r = await identity.client.get(
            "/oauth/authorize", params=params, headers=await identity.auth("dora")
        )
    else:
        r = await identity.client.post(
            "/oauth/authorize", data={**params, "username": "dora", "password": "x" * 12}
        )
    assert r.status_code == 400
    assert "location" not in r.headers


async def test_an_unknown_client_gets_an_error_page(identity: Identity, oauth: OAuth) -> None:
    _, challenge = pkce()
    params = oauth.params({"client_id": "nobody"}, challenge)
    r = await identity.client.get("/oauth/authorize", params=params)
    assert r.status_code == 400 and "location" not in r.headers


async def test_wrong_password_reads_like_an_unknown_user_and_gives_no_code(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    wrong = await oauth.sign_in(oauth.params(client, pkce()[1]), "dora", "wrong-password-1")
    unknown = await oauth.sign_in(oauth.params(client, pkce()[1]), "nobody", "wrong-password-1")
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert "location" not in r.headers
        assert BAD_CREDENTIALS in r.text
    # The form comes back filled in with the OAuth parameters, ready for another try.
    assert 'name="code_challenge"' in wrong.text


async def test_failed_sign_ins_on_the_form_are_throttled(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    for _ in range(5):
        r = await oauth.sign_in(oauth.params(client, pkce()[1]), "dora", "wrong-password-1")
        assert r.status_code == 401
    r = await oauth.sign_in(oauth.params(client, pkce()[1]), "dora")
    assert r.status_code == 429 and "location" not in r.headers
    assert int(r.headers["retry-after"]) > 0


async def test_the_client_name_is_html_escaped(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register(name='<script>alert("x")</script>')
    r = await identity.client.get("/oauth/authorize", params=oauth.params(client, pkce()[1]))
    assert r.status_code == 200
    assert "<script>" not in r.text
    assert "&lt;script&gt;" in r.text


async def test_the_form_signs_in_and_redirects_with_code_and_state(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    r = await oauth.sign_in(oauth.params(client, pkce()[1]), "dora")
    assert r.status_code == 302
    answer = query_of(r.headers["location"])
    assert answer["code"] and answer["state"] == "st-123"
