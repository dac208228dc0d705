"""Who may administer what, checked without a database."""

from __future__ import annotations

import uuid

import pytest

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound
from portal_identity.accounts.permissions import (
    can_grant,
    can_manage_users_of,
    require_admin,
    require_staff,
)

ACME, GLOBEX = uuid.uuid4(), uuid.uuid4()


def _actor(*roles: str, organization_id: uuid.UUID | None = None) -> Actor:
    return Actor(
        id=uuid.uuid4(), username="someone", organization_id=organization_id, roles=frozenset(roles)
    )


def test_administrative_resources_do_not_exist_for_others() -> None:
    require_admin(_actor("admin"))
    require_staff(_actor("agent"))
    with pytest.raises(NotFound):
        require_admin(_actor("agent"))
    with pytest.raises(NotFound):
        require_staff(_actor("customer_admin", organization_id=ACME))


def test_customer_admins_manage_the_users_of_their_own_organization_only() -> None:
    customer_admin = _actor("customer_admin", organization_id=ACME)
    assert can_manage_users_of(customer_admin, ACME)
    assert not can_manage_users_of(customer_admin, GLOBEX)
    assert not can_manage_users_of(customer_admin, None)
    assert not can_manage_users_of(_actor("customer", organization_id=ACME), ACME)
    assert can_manage_users_of(_actor("admin"), GLOBEX)


def test_customer_admins_grant_customer_roles_only() -> None:
    customer_admin = _actor("customer_admin", organization_id=ACME)
    assert can_grant(customer_admin, {"customer", "customer_admin"})
    assert not can_grant(customer_admin, {"agent"})
    assert can_grant(_actor("admin"), {"admin", "agent"})
