"""The tickets service's catalog: ticket templates with their conversation guides, and
the taxonomy of subject areas. The new-ticket form reads it, the administration pages
keep it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from portal_gateway.web.clients.base import Result, ServiceClient

# The groups of the new-ticket form's first step, in their order there.
GROUPS = ("incident_report", "service_request", "change_request")


class GuideQuestion(Result):
    id: str
    label: str
    label_de: str | None = None
    type: str = "text"
    required: bool = False
    choices: list[str] = []


class TicketTemplate(Result):
    id: str
    name: str
    group: str
    category: str
    subject_area: str | None = None
    description: str | None = None
    name_de: str | None = None
    description_de: str | None = None
    active: bool = True
    guide: list[GuideQuestion] = []


class TicketTemplates(Result):
    items: list[TicketTemplate] = []


class SubjectArea(Result):
    name: str
    subtypes: list[str] = []
    active: bool = True


class Taxonomy(Result):
    items: list[SubjectArea] = []


class CatalogClient(ServiceClient):
    service = "tickets"

    async def templates(self) -> list[TicketTemplate]:
        """Every template, the inactive ones included (the vendor's admins see all)."""
        return (await self.get(TicketTemplates, "/api/v1/ticket-templates")).items

    async def template(self, template_id: str) -> TicketTemplate | None:
        # The service lists templates but has no page for one.
        return next((t for t in await self.templates() if t.id == template_id), None)

    async def create_template(self, body: dict[str, Any]) -> TicketTemplate:
        return await self.send("POST", "/api/v1/ticket-templates", TicketTemplate, json=body)

    async def update_template(self, template_id: str, body: dict[str, Any]) -> TicketTemplate:
        path = f"/api/v1/ticket-templates/{template_id}"
        return await self.send("PATCH", path, TicketTemplate, json=body)

    async def subject_areas(self) -> list[SubjectArea]:
        return (await self.get(Taxonomy, "/api/v1/ticket-taxonomy")).items

    async def save_subject_area(self, name: str, subtypes: list[str], active: bool) -> SubjectArea:
        """Creates or replaces the area of that name."""
        path = f"/api/v1/ticket-taxonomy/{quote(name, safe='')}"
        body = {"name": name, "subtypes": subtypes, "active": active}
        return await self.send("PUT", path, SubjectArea, json=body)
