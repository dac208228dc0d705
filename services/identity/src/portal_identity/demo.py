"""Demo data for `portal dev --demo`: two customer organizations with users, an agent
and an admin. Idempotent: a second start finds everything in place."""

from __future__ import annotations

from typing import Any, cast

from portal_chassis.runtime import Runtime
from portal_identity.accounts import service as accounts
from portal_identity.accounts.models import User
from portal_identity.accounts.passwords import hash_password
from portal_identity.organizations.models import Organization
from portal_identity.uow import IdentityUoW

DEMO_ADMIN_PASSWORD = "admin-demo-2026"
DEMO_PASSWORD = "portal-demo-2026"

ORGANIZATIONS: list[dict[str, Any]] = [
    # E-mail domains: an access request from an address there reaches the customer admin.
    {
        "name": "Acme Robotics GmbH",
        "priority_contract": True,
        "email_domains": ["acme.example"],
    },
    {
        "name": "Globex Logistics AG",
        "priority_contract": False,
        "org_wide_visibility": False,
        "email_domains": ["globex.example"],
    },
]
# username, display name, e-mail, language, roles, organization index (None: vendor staff)
USERS = [
    ("anna", "Anna Schmidt", "anna@acme.example", "de", ["customer_admin"], 0),
    ("ben", "Ben Weber", "ben@acme.example", "de", ["customer"], 0),
    ("carla", "Carla Jones", "carla@globex.example", "en", ["customer_admin"], 1),
    ("dan", "Dan Miller", "dan@globex.example", "en", ["customer"], 1),
    ("erik", "Erik Hotline", "erik@vendor.example", "de", ["agent"], None),
]


async def seed_demo(runtime: Runtime) -> list[str]:
    admin_password = runtime.settings.portal.bootstrap_admin_password or DEMO_ADMIN_PASSWORD
    created_admin = await accounts.ensure_bootstrap_admin(
        uow=cast(IdentityUoW, runtime.uow()), password=admin_password
    )
    uow = cast(IdentityUoW, runtime.uow())
    async with uow:
        orgs = []
        for spec in ORGANIZATIONS:
            org = await uow.organizations.get_by_name(spec["name"])
            if org is None:
                org = Organization.found(**spec)
                uow.organizations.add(org)
            orgs.append(org)
        password_hash = await hash_password(DEMO_PASSWORD)
        for username, name, email, language, roles, org_index in USERS:
            if await uow.users.get_by_username(username) is None:
                uow.users.add(
                    User.register(
                        username=username,
                        email=email,
                        roles=roles,
                        password_hash=password_hash,
                        organization=orgs[org_index] if org_index is not None else None,
                        display_name=name,
                        language=language,
                    )
                )
        await uow.commit()
    admin_note = "" if created_admin else " (if unchanged since the first start)"
    lines = [f"admin / {admin_password}  (role admin){admin_note}"]
    for username, name, _email, _language, roles, org_index in USERS:
        where = ORGANIZATIONS[org_index]["name"] if org_index is not None else "vendor"
        lines.append(f"{username} / {DEMO_PASSWORD}  ({', '.join(roles)}, {where}: {name})")
    return lines
