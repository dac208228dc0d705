"""The tickets service's contracts: business calendars (the hours in which service
levels count), contracts with their targets per priority, and the terms in force for an
organization. The vendor's admins keep calendars and contracts; customers read the
terms of their own organization."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal_gateway.web.clients.base import Result, ServiceClient

CALENDARS = "/api/v1/business-calendars"
CONTRACTS = "/api/v1/contracts"
PRIORITIES = ("P1", "P2", "P3", "P4")


class Calendar(Result):
    id: str
    name: str
    time_zone: str
    # Weekday ("0" = Monday .. "6" = Sunday) -> [opens, closes] ("08:00"); left out: closed.
    weekly: dict[str, list[str]] = {}
    holidays: list[date] = []
    is_default: bool = False


class Calendars(Result):
    items: list[Calendar] = []


class Target(Result):
    """Business hours to the first reaction and to the resolution."""

    reaction_hours: float
    resolution_hours: float


class Contract(Result):
    id: str
    organization_id: str
    name: str
    valid_from: date
    valid_until: date | None = None
    priorities_selectable: bool = False
    default_priority: str | None = None  # None: P4
    calendar_id: str
    calendar_name: str = ""
    targets: dict[str, Target] = {}
    products: list[str] = []
    asset_ids: list[str] = []

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Contracts(Result):
    items: list[Contract] = []


class Terms(Result):
    """The service levels a ticket of an organization gets now: the contract in force
    (None: the standard terms), its calendar and its targets."""

    contract: Contract | None = None
    priorities_selectable: bool = False
    calendar: Calendar
    targets: dict[str, Target] = {}


class ContractsClient(ServiceClient):
    service = "tickets"

    # -- business calendars --------------------------------------------------------------

    async def calendars(self) -> list[Calendar]:
        return (await self.get(Calendars, CALENDARS)).items

    async def calendar(self, calendar_id: str) -> Calendar:
        return await self.get(Calendar, f"{CALENDARS}/{calendar_id}")

    async def create_calendar(self, body: dict[str, Any]) -> Calendar:
        return await self.send("POST", CALENDARS, Calendar, json=body)

    async def update_calendar(self, calendar_id: str, body: dict[str, Any]) -> Calendar:
        return await self.send("PATCH", f"{CALENDARS}/{calendar_id}", Calendar, json=body)

    async def delete_calendar(self, calendar_id: str) -> None:
        await self.act("DELETE", f"{CALENDARS}/{calendar_id}")

    # -- contracts -----------------------------------------------------------------------

    async def contracts(self, organization_id: str | None = None) -> list[Contract]:
        """The organization's contracts (staff: every contract when none is named)."""
        params = {"organization_id": organization_id} if organization_id else None
        return (await self.get(Contracts, CONTRACTS, params=params)).items

    async def contract(self, contract_id: str) -> Contract:
        return await self.get(Contract, f"{CONTRACTS}/{contract_id}")

    async def create_contract(self, body: dict[str, Any]) -> Contract:
        return await self.send("POST", CONTRACTS, Contract, json=body)

    async def update_contract(self, contract_id: str, body: dict[str, Any]) -> Contract:
        return await self.send("PATCH", f"{CONTRACTS}/{contract_id}", Contract, json=body)

    async def delete_contract(self, contract_id: str) -> None:
        await self.act("DELETE", f"{CONTRACTS}/{contract_id}")

    async def terms(self, organization_id: str | None = None) -> Terms:
        """The terms in force now (customers: always their own organization's)."""
        params = {"organization_id": organization_id} if organization_id else None
        return await self.get(Terms, f"{CONTRACTS}/in-force", params=params)
