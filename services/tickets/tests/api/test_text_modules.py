"""Text modules: administrators maintain them, the service desk finds them (in either
language, in any case) and fills them in for a ticket it sees; a body names only the
known placeholders and nothing a sandbox would have to stop; customers find none of the
routes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from portal_harness import PASSWORD, Portal

URL = "/api/v1/text-modules"
EVERY_PLACEHOLDER = (
    "{{customer.name}}|{{customer.first_name}}|{{customer.email}}|{{organization.name}}|"
    "{{ticket.number}}|{{ticket.title}}|{{ticket.priority}}|{{ticket.status}}|"
    "{{ticket.asset}}|{{agent.name}}|{{agent.first_name}}"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def backend_world(request: pytest.FixtureRequest) -> Portal:
    return request.getfixturevalue("sqlite_world" if request.param == "sqlite" else "world")


def codes(response: Any) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


async def new_module(world: Portal, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Module {uuid.uuid4().hex[:6]}", "language": "en", "body": "Hello", **fields}
    r = await world.client.post(URL, json=body, headers=await world.admin())
    assert r.status_code == 201, r.text
    return dict(r.json())


async def names(world: Portal, user: str, **params: Any) -> list[str]:
    r = await world.client.get(URL, params=params, headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return [m["name"] for m in r.json()["items"]]


@pytest.mark.integration
async def test_admins_maintain_text_modules_the_desk_reads_them(world: Portal) -> None:
    admin, erik = await world.admin(), await world.as_("erik")
    made = await new_module(
        world,
        name="Waiting for logs",
        language="en",
        body="Hello {{customer.first_name}},\n\nplease send us the logs.\n",
        keywords="logs diagnosis",
        set_status="waiting_customer",
        set_priority="P3",
    )
    assert made["set_status"] == "waiting_customer" and made["set_priority"] == "P3"
    assert made["body"].endswith("the logs.\n") and made["created_by"]
    got = await world.client.get(f"{URL}/{made['id']}", headers=erik)
    assert got.status_code == 200 and got.json() == made
    # Agents use them; administrators maintain them.
    assert (await world.client.post(URL, json={"name": "x"}, headers=erik)).status_code == 404
    path = f"{URL}/{made['id']}"
    assert (await world.client.patch(path, json={"name": "y"}, headers=erik)).status_code == 404
    assert (await world.client.delete(path, headers=erik)).status_code == 404
    changed = await world.client.patch(
        path, json={"keywords": None, "set_status": None, "name": "Logs please"}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["keywords"] == "" and changed.json()["set_status"] is None
    assert changed.json()["set_priority"] == "P3" and changed.json()["name"] == "Logs please"
    assert changed.json()["updated_at"] > made["updated_at"]
    cleared = await world.client.patch(path, json={"body": None}, headers=admin)
    assert cleared.status_code == 422 and codes(cleared) == [("body", "required")]
    bad = await world.client.patch(path, json={"set_status": "sleeping"}, headers=admin)
    assert bad.status_code == 422
    assert (await world.client.delete(path, headers=admin)).status_code == 204
    assert (await world.client.get(path, headers=erik)).status_code == 404
    assert (await world.client.delete(path, headers=admin)).status_code == 404


@pytest.mark.integration
async def test_a_body_names_only_known_placeholders_and_must_parse(world: Portal) -> None:
    admin = await world.admin()
    ok = await new_module(world, body=EVERY_PLACEHOLDER)
    assert ok["body"] == EVERY_PLACEHOLDER
    for body, unknown in [
        ("Hi {{customer.shoe_size}}", "customer.shoe_size"),
        ("Hi {{ client.name }}", "client.name"),
        ("Hi {{customer}}", "customer"),
    ]:
        r = await world.client.post(
            URL, json={"name": "Bad", "language": "en", "body": body}, headers=admin
        )
        assert r.status_code == 422 and codes(r) == [("body", "unknown_placeholder")], r.text
        assert unknown in r.json()["errors"][0]["message"]
    for body in ["Hi {{customer.name", "{% if ticket.asset %}no end", "{{ }}"]:
        r = await world.client.post(
            URL, json={"name": "Bad", "language": "de", "body": body}, headers=admin
        )
        assert r.status_code == 422 and codes(r) == [("body", "template_syntax")], r.text
    # Changing the body is checked the same way.
    r = await world.client.patch(
        f"{URL}/{ok['id']}", json={"body": "{{ agent.salary }}"}, headers=admin
    )
    assert r.status_code == 422 and codes(r) == [("body", "unknown_placeholder")]
    assert await names(world, "erik") == [ok["name"]]


@pytest.mark.integration
async def test_what_a_sandbox_would_have_to_stop_is_refused_at_save(world: Portal) -> None:
    admin = await world.admin()
    for body in [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ customer.name.__class__ }}",
        "{{ ticket.title.upper() }}",
        "{% for i in range(100000) %}x{% endfor %}",
        "{{ 'x' * 1000000000 }}",
        "{% set a = 'x' %}{{ a }}",
        "{{ customer.name|center(1000000000) }}",
        "{% include 'other' %}",
    ]:
        r = await world.client.post(
            URL, json={"name": "Sneaky", "language": "en", "body": body}, headers=admin
        )
        assert r.status_code == 422, (body, r.text)
        assert codes(r)[0][0] == "body", body
        assert codes(r)[0][1] in {"unsupported_expression", "unknown_placeholder"}, body
    assert await names(world, "erik") == []
    # What a module may do: filters without arguments, a default, joining, if blocks.
    fine = (
        "{{ customer.name|upper }} {{ organization.name|default('you') }} "
        "{{ ticket.number ~ '/' ~ ticket.priority }}"
        "{% if ticket.asset %} ({{ ticket.asset }}){% endif %}"
    )
    assert (await new_module(world, body=fine))["body"] == fine


@pytest.mark.integration
async def test_names_are_unique_per_language(world: Portal) -> None:
    admin = await world.admin()
    first = await new_module(world, name="Closing", language="en")
    same = await world.client.post(
        URL, json={"name": "Closing", "language": "en", "body": "Bye"}, headers=admin
    )
    assert same.status_code == 422 and codes(same) == [("name", "name_taken")]
    german = await new_module(world, name="Closing", language="de", body="Tschüss")
    other = await new_module(world, name="Greeting", language="en")
    renamed = await world.client.patch(
        f"{URL}/{other['id']}", json={"name": "Closing"}, headers=admin
    )
    assert renamed.status_code == 422 and codes(renamed) == [("name", "name_taken")]
    moved = await world.client.patch(
        f"{URL}/{german['id']}", json={"language": "en"}, headers=admin
    )
    assert moved.status_code == 422 and codes(moved) == [("name", "name_taken")]
    # Saving a module under its own name again is no clash.
    again = await world.client.patch(
        f"{URL}/{first['id']}", json={"name": "Closing", "language": "en"}, headers=admin
    )
    assert again.status_code == 200, again.text


async def test_search_finds_words_in_any_case_in_both_languages(backend_world: Portal) -> None:
    world = backend_world
    await new_module(
        world, name="Freundliche Grüße", language="de", body="Mit freundlichen Grüßen\n"
    )
    await new_module(
        world, name="Kind regards", language="en", body="Kind regards", keywords="Grüße closing"
    )
    await new_module(
        world, name="Straßensperre", language="de", body="Der Techniker steht im Stau."
    )
    await new_module(world, name="Logs", language="en", body="Please send the LOGFILE.")
    both = ["Freundliche Grüße", "Kind regards"]
    # Python's case folding on either database: ß is ss, Ü is ü.
    assert await names(world, "erik", q="grüße") == both
    assert await names(world, "erik", q="GRÜSSE") == both
    assert await names(world, "erik", q="grüsse", language="de") == ["Freundliche Grüße"]
    assert await names(world, "erik", q="GRÜSSE", language="en") == ["Kind regards"]
    assert await names(world, "erik", q="STRASSE") == ["Straßensperre"]
    assert await names(world, "erik", q="stau techniker") == ["Straßensperre"]
    assert await names(world, "erik", q="logfile") == ["Logs"]
    assert await names(world, "erik", q="closing") == ["Kind regards"]
    assert await names(world, "erik", q="100%_") == []
    assert await names(world, "erik", language="de") == ["Freundliche Grüße", "Straßensperre"]
    # Page by page, by name.
    erik = await world.as_("erik")
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        page = (await world.client.get(URL, params=params, headers=erik)).json()
        seen += [m["name"] for m in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == sorted(seen) and len(seen) == 4
    bad = await world.client.get(URL, params={"cursor": "nonsense"}, headers=erik)
    assert bad.status_code == 422 and codes(bad) == [("cursor", "cursor")]
    assert (await world.client.get(URL, params={"language": "fr"}, headers=erik)).status_code == 422


async def _juergens_ticket(world: Portal) -> dict[str, Any]:
    """A ticket of Jürgen Groß (Acme) about a press, waiting for his answer."""
    admin = await world.admin()
    r = await world.client.post(
        "/api/v1/admin/users",
        json={
            "username": "juergen",
            "email": "juergen.gross@example.com",
            "roles": ["customer"],
            "organization_id": world.orgs["acme"],
            "password": PASSWORD,
            "display_name": "Jürgen Groß",
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    asset = await world.client.post(
        "/api/v1/assets",
        json={"organization_id": world.orgs["acme"], "name": "Press 7", "serial_number": "P-7"},
        headers=admin,
    )
    assert asset.status_code == 201, asset.text
    await world.settle()
    ticket = await world.ticket("juergen", title="Press leaks oil", priority="P2", asset_id="P-7")
    r = await world.client.patch(
        f"/api/v1/tickets/{ticket['number']}",
        json={"status": "waiting_customer"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200, r.text
    return ticket


@pytest.mark.integration
async def test_rendering_fills_in_every_placeholder_in_the_modules_language(
    world: Portal,
) -> None:
    ticket = await _juergens_ticket(world)
    number, erik = ticket["number"], await world.as_("erik")
    expected = "|".join(
        [
            "Jürgen Groß",
            "Jürgen",
            "juergen.gross@example.com",
            "Acme",
            number,
            "Press leaks oil",
            "P2",
            "{status}",
            "Press 7 (P-7)",
            "Erik",
            "Erik",
        ]
    )
    for language, status in [("de", "Antwort erwartet"), ("en", "Answer expected")]:
        module = await new_module(
            world,
            language=language,
            body=f"{EVERY_PLACEHOLDER}\n",
            set_status="open",
            set_priority="P1",
        )
        r = await world.client.post(
            f"{URL}/{module['id']}/render", json={"ticket": number}, headers=erik
        )
        assert r.status_code == 200, r.text
        assert r.json() == {
            "body": expected.replace("{status}", status) + "\n",
            "set_status": "open",
            "set_priority": "P1",
        }
    # Rendering changes nothing on the ticket.
    after = await world.client.get(f"/api/v1/tickets/{number}", headers=erik)
    assert after.json()["status"] == "waiting_customer" and after.json()["priority"] == "P2"


@pytest.mark.integration
async def test_rendering_leaves_what_a_ticket_lacks_empty(world: Portal) -> None:
    ticket = await world.ticket("ben")
    body = (
        "Hallo {{ customer.first_name }},\n"
        "{% if ticket.asset %}\nAnlage: {{ ticket.asset }}\n{% endif %}\n"
        "Ihr Ticket {{ ticket.number }}: {{ ticket.status }}.\n"
        "Gruß, {{ agent.first_name|upper }}\n"
    )
    module = await new_module(world, language="de", body=body)
    r = await world.client.post(
        f"{URL}/{module['id']}/render",
        json={"ticket": ticket["number"]},
        headers=await world.admin(),
    )
    assert r.status_code == 200, r.text
    admin_name = r.json()["body"].rsplit("Gruß, ", 1)[1].strip()
    assert admin_name and admin_name == admin_name.upper()
    assert r.json()["body"].startswith(
        f"Hallo Ben,\nIhr Ticket {ticket['number']}: In Bearbeitung.\nGruß, "
    )
    assert r.json()["set_status"] is None and r.json()["set_priority"] is None
    # A ticket that does not exist, or a module that does not, is not found.
    unknown = await world.client.post(
        f"{URL}/{module['id']}/render", json={"ticket": "T999999"}, headers=await world.admin()
    )
    assert unknown.status_code == 404
    missing = await world.client.post(
        f"{URL}/{uuid.uuid4()}/render",
        json={"ticket": ticket["number"]},
        headers=await world.admin(),
    )
    assert missing.status_code == 404


@pytest.mark.integration
async def test_customers_find_none_of_the_routes(world: Portal) -> None:
    module = await new_module(world, body="Hi {{customer.name}}")
    ticket = await world.ticket("ben")
    path = f"{URL}/{module['id']}"
    for user in ("ben", "anna"):
        headers = await world.as_(user)
        answers = [
            await world.client.get(URL, headers=headers),
            await world.client.get(URL, params={"q": "hi"}, headers=headers),
            await world.client.get(path, headers=headers),
            await world.client.post(
                URL, json={"name": "x", "language": "en", "body": "x"}, headers=headers
            ),
            await world.client.patch(path, json={"name": "x"}, headers=headers),
            await world.client.delete(path, headers=headers),
            # Even for the customer's own ticket.
            await world.client.post(
                f"{path}/render", json={"ticket": ticket["number"]}, headers=headers
            ),
        ]
        assert [a.status_code for a in answers] == [404] * len(answers), user
        assert all(a.headers["content-type"] == "application/problem+json" for a in answers)
    assert await names(world, "erik") == [module["name"]]
