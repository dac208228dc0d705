"""A person without an account asks for access on the sign-in page: confirms the address
through the mailed link, and vendor staff (or the customer admin of the organization the
address's domain matched) approve, creating the invited user, or reject."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from identity_harness import PUBLIC_URL, Identity, identity_settings
from sqlalchemy import func, select, update

from portal_identity.access_requests.models import AccessRequest
from portal_identity.access_requests.sign_in import MIN_SECONDS
from portal_identity.module import module

pytestmark = pytest.mark.integration

ASK = "/api/v1/auth/access-requests"
CONFIRM = "/api/v1/auth/access-requests/confirm"
FORM = {
    "name": "Jana Nováková",
    "company": "Acme Robotics",
    "email": "jana.novakova@acme.example",
    "phone": "+49 30 1234-56",
    "function": "Maintenance lead",
    "reason": "I look after our three presses and want to open tickets myself.",
    "language": "de",
}


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def ask(identity: Identity, address: str = "203.0.113.1", **changes: Any) -> httpx.Response:
    return await identity.client.post(ASK, json={**FORM, **changes}, headers=_from(address))


async def token_of(identity: Identity, email: str) -> str:
    """The token in the newest confirmation link mailed to `email`."""
    events = await identity.events("identity.access_request.confirmation_requested")
    link = next(e["data"]["link"] for e in reversed(events) if e["data"]["email"] == email)
    assert link.startswith(f"{PUBLIC_URL}/access/confirm?token=")
    return parse_qs(urlsplit(link).query)["token"][0]


async def asked_and_confirmed(identity: Identity, **changes: Any) -> dict[str, Any]:
    """A confirmed request: the `submitted` event's data."""
    assert (await ask(identity, **changes)).status_code == 202
    email = changes.get("email", FORM["email"])
    r = await identity.client.post(CONFIRM, json={"token": await token_of(identity, email)})
    assert r.status_code == 200 and r.json() == {"state": "pending"}, r.text
    submitted = await identity.events("identity.access_request.submitted")
    return next(e["data"] for e in reversed(submitted) if e["data"]["email"] == email)


async def stored(identity: Identity) -> int:
    async with identity.runtime.session_factory() as s:
        return int(await s.scalar(select(func.count()).select_from(AccessRequest)) or 0)


async def test_from_request_to_invited_user(identity: Identity) -> None:
    acme = await identity.organization("Acme", email_domains=["acme.example"])
    await identity.user("erik", roles=["agent"])
    erik = await identity.auth("erik")

    r = await ask(identity)
    assert r.status_code == 202 and r.json()["detail"].startswith("Thank you.")
    [asked] = await identity.events("identity.access_request.confirmation_requested")
    assert asked["data"]["email"] == FORM["email"] and asked["data"]["language"] == "de"
    assert asked["data"]["name"] == "Jana Nováková"
    # Nobody decides on an address nobody confirmed.
    listed = await identity.client.get("/api/v1/access-requests", headers=erik)
    assert listed.json()["items"] == []

    submitted = await asked_and_confirmed(identity)
    assert submitted["organization_id"] == acme["id"]
    assert submitted["company"] == "Acme Robotics" and submitted["phone"] == "+49 30 1234-56"
    assert submitted["function"] == "Maintenance lead" and submitted["language"] == "de"
    assert submitted["reason"].startswith("I look after our three presses")

    [item] = (await identity.client.get("/api/v1/access-requests", headers=erik)).json()["items"]
    assert item["origin"] == "sign_in" and item["state"] == "pending"
    assert item["organization_id"] == acme["id"] and item["requested_by"] is None
    assert item["display_name"] == "Jana Nováková" and item["company"] == "Acme Robotics"
    assert item["note"] == FORM["reason"] and item["username"] == ""
    assert item["suggested_username"] == "jananovakova"

    r = await identity.client.post(
        f"/api/v1/access-requests/{item['id']}/approve",
        json={"organization_id": acme["id"], "roles": ["customer_admin"], "username": "jnovak"},
        headers=erik,
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "approved" and r.json()["username"] == "jnovak"
    invited = (await identity.events("identity.user.invited"))[-1]["data"]
    assert invited["username"] == "jnovak" and invited["email"] == FORM["email"]
    assert invited["language"] == "de" and invited["link"].startswith(PUBLIC_URL)
    users = await identity.client.get(
        "/api/v1/admin/users?limit=200", headers=await identity.admin()
    )
    jana = next(u for u in users.json()["items"] if u["username"] == "jnovak")
    assert jana["organization"]["id"] == acme["id"] and jana["roles"] == ["customer_admin"]
    assert jana["display_name"] == "Jana Nováková" and jana["language"] == "de"
    [approved] = await identity.events("identity.access_request.approved")
    assert approved["data"]["user_id"] == jana["id"] and approved["data"]["origin"] == "sign_in"
    assert approved["data"]["roles"] == ["customer_admin"]
    # Decided once: again is a conflict, and the address may ask anew (not while pending).
    again = await identity.client.post(
        f"/api/v1/access-requests/{item['id']}/approve", headers=erik
    )
    assert again.status_code == 409


async def test_defaults_match_the_domain_customer_role_and_a_free_name(
    identity: Identity,
) -> None:
    acme = await identity.organization("Acme", email_domains=["acme.example"])
    admin = await identity.admin()
    await identity.user("jananovakova", roles=["customer"], organization_id=acme["id"])
    await asked_and_confirmed(identity)
    [item] = (await identity.client.get("/api/v1/access-requests", headers=admin)).json()["items"]
    assert item["suggested_username"] == "jananovakova2"

    r = await identity.client.post(f"/api/v1/access-requests/{item['id']}/approve", headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["username"] == "jananovakova2" and r.json()["role"] == "customer"
    users = await identity.client.get("/api/v1/admin/users?limit=200", headers=admin)
    made = next(u for u in users.json()["items"] if u["username"] == "jananovakova2")
    assert made["organization"]["id"] == acme["id"] and made["roles"] == ["customer"]


async def test_an_unmatched_request_needs_an_organization_and_a_free_name(
    identity: Identity,
) -> None:
    globex = await identity.organization("Globex")
    await identity.user("taken", roles=["customer"], organization_id=globex["id"])
    admin = await identity.admin()
    submitted = await asked_and_confirmed(identity, email="jana@elsewhere.example")
    assert submitted["organization_id"] is None
    path = f"/api/v1/access-requests/{submitted['request_id']}/approve"

    r = await identity.client.post(path, headers=admin)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["organization_id"]
    r = await identity.client.post(
        path, json={"organization_id": globex["id"], "username": "taken"}, headers=admin
    )
    assert r.status_code == 409
    r = await identity.client.post(
        path, json={"organization_id": globex["id"], "roles": ["agent"]}, headers=admin
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "roles"
    r = await identity.client.post(path, json={"organization_id": globex["id"]}, headers=admin)
    assert r.status_code == 200 and r.json()["organization_id"] == globex["id"]


async def test_rejection_tells_the_person_and_creates_nobody(identity: Identity) -> None:
    await identity.organization("Acme", email_domains=["acme.example"])
    admin = await identity.admin()
    submitted = await asked_and_confirmed(identity, language="en")
    r = await identity.client.post(
        f"/api/v1/access-requests/{submitted['request_id']}/reject",
        json={"reason": "Please ask your IT department."},
        headers=admin,
    )
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    [rejected] = await identity.events("identity.access_request.rejected")
    assert rejected["data"] == {
        "request_id": submitted["request_id"],
        "origin": "sign_in",
        "email": FORM["email"],
        "name": FORM["name"],
        "language": "en",
        "reason": "Please ask your IT department.",
        "decided_by": rejected["data"]["decided_by"],
    }
    assert await identity.events("identity.user.invited") == []
    # Rejected, the address may ask again.
    assert (await ask(identity, address="203.0.113.2")).status_code == 202
    assert len(await identity.events("identity.access_request.confirmation_requested")) == 2


async def test_the_answer_tells_nothing_about_accounts_or_requests(identity: Identity) -> None:
    acme = await identity.organization("Acme", email_domains=["acme.example"])
    await identity.user(
        "owner", roles=["customer"], organization_id=acme["id"]
    )  # owner@example.com
    await ask(identity, address="203.0.113.50", email="pending@acme.example")
    r = await identity.client.post(
        CONFIRM, json={"token": await token_of(identity, "pending@acme.example")}
    )
    assert r.status_code == 200
    for n in range(3):  # the address's mails for the day
        await ask(identity, address=f"203.0.113.6{n}", email="often@acme.example")
    before = {
        kind: len(await identity.events(f"identity.access_request.{kind}"))
        for kind in ("confirmation_requested", "account_exists")
    }
    rows_before = await stored(identity)

    async def answer(address: str, **changes: Any) -> tuple[int, dict[str, Any], float]:
        started = time.perf_counter()
        r = await ask(identity, address=address, **changes)
        return r.status_code, r.json(), time.perf_counter() - started

    answers = [
        await answer("203.0.113.71", email="nobody@acme.example"),
        await answer("203.0.113.72", email="Owner@Example.com"),
        await answer("203.0.113.73", email="robot@acme.example", website="http://spam.example"),
        await answer("203.0.113.74", email="often@acme.example"),
        await answer("203.0.113.75", email="pending@acme.example"),
    ]
    assert len({(status, str(body)) for status, body, _ in answers}) == 1, answers
    assert answers[0][0] == 202
    assert min(seconds for *_, seconds in answers) >= 0.95 * MIN_SECONDS

    # Only the unknown address got a confirmation link; the owner heard of the account.
    confirmations = await identity.events("identity.access_request.confirmation_requested")
    assert [e["data"]["email"] for e in confirmations[before["confirmation_requested"] :]] == [
        "nobody@acme.example"
    ]
    [exists] = (await identity.events("identity.access_request.account_exists"))[
        before["account_exists"] :
    ]
    assert exists["data"]["email"] == "owner@example.com"
    assert exists["data"]["usernames"] == ["owner"]
    assert exists["data"]["link"] == f"{PUBLIC_URL}/password/forgot"
    assert await stored(identity) == rows_before + 1  # nothing for the account, robot, repeat


async def test_asking_again_sends_a_new_link_while_unconfirmed_nothing_while_pending(
    identity: Identity,
) -> None:
    await ask(identity, address="203.0.113.81")
    first = await token_of(identity, FORM["email"])
    await ask(identity, address="203.0.113.82", company="Acme Robotics GmbH")
    second = await token_of(identity, FORM["email"])
    assert first != second and await stored(identity) == 1
    # The newest link counts; the older one no longer works.
    r = await identity.client.post(CONFIRM, json={"token": first})
    assert r.status_code == 422
    r = await identity.client.post(CONFIRM, json={"token": second})
    assert r.status_code == 200
    [submitted] = await identity.events("identity.access_request.submitted")
    assert submitted["data"]["company"] == "Acme Robotics GmbH"

    sent = len(await identity.events("identity.access_request.confirmation_requested"))
    assert (await ask(identity, address="203.0.113.83")).status_code == 202
    assert len(await identity.events("identity.access_request.confirmation_requested")) == sent
    assert await stored(identity) == 1


async def test_a_confirmation_link_works_once_and_not_after_a_day(identity: Identity) -> None:
    await ask(identity, address="203.0.113.91")
    token = await token_of(identity, FORM["email"])
    assert (await identity.client.post(CONFIRM, json={"token": token})).status_code == 200
    used = await identity.client.post(CONFIRM, json={"token": token})
    assert used.status_code == 422
    assert used.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in used.json()["errors"]] == [("token", "link_invalid")]
    assert len(await identity.events("identity.access_request.submitted")) == 1

    await ask(identity, address="203.0.113.92", email="late@acme.example")
    late = await token_of(identity, "late@acme.example")
    async with identity.runtime.session_factory() as s:
        await s.execute(
            update(AccessRequest)
            .where(AccessRequest.email == "late@acme.example")
            .values(confirmation_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await s.commit()
    expired = await identity.client.post(CONFIRM, json={"token": late})
    assert expired.status_code == 422 and expired.json()["errors"][0]["field"] == "token"
    nonsense = await identity.client.post(CONFIRM, json={"token": "not-a-token"})
    assert nonsense.status_code == 422 and nonsense.json()["errors"][0]["field"] == "token"


async def test_malformed_input_gets_field_errors(identity: Identity) -> None:
    r = await identity.client.post(
        ASK,
        json={**FORM, "name": "", "email": "not-an-address", "phone": "call me", "language": "fr"},
        headers=_from("203.0.113.99"),
    )
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in r.json()["errors"]} == {"name", "email", "phone", "language"}
    r = await identity.client.post(ASK, json={"email": "x@acme.example"}, headers=_from("x"))
    assert {e["field"] for e in r.json()["errors"]} == {"name", "company", "reason"}


async def test_customer_admins_decide_what_their_domain_matched(identity: Identity) -> None:
    acme = await identity.organization("Acme", email_domains=["acme.example"])
    globex = await identity.organization("Globex", email_domains=["globex.example"])
    await identity.user("anna", roles=["customer_admin"], organization_id=acme["id"])
    await identity.user("carla", roles=["customer_admin"], organization_id=globex["id"])
    anna, carla = await identity.auth("anna"), await identity.auth("carla")
    # Anna's own request for a colleague is the vendor's to decide, not hers.
    colleague = await identity.client.post(
        "/api/v1/access-requests",
        json={"username": "newbie", "email": "newbie@acme.example"},
        headers=anna,
    )
    submitted = await asked_and_confirmed(identity)
    approve = f"/api/v1/access-requests/{submitted['request_id']}/approve"

    async def pending(headers: dict[str, str]) -> int:
        r = await identity.client.get("/api/v1/access-requests/pending-count", headers=headers)
        assert r.status_code == 200, r.text
        return int(r.json()["pending"])

    assert await pending(anna) == 1 and await pending(carla) == 0
    assert await pending(await identity.admin()) == 2
    seen = await identity.client.get("/api/v1/access-requests", headers=carla)
    assert seen.json()["items"] == []
    for path in (approve, approve.replace("approve", "reject")):
        r = await identity.client.post(path, json=None if "approve" in path else {}, headers=carla)
        assert r.status_code == 404, r.text
    r = await identity.client.post(
        f"/api/v1/access-requests/{colleague.json()['id']}/approve", headers=anna
    )
    assert r.status_code == 404

    r = await identity.client.post(approve, json={"organization_id": globex["id"]}, headers=anna)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "organization_id"
    r = await identity.client.post(approve, json={"roles": ["agent"]}, headers=anna)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "roles"
    r = await identity.client.post(approve, json={"roles": ["customer_admin"]}, headers=anna)
    assert r.status_code == 200 and r.json()["organization_id"] == acme["id"], r.text
    assert await pending(anna) == 0


@pytest.fixture(params=["memory", "redis"])
async def limited(
    request: pytest.FixtureRequest, pg_databases, migrated_templates, event_namespace: str
) -> AsyncIterator[Identity]:
    portal = {}
    if request.param == "redis":
        # Keys under a namespace of the test's own.
        portal = {
            "redis_url": request.getfixturevalue("redis_url"),
            "event_namespace": event_namespace,
        }
    url = await pg_databases.create("identity", template=migrated_templates["identity"])
    app = module.create_app(identity_settings(url, **portal))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://identity") as client:
            yield Identity(app, client)


async def test_parallel_requests_from_one_address_pass_the_limit_exactly(
    limited: Identity,
) -> None:
    limit = 5  # IDENTITY_ACCESS_REQUESTS_PER_ADDRESS_HOUR

    async def one(n: int) -> httpx.Response:
        return await ask(limited, address="198.51.100.77", email=f"person{n}@acme.example")

    answers = await asyncio.gather(*(one(n) for n in range(40)))
    assert Counter(r.status_code for r in answers) == {202: limit, 429: 40 - limit}
    refused = next(r for r in answers if r.status_code == 429)
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) > 0
    assert "acme" not in refused.text
    confirmations = await limited.events("identity.access_request.confirmation_requested")
    assert len(confirmations) == limit and await stored(limited) == limit
    # Another address is not held up by this one.
    assert (await ask(limited, address="198.51.100.78")).status_code == 202
