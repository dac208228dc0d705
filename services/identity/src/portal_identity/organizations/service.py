"""Organization use cases: the vendor's administration, and a customer admin's own
organization's settings (its internal review step)."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_identity.accounts.permissions import require_admin, require_staff
from portal_identity.organizations.models import Organization
from portal_identity.organizations.schemas import OrganizationCreate, OrganizationUpdate
from portal_identity.uow import IdentityUoW

# What a customer admin may change of their own organization (the rest is the vendor's).
CUSTOMER_ADMIN_FIELDS = frozenset({"internal_review"})
SET_BY_CONTRACTS = (
    "The SLA contract is the name of the organization's contract in force; it follows "
    "the contracts (/api/v1/contracts) and is not set here."
)


def _check_sla_contract(requested: str | None, current: str | None) -> None:
    """The SLA contract name is the contract in force's (`follow_contract`); a request
    may send it back as it is (a form that shows it), never another one."""
    if (requested or None) != current:  # an empty field is no name
        raise InvalidInput(
            [{"field": "sla_contract", "message": SET_BY_CONTRACTS, "code": "set_by_contracts"}]
        )


async def _check_domains(
    uow: IdentityUoW, domains: list[str], organization_id: uuid.UUID | None
) -> None:
    for domain in domains:
        owner = await uow.organizations.domain_owner(domain)
        if owner is not None and owner != organization_id:
            raise InvalidInput(
                [
                    {
                        "field": "email_domains",
                        "message": f"{domain} belongs to another organization already.",
                        "code": "domain_taken",
                    }
                ]
            )


async def create(*, uow: IdentityUoW, data: OrganizationCreate, actor: Actor) -> Organization:
    require_admin(actor)
    async with uow:
        if await uow.organizations.get_by_name(data.name):
            raise Conflict(f"An organization named {data.name!r} exists already.")
        # A new organization has no contract yet: the standard terms.
        _check_sla_contract(data.sla_contract, None)
        await _check_domains(uow, data.email_domains, None)
        org = Organization.found(**data.model_dump())
        uow.organizations.add(org)
        await uow.commit()
    return org


async def get(*, uow: IdentityUoW, organization_id: uuid.UUID, actor: Actor) -> Organization:
    async with uow:
        org = await uow.organizations.get(organization_id)
    # Customers may look at their own organization only.
    if org is None or not (actor.is_staff or actor.organization_id == org.id):
        raise NotFound("No such organization.")
    return org


async def list_all(
    *, uow: IdentityUoW, actor: Actor, after: str | None, limit: int
) -> list[Organization]:
    require_staff(actor)
    async with uow:
        return await uow.organizations.list(after=after, limit=limit)


async def update(
    *, uow: IdentityUoW, organization_id: uuid.UUID, data: OrganizationUpdate, actor: Actor
) -> Organization:
    changes = data.model_dump(exclude_unset=True)
    if not actor.is_admin:
        own = actor.has_role("customer_admin") and actor.organization_id == organization_id
        if not own:
            raise NotFound("No such organization.")
        if refused := sorted(set(changes) - CUSTOMER_ADMIN_FIELDS):
            raise InvalidInput(
                [
                    {"field": f, "message": "Only the vendor changes this.", "code": "vendor_only"}
                    for f in refused
                ]
            )
    async with uow:
        org = await uow.organizations.get(organization_id)
        if org is None:
            raise NotFound("No such organization.")
        if "sla_contract" in changes:
            _check_sla_contract(changes.pop("sla_contract"), org.sla_contract)
        if changes.get("email_domains"):
            await _check_domains(uow, changes["email_domains"], org.id)
        if changes.get("name") not in (None, org.name) and await uow.organizations.get_by_name(
            changes["name"]
        ):
            raise Conflict(f"An organization named {changes['name']!r} exists already.")
        if org.change(**{k: v for k, v in changes.items() if v is not None}):
            await uow.commit()
    return org


async def follow_contract(
    *, uow: IdentityUoW, organization_id: uuid.UUID, name: str | None, priorities_selectable: bool
) -> None:
    """The contract in force for the organization (the tickets service keeps contracts)
    decides whether its people choose priorities, and names its SLA contract; `name`
    None: none is in force, the standard terms apply (no priority contract). An
    organization already so changes nothing and tells nobody."""
    async with uow:
        org = await uow.organizations.get(organization_id)
        if org is None:
            return
        if org.change(priority_contract=priorities_selectable, sla_contract=name):
            await uow.commit()
