"""Administration in the browser: organizations, users (with a password or an invitation),
templates with conversation guides, the taxonomy and access requests; a customer's admin
manages their own organization only, everybody else finds no administration."""

from __future__ import annotations

import re

from portal_harness import PASSWORD, Portal
from web_kit import browser, csrf


async def api_users(world: Portal, **params: str) -> dict[str, dict]:
    r = await world.client.get(
        "/api/v1/admin/users", params={"limit": 200, **params}, headers=await world.admin()
    )
    assert r.status_code == 200, r.text
    return {u["username"]: u for u in r.json()["items"]}


async def test_admin_creates_organization_and_users(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "admin") as admin:
        overview = await admin.get("/admin?lang=en")
        assert overview.status_code == 200
        for link in ("organizations", "users", "access-requests", "templates", "taxonomy"):
            assert f'href="/admin/{link}"' in overview.text

        form = await admin.get("/admin/organizations/new")
        # The SLA contract's name follows the contract in force: no field to type it in.
        assert 'for="name"' in form.text and 'id="sla_contract"' in form.text
        assert 'name="sla_contract"' not in form.text
        r = await admin.post(
            "/admin/organizations/new",
            data={
                "name": "Initech <Ltd>",
                "priority_contract": "1",
                "sla_contract": "Premium",  # a stale form's field is not taken
                "csrf_token": csrf(admin),
            },
        )
        assert r.status_code == 303 and r.headers["location"].startswith(
            "/admin/organizations?done=org_created"
        )
        listed = await admin.get(r.headers["location"])
        assert "Initech &lt;Ltd&gt;" in listed.text and "<Ltd>" not in listed.text
        assert "The organization Initech &lt;Ltd&gt; was created." in listed.text
        orgs = await world.client.get("/api/v1/admin/organizations", headers=await world.admin())
        initech = next(o for o in orgs.json()["items"] if o["name"] == "Initech <Ltd>")
        assert initech["priority_contract"] is True and initech["sla_contract"] is None
        assert initech["org_wide_visibility"] is False  # left unticked

        # A name taken: the message sits at the name, the typed values stay.
        taken = await admin.post(
            "/admin/organizations/new",
            data={"name": "Acme", "priority_contract": "1", "csrf_token": csrf(admin)},
        )
        assert taken.status_code == 409
        assert 'id="name-error"' in taken.text and 'aria-describedby="name-error"' in taken.text
        assert 'value="Acme"' in taken.text
        assert re.search(r'id="priority_contract"[^>]* checked', taken.text)

        edit = await admin.get(f"/admin/organizations/{initech['id']}")
        assert 'id="organization-contracts"' in edit.text and 'id="active"' in edit.text
        assert f'href="/admin/contracts?organization={initech["id"]}"' in edit.text
        r = await admin.post(
            f"/admin/organizations/{initech['id']}",
            data={
                "name": "Initech",
                "org_wide_visibility": "1",
                "priority_contract": "1",
                "active": "1",
                "csrf_token": csrf(admin),
            },
        )
        assert r.status_code == 303
        changed = await world.client.get(
            f"/api/v1/admin/organizations/{initech['id']}", headers=await world.admin()
        )
        body = changed.json()
        assert body["name"] == "Initech" and body["org_wide_visibility"] is True
        assert body["sla_contract"] is None

        # A user with a password signs in with it at once.
        new_user = await admin.get(f"/admin/users/new?organization={initech['id']}")
        assert 'for="password"' in new_user.text and "invitation e-mail" in new_user.text
        assert f'<option value="{initech["id"]}" selected>' in new_user.text
        r = await admin.post(
            "/admin/users/new",
            data={
                "username": "frank",
                "email": "frank@initech.example",
                "organization_id": initech["id"],
                "roles": "customer",
                "language": "de",
                "password": PASSWORD,
                "csrf_token": csrf(admin),
            },
        )
        assert r.status_code == 303, r.text
        created = await admin.get(r.headers["location"])
        assert "The user frank was created with the password given." in created.text
        login = await world.client.post(
            "/api/v1/auth/login", json={"username": "frank", "password": PASSWORD}
        )
        assert login.status_code == 200

        # Without a password an invitation goes out, and the page says so.
        r = await admin.post(
            "/admin/users/new",
            data={
                "username": "gina",
                "email": "gina@initech.example",
                "organization_id": initech["id"],
                "roles": "customer_admin",
                "language": "en",
                "csrf_token": csrf(admin),
            },
        )
        assert r.status_code == 303
        invited = await admin.get(r.headers["location"])
        assert "An invitation e-mail with a link to set a password" in invited.text
        invitations = await world.events("identity.user.invited", service="identity")
        assert [e["data"]["username"] for e in invitations] == ["gina"]
        users = await api_users(world)
        assert users["frank"]["organization"]["name"] == "Initech"
        assert users["gina"]["roles"] == ["customer_admin"] and users["frank"]["language"] == "de"

        # An agent belongs to no organization.
        r = await admin.post(
            "/admin/users/new",
            data={
                "username": "hanna",
                "email": "hanna@vendor.example",
                "organization_id": "",
                "roles": "agent",
                "password": PASSWORD,
                "csrf_token": csrf(admin),
            },
        )
        assert r.status_code == 303
        assert (await api_users(world))["hanna"]["roles"] == ["agent"]

        # Refused input: messages at the fields, everything but the password kept.
        bad = await admin.post(
            "/admin/users/new",
            data={
                "username": "ivo",
                "email": "not-an-address",
                "organization_id": initech["id"],
                "roles": "customer",
                "password": PASSWORD,
                "csrf_token": csrf(admin),
            },
        )
        assert bad.status_code == 422
        assert 'id="email-error"' in bad.text and "not a valid e-mail address" in bad.text
        assert 'value="ivo"' in bad.text and 'value="not-an-address"' in bad.text
        assert PASSWORD not in bad.text

        # Resending an invitation and deactivating from the list.
        users = await api_users(world)
        r = await admin.post(
            f"/admin/users/{users['gina']['id']}/invitation",
            data={"username": "gina", "csrf_token": csrf(admin)},
        )
        assert r.status_code == 303
        assert len(await world.events("identity.user.invited", service="identity")) == 2
        r = await admin.post(
            f"/admin/users/{users['frank']['id']}/active",
            data={"username": "frank", "active": "0", "csrf_token": csrf(admin)},
        )
        assert r.status_code == 303
        assert (await api_users(world))["frank"]["active"] is False
        listing = await admin.get(f"/admin/users?organization={initech['id']}")
        assert "Reactivate" in listing.text and "frank" in listing.text
        assert 'id="user-ben"' not in listing.text


async def test_template_with_guide_questions_reaches_the_api(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "admin") as admin:
        form = await admin.get("/admin/templates/new?lang=en")
        assert form.status_code == 200
        assert 'id="q0_label"' in form.text and 'id="q2_label"' in form.text  # rows without script
        assert '<template id="question-template">' in form.text and "q__i___label" in form.text
        assert '<script src="/static/admin.js" defer>' in form.text

        fields = {
            "name": "Machine down",
            "group": "incident_report",
            "category": "",
            "description": "A machine stopped working.",
            "name_de": "Maschine steht",
            "active": "1",
            "q0_label": "Which machine?",
            "q0_label_de": "Welche Maschine?",
            "q0_type": "choice",
            "q0_required": "1",
            "q0_choices": "Press 1\r\nPress 2\r\n",
            "q1_label": "Since when?",
            "q1_type": "date",
            "q2_label": "",
            "q2_type": "text",
            "csrf_token": csrf(admin),
        }
        # A choice question without choices is refused next to its choices.
        refused = await admin.post("/admin/templates/new", data={**fields, "q0_choices": ""})
        assert refused.status_code == 422
        assert 'id="q0_choices-error"' in refused.text and "needs choices" in refused.text
        assert 'value="Which machine?"' in refused.text and 'value="Since when?"' in refused.text

        r = await admin.post("/admin/templates/new", data=fields)
        assert r.status_code == 303, r.text
        listed = await admin.get(r.headers["location"])
        assert "Machine down" in listed.text and "Incident report" in listed.text

    templates = await world.client.get("/api/v1/ticket-templates", headers=await world.as_("ben"))
    template = next(t for t in templates.json()["items"] if t["name"] == "Machine down")
    assert template["group"] == "incident_report" and template["category"] == "incident"
    assert template["name_de"] == "Maschine steht" and template["description_de"] is None
    assert [q["id"] for q in template["guide"]] == ["which_machine", "since_when"]
    machine, since = template["guide"]
    assert machine["type"] == "choice" and machine["required"] is True
    assert (
        machine["choices"] == ["Press 1", "Press 2"] and machine["label_de"] == "Welche Maschine?"
    )
    assert since["type"] == "date" and since["required"] is False

    async with browser(world, "admin") as admin:
        edit = await admin.get(f"/admin/templates/{template['id']}")
        assert 'name="q0_id" value="which_machine"' in edit.text
        assert 'name="name_de"' in edit.text and 'value="Maschine steht"' in edit.text
        r = await admin.post(
            f"/admin/templates/{template['id']}",
            data={
                "name": "Machine down",
                "group": "service_request",
                "category": "question",
                "active": "1",
                "q0_id": "which_machine",
                "q0_label": "Which machine exactly?",
                "q0_type": "choice",
                "q0_choices": "Press 1\nPress 3",
                "q1_id": "since_when",
                "q1_label": "",
                "q5_label": "How many parts?",
                "q5_type": "number",
                "csrf_token": csrf(admin),
            },
        )
        assert r.status_code == 303, r.text
    templates = await world.client.get("/api/v1/ticket-templates", headers=await world.admin())
    changed = next(t for t in templates.json()["items"] if t["id"] == template["id"])
    assert changed["group"] == "service_request" and changed["category"] == "question"
    assert [q["id"] for q in changed["guide"]] == ["which_machine", "how_many_parts"]
    assert changed["guide"][0]["label"] == "Which machine exactly?"
    assert changed["guide"][0]["choices"] == ["Press 1", "Press 3"]


async def test_taxonomy_areas_with_subtypes(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "admin") as admin:
        r = await admin.post(
            "/admin/taxonomy",
            data={
                "new": "1",
                "name": "Robotics",
                "subtypes": "Arm\nGripper\n",
                "active": "1",
                "csrf_token": csrf(admin),
            },
        )
        assert r.status_code == 303
        page = await admin.get("/admin/taxonomy?lang=de")
        assert "Themenbereiche" in page.text and "Robotics" in page.text
        r = await admin.post(
            "/admin/taxonomy",
            data={
                "name": "Robotics",
                "slot": "1",
                "subtypes": "Arm\nVision",
                "active": "1",
                "csrf_token": csrf(admin),
            },
        )
        assert r.status_code == 303
        twice = await admin.post(
            "/admin/taxonomy",
            data={"new": "1", "name": "Robotics", "subtypes": "Other", "csrf_token": csrf(admin)},
        )
        assert twice.status_code == 422 and 'id="new-name-error"' in twice.text
        assert ">Other</textarea>" in twice.text
        slash = await admin.post(
            "/admin/taxonomy",
            data={"new": "1", "name": "A/B", "subtypes": "", "csrf_token": csrf(admin)},
        )
        assert slash.status_code == 422
    taxonomy = await world.client.get("/api/v1/ticket-taxonomy", headers=await world.as_("ben"))
    areas = {a["name"]: a for a in taxonomy.json()["items"]}
    assert areas["Robotics"]["subtypes"] == ["Arm", "Vision"]
    assert "A/B" not in areas


async def test_customer_admin_manages_only_their_organization(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "anna") as anna:
        overview = await anna.get("/admin?lang=en")
        assert overview.status_code == 200
        assert 'href="/admin/users"' in overview.text
        assert 'href="/admin/organizations"' not in overview.text
        for admin_only in ("/admin/organizations", "/admin/templates", "/admin/taxonomy"):
            assert (await anna.get(admin_only)).status_code == 404, admin_only

        users = await anna.get("/admin/users")
        assert 'id="user-anna"' in users.text and 'id="user-ben"' in users.text
        for stranger in ("carla", "dan", "erik", "admin"):
            assert f'id="user-{stranger}"' not in users.text
        assert "Globex" not in users.text

        form = await anna.get("/admin/users/new")
        assert 'value="agent"' not in form.text and "Acme" in form.text
        agent = await anna.post(
            "/admin/users/new",
            data={
                "username": "evil",
                "email": "evil@acme.example",
                "roles": "agent",
                "csrf_token": csrf(anna),
            },
        )
        assert agent.status_code == 422
        assert (
            "You can only give customer roles." in agent.text and 'id="roles-error"' in agent.text
        )
        assert 'value="evil"' in agent.text
        # A foreign organization in the form changes nothing: her own is used.
        r = await anna.post(
            "/admin/users/new",
            data={
                "username": "hugo",
                "email": "hugo@acme.example",
                "roles": "customer",
                "organization_id": world.orgs["globex"],
                "csrf_token": csrf(anna),
            },
        )
        assert r.status_code == 303
        everybody = await api_users(world)
        assert "evil" not in everybody
        assert everybody["hugo"]["organization"]["name"] == "Acme"

        # Deactivating her colleague works; Globex's people are out of reach.
        r = await anna.post(
            f"/admin/users/{world.ids['ben']}/active",
            data={"username": "ben", "active": "0", "csrf_token": csrf(anna)},
        )
        assert r.status_code == 303
        assert (await api_users(world))["ben"]["active"] is False
        foreign = await anna.post(
            f"/admin/users/{world.ids['carla']}/active",
            data={"username": "carla", "active": "0", "csrf_token": csrf(anna)},
        )
        assert foreign.status_code == 404
        assert (await api_users(world))["carla"]["active"] is True


async def test_others_find_no_administration(sqlite_world: Portal) -> None:
    world = sqlite_world
    anonymous = await world.client.get("/admin/users")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    for user in ("ben", "erik"):
        async with browser(world, user) as client:
            for path in ("/admin", "/admin/users", "/admin/users/new", "/admin/access-requests"):
                page = await client.get(path)
                assert page.status_code == 404, (user, path)
            german = await client.get("/admin?lang=de")
            assert "Diese Seite gibt es nicht." in german.text
            r = await client.post(
                "/admin/users/new",
                data={
                    "username": "mallory",
                    "email": "m@acme.example",
                    "roles": "customer",
                    "csrf_token": csrf(client),
                },
            )
            assert r.status_code == 404
    assert "mallory" not in await api_users(world)


async def test_access_request_from_customer_admin_approved_by_admin(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "anna") as anna:
        page = await anna.get("/admin/access-requests?lang=en")
        assert 'id="request-form"' in page.text and 'for="request-username"' in page.text
        for username in ("ida", "jon"):
            r = await anna.post(
                "/admin/access-requests/new",
                data={
                    "username": username,
                    "email": f"{username}@acme.example",
                    "role": "customer",
                    "language": "de",
                    "note": "Starts <Monday>",
                    "csrf_token": csrf(anna),
                },
            )
            assert r.status_code == 303, r.text
        bad = await anna.post(
            "/admin/access-requests/new",
            data={"username": "no way", "email": "x@acme.example", "csrf_token": csrf(anna)},
        )
        assert bad.status_code == 422 and 'id="request-username-error"' in bad.text
        mine = await anna.get("/admin/access-requests")
        assert "ida" in mine.text and "Starts &lt;Monday&gt;" in mine.text
        assert "/approve" not in mine.text  # the vendor decides

    requests = await world.client.get(
        "/api/v1/access-requests?state=pending", headers=await world.admin()
    )
    pending = {r["username"]: r for r in requests.json()["items"]}
    async with browser(world, "anna") as anna:
        r = await anna.post(
            f"/admin/access-requests/{pending['ida']['id']}/approve",
            data={"csrf_token": csrf(anna)},
        )
        assert r.status_code == 404
    async with browser(world, "admin") as admin:
        listed = await admin.get("/admin/access-requests?lang=en")
        assert "ida" in listed.text and "Acme" in listed.text
        refused = await admin.post(f"/admin/access-requests/{pending['ida']['id']}/approve")
        assert refused.status_code == 403
        assert "ida" not in await api_users(world)
        r = await admin.post(
            f"/admin/access-requests/{pending['ida']['id']}/approve",
            data={"csrf_token": csrf(admin)},
        )
        assert r.status_code == 303
        approved = await admin.get(r.headers["location"])
        assert "The request for ida was approved" in approved.text
        r = await admin.post(
            f"/admin/access-requests/{pending['jon']['id']}/reject",
            data={"reason": "Unknown person", "csrf_token": csrf(admin)},
        )
        assert r.status_code == 303
        again = await admin.post(
            f"/admin/access-requests/{pending['jon']['id']}/approve",
            data={"csrf_token": csrf(admin)},
        )
        assert again.status_code == 409 and "rejected already" in again.text
    users = await api_users(world)
    assert users["ida"]["organization"]["name"] == "Acme" and "jon" not in users
    invitations = await world.events("identity.user.invited", service="identity")
    assert [e["data"]["username"] for e in invitations] == ["ida"]


async def test_forms_without_csrf_token_change_nothing(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "admin") as admin:
        r = await admin.post("/admin/organizations/new", data={"name": "Umbrella"})
        assert r.status_code == 403
        assert "Your form expired" in r.text and 'value="Umbrella"' in r.text
        r = await admin.post(
            "/admin/users/new",
            data={"username": "kim", "email": "kim@acme.example", "roles": "customer"},
        )
        assert r.status_code == 403 and 'value="kim"' in r.text
        r = await admin.post(
            f"/admin/users/{world.ids['ben']}/active",
            data={"username": "ben", "active": "0", "csrf_token": "forged"},
        )
        assert r.status_code == 403
        r = await admin.post(
            "/admin/templates/new",
            data={"name": "Sneaky", "group": "incident_report", "q0_label": "Why?"},
        )
        assert r.status_code == 403 and 'value="Why?"' in r.text
        r = await admin.post("/admin/taxonomy", data={"new": "1", "name": "Sneaky"})
        assert r.status_code == 403
    orgs = await world.client.get("/api/v1/admin/organizations", headers=await world.admin())
    assert "Umbrella" not in {o["name"] for o in orgs.json()["items"]}
    users = await api_users(world)
    assert "kim" not in users and users["ben"]["active"] is True
    templates = await world.client.get("/api/v1/ticket-templates", headers=await world.admin())
    assert "Sneaky" not in {t["name"] for t in templates.json()["items"]}


async def test_admins_change_a_users_roles_email_and_language(sqlite_world: Portal) -> None:
    world = sqlite_world
    ben = world.ids["ben"]
    async with browser(world, "admin") as admin:
        listing = await admin.get("/admin/users?lang=en")
        assert f'href="/admin/users/{ben}"' in listing.text
        form = await admin.get(f"/admin/users/{ben}?lang=en")
        assert form.status_code == 200 and "Edit user ben" in form.text
        assert 'name="password"' not in form.text and 'id="organization_id"' not in form.text
        fields = {
            "username": "ben",
            "email": "ben.weber@acme.example",
            "display_name": "Ben W.",
            "roles": ["customer", "customer_admin"],
            "language": "de",
            "csrf_token": csrf(admin),
        }
        # A bad address is refused next to its field; nothing changes.
        bad = await admin.post(f"/admin/users/{ben}?lang=de", data={**fields, "email": "nope"})
        assert bad.status_code == 422 and 'id="email-error"' in bad.text
        assert "Das ist keine gültige E-Mail-Adresse." in bad.text
        assert (await api_users(world))["ben"]["email"] != "nope"
        saved = await admin.post(f"/admin/users/{ben}?lang=en", data=fields)
        assert saved.status_code == 303
        assert "done=user_saved" in saved.headers["location"]
        changed = (await api_users(world))["ben"]
        assert changed["email"] == "ben.weber@acme.example"
        assert changed["display_name"] == "Ben W." and changed["language"] == "de"
        assert sorted(changed["roles"]) == ["customer", "customer_admin"]
        # Without the form's token nothing changes.
        forged = await admin.post(f"/admin/users/{ben}", data={**fields, "csrf_token": "x"})
        assert forged.status_code == 403
        assert (await admin.get("/admin/users/not-a-uuid")).status_code == 404

    async with browser(world, "anna") as anna:
        # A customer's admin edits her colleagues with customer roles only ...
        form = await anna.get(f"/admin/users/{ben}?lang=en")
        assert form.status_code == 200 and 'value="agent"' not in form.text
        # ... and finds nobody of another organization.
        assert (await anna.get(f"/admin/users/{world.ids['carla']}")).status_code == 404
        foreign = await anna.post(
            f"/admin/users/{world.ids['carla']}",
            data={
                "username": "carla",
                "email": "x@globex.example",
                "roles": "customer",
                "language": "en",
                "csrf_token": csrf(anna),
            },
        )
        assert foreign.status_code == 404
        assert (await api_users(world))["carla"]["email"] != "x@globex.example"
