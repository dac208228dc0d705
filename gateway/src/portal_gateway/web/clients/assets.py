"""The tickets service's installed base: the assets of each organization (list, search,
one asset and its tickets, the administrators' changes and CSV import), and the terms
in force (reaction and resolution targets) that a new ticket gets.

Ids, dates and times stay the strings the service sends."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from portal_gateway.web.clients.base import Page, Result, ServiceClient
from portal_gateway.web.clients.tickets import TicketPage

# An asset's status, in the order the pages list them.
ASSET_STATUSES = ("active", "inactive", "retired")
# The service's largest page of assets.
MAX_PAGE = 100


class Asset(Result):
    id: str
    organization_id: str | None = None
    name: str = ""
    serial_number: str = ""
    product: str | None = None
    location: str | None = None
    installed_on: str | None = None
    contract_id: str | None = None
    status: str = "active"
    attributes: dict[str, str] = {}


class AssetPage(Page):
    items: list[Asset] = []


class RowError(Result):
    field: str = ""
    message: str = ""
    message_de: str = ""
    code: str = ""


class RefusedRow(Result):
    line: int
    serial_number: str | None = None
    errors: list[RowError] = []


class ImportReport(Result):
    created: int = 0
    updated: int = 0
    refused: list[RefusedRow] = []


class Target(Result):
    reaction_hours: float
    resolution_hours: float


class ContractRef(Result):
    id: str
    name: str = ""
    organization_id: str | None = None


class Contracts(Result):
    items: list[ContractRef] = []


class Terms(Result):
    """The service levels a ticket gets now: the contract in force (None: the standard
    terms) and the targets in business hours per priority."""

    contract: ContractRef | None = None
    priorities_selectable: bool = False
    targets: dict[str, Target] = {}


def _asset(asset_id: str) -> str:
    return f"/api/v1/assets/{quote(asset_id, safe='')}"


class AssetsClient(ServiceClient):
    service = "tickets"

    async def assets(
        self,
        *,
        text: str = "",
        organization_id: str | None = None,
        statuses: Iterable[str] = (),
        cursor: str | None = None,
        limit: int = 25,
    ) -> AssetPage:
        """A page of the assets the viewer may see (customers: their organization's),
        `text` searched in name, serial number, product and location."""
        params: list[tuple[str, str]] = [("limit", str(limit))]
        if text:
            params.append(("q", text))
        if organization_id:
            params.append(("organization_id", organization_id))
        params.extend(("status", s) for s in statuses)
        if cursor:
            params.append(("cursor", cursor))
        return await self.get(AssetPage, "/api/v1/assets", params=params)

    async def asset(self, asset_id: str) -> Asset:
        return await self.get(Asset, _asset(asset_id))

    async def create_asset(self, body: Mapping[str, Any]) -> Asset:
        return await self.send("POST", "/api/v1/assets", Asset, json=dict(body))

    async def update_asset(self, asset_id: str, changes: Mapping[str, Any]) -> Asset:
        return await self.send("PATCH", _asset(asset_id), Asset, json=dict(changes))

    async def asset_tickets(self, asset_id: str, *, cursor: str | None = None) -> TicketPage:
        """The asset's tickets, open and closed, newest first, as far as the viewer may
        see them."""
        params = {"cursor": cursor} if cursor else {}
        return await self.get(TicketPage, f"{_asset(asset_id)}/tickets", params=params)

    async def import_assets(self, organization_id: str, filename: str, data: bytes) -> ImportReport:
        """A CSV file of the organization's assets: created, updated and refused rows."""
        return await self.send(
            "POST",
            "/api/v1/assets/import",
            ImportReport,
            params={"organization_id": organization_id},
            files={"file": (filename or "assets.csv", data, "text/csv")},
        )

    async def contracts(self, organization_id: str | None = None) -> list[ContractRef]:
        """The contracts the viewer may read (customers: their organization's)."""
        params = {"organization_id": organization_id} if organization_id else {}
        return (await self.get(Contracts, "/api/v1/contracts", params=params)).items

    async def contract(self, contract_id: str) -> ContractRef:
        return await self.get(ContractRef, f"/api/v1/contracts/{quote(contract_id, safe='')}")

    async def terms(
        self,
        *,
        organization_id: str | None = None,
        product: str | None = None,
        asset_id: str | None = None,
    ) -> Terms:
        """The terms in force for a ticket of the organization (customers: their own),
        of that product and asset, if given."""
        params = {
            k: v
            for k, v in (
                ("organization_id", organization_id),
                ("product", product),
                ("asset_id", asset_id),
            )
            if v
        }
        return await self.get(Terms, "/api/v1/contracts/in-force", params=params)
