"""Two-factor sign-in at the OpenID Connect provider: the sign-in page asks an enrolled
user for the code, `acr_values=urn:portal:acr:mfa` makes a session of one factor give
its second, and the id token and access tokens say how the user signed in."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from identity_harness import Identity
from mfa_harness import ACR_MFA, ACR_PASSWORD, Clock, enrol, wrong
from oauth_harness import REDIRECT_URI, OAuth, pkce, query_of, sign_in_form
from sqlalchemy import update

from portal_chassis.testing.tokens import claims_of
from portal_identity.mfa.models import MfaChallenge

pytestmark = pytest.mark.integration

STEP_UP = {"acr_values": ACR_MFA}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock.install(monkeypatch)


async def customer(identity: Identity, username: str) -> None:
    org = await identity.organization(f"Org of {username}")
    await identity.user(username, roles=["customer"], organization_id=org["id"])


async def submit_code(identity: Identity, page: httpx.Response, code: str) -> httpx.Response:
    action, hidden = sign_in_form(page.text)
    assert action == "/oauth/authorize/mfa" and hidden["mfa_token"]
    return await identity.client.post(action, data={**hidden, "code": code})


async def tokens(
    oauth: OAuth, client: dict[str, Any], answer: httpx.Response, verifier: str
) -> dict[str, Any]:
    assert answer.status_code == 302, answer.text
    code = query_of(answer.headers["location"])["code"]
    r = await oauth.exchange(client, code, verifier)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_the_sign_in_page_asks_an_enrolled_user_for_the_code(
    identity: Identity, oauth: OAuth, clock: Clock
) -> None:
    client = await oauth.register()
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")
    verifier, challenge = pkce()
    page = await oauth.sign_in(oauth.params(client, challenge), "anna")
    assert page.status_code == 200 and 'action="/oauth/authorize/mfa"' in page.text
    assert "Enter the 6-digit code from your authenticator app" in page.text
    assert "<script" not in page.text and page.headers["cache-control"] == "no-store"

    refused = await submit_code(identity, page, wrong(totp.at(clock.now)))
    assert refused.status_code == 401 and "This code is not valid" in refused.text
    answer = await submit_code(identity, refused, totp.at(clock.now))
    body = await tokens(oauth, client, answer, verifier)
    id_token = claims_of(body["id_token"])
    assert id_token["amr"] == ["pwd", "otp"] and id_token["acr"] == ACR_MFA
    access = claims_of(body["access_token"])
    assert access["amr"] == ["pwd", "otp"] and access["acr"] == ACR_MFA
    # The chain of refresh tokens keeps how the user signed in.
    r = await oauth.token(client, grant_type="refresh_token", refresh_token=body["refresh_token"])
    assert r.status_code == 200, r.text
    assert claims_of(r.json()["access_token"])["amr"] == ["pwd", "otp"]


async def test_the_second_step_speaks_german_and_expires(
    identity: Identity, oauth: OAuth, clock: Clock
) -> None:
    client = await oauth.register()
    await customer(identity, "anna")
    _, codes = await enrol(identity, clock, "anna")
    page = await oauth.sign_in(oauth.params(client, pkce()[1], ui_locales="de"), "anna")
    assert "Code eingeben" in page.text and 'lang="de"' in page.text
    async with identity.runtime.session_factory() as s:
        await s.execute(update(MfaChallenge).values(expires_at=MfaChallenge.created_at))
        await s.commit()
    late = await submit_code(identity, page, codes[0])
    assert late.status_code == 401
    assert "Ihre Anmeldung ist abgelaufen" in late.text and 'action="/oauth/authorize"' in late.text


async def test_a_password_sign_in_gives_one_factor_in_the_id_token(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    await customer(identity, "anna")
    verifier, challenge = pkce()
    answer = await oauth.sign_in(oauth.params(client, challenge), "anna")
    id_token = claims_of((await tokens(oauth, client, answer, verifier))["id_token"])
    assert id_token["amr"] == ["pwd"] and id_token["acr"] == ACR_PASSWORD


async def test_acr_values_make_a_session_of_one_factor_give_its_second(
    identity: Identity, oauth: OAuth, clock: Clock
) -> None:
    client = await oauth.register()
    await customer(identity, "anna")
    session = await identity.auth("anna")  # signed in before the factor was on
    totp, _ = await enrol(identity, clock, "anna")

    # Without acr_values the session is enough.
    plain = await identity.client.get(
        "/oauth/authorize", params=oauth.params(client, pkce()[1]), headers=session
    )
    assert plain.status_code == 302 and query_of(plain.headers["location"])["code"]
    # With them, the code of the app first.
    verifier, challenge = pkce()
    page = await identity.client.get(
        "/oauth/authorize", params=oauth.params(client, challenge, **STEP_UP), headers=session
    )
    assert page.status_code == 200 and 'action="/oauth/authorize/mfa"' in page.text
    answer = await submit_code(identity, page, totp.at(clock.now))
    id_token = claims_of((await tokens(oauth, client, answer, verifier))["id_token"])
    assert id_token["acr"] == ACR_MFA and id_token["amr"] == ["pwd", "otp"]

    # Without interaction allowed, the client hears so.
    r = await identity.client.get(
        "/oauth/authorize",
        params=oauth.params(client, pkce()[1], prompt="none", **STEP_UP),
        headers=session,
    )
    assert r.status_code == 302
    assert query_of(r.headers["location"])["error"] == "interaction_required"


async def test_a_session_of_two_factors_needs_no_second_step(
    identity: Identity, oauth: OAuth, clock: Clock
) -> None:
    client = await oauth.register()
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")
    mfa_token = (await identity.login("anna")).json()["mfa_token"]
    r = await identity.client.post(
        "/api/v1/auth/login/mfa", json={"mfa_token": mfa_token, "code": totp.at(clock.now)}
    )
    session = {"Authorization": f"Bearer {r.json()['access_token']}"}
    verifier, challenge = pkce()
    answer = await identity.client.get(
        "/oauth/authorize", params=oauth.params(client, challenge, **STEP_UP), headers=session
    )
    id_token = claims_of((await tokens(oauth, client, answer, verifier))["id_token"])
    assert id_token["acr"] == ACR_MFA


async def test_acr_values_refuse_a_user_without_a_second_factor(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    await customer(identity, "anna")
    session = await identity.auth("anna")
    r = await identity.client.get(
        "/oauth/authorize", params=oauth.params(client, pkce()[1], **STEP_UP), headers=session
    )
    assert r.status_code == 302 and r.headers["location"].startswith(REDIRECT_URI)
    answer = query_of(r.headers["location"])
    assert answer["error"] == "access_denied" and answer["state"] == "st-123"
    assert "code" not in answer
    # Through the sign-in page alike.
    r = await oauth.sign_in(oauth.params(client, pkce()[1], **STEP_UP), "anna")
    assert r.status_code == 302
    assert query_of(r.headers["location"])["error"] == "access_denied"


async def test_the_consent_page_carries_the_two_factors_to_the_code(
    identity: Identity, oauth: OAuth, clock: Clock
) -> None:
    client = await oauth.register(first_party=False)
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")
    verifier, challenge = pkce()
    page = await oauth.sign_in(oauth.params(client, challenge), "anna")
    consent = await submit_code(identity, page, totp.at(clock.now))
    assert consent.status_code == 200 and 'action="/oauth/consent"' in consent.text
    _, hidden = sign_in_form(consent.text)
    answer = await identity.client.post(
        "/oauth/consent", data={"ticket": hidden["ticket"], "decision": "allow"}
    )
    id_token = claims_of((await tokens(oauth, client, answer, verifier))["id_token"])
    assert id_token["amr"] == ["pwd", "otp"]


async def test_discovery_names_the_acr_values(identity: Identity) -> None:
    r = await identity.client.get("/.well-known/openid-configuration")
    assert r.json()["acr_values_supported"] == [ACR_PASSWORD, ACR_MFA]
    assert {"amr", "acr"} <= set(r.json()["claims_supported"])
