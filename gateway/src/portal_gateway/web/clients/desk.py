"""The tickets service's desk setup: agent groups (members in round-robin order, a lead),
the routing rules that send new tickets to a group (tried in their order, the first
match wins), and the text modules agents insert into replies. The service desk reads
them; administrators keep them."""

from __future__ import annotations

from typing import Any

from portal_gateway.web.clients.base import Page, Result, ServiceClient

GROUPS = "/api/v1/agent-groups"
RULES = "/api/v1/routing-rules"
TEXT_MODULES = "/api/v1/text-modules"
# A routing rule's conditions, as the service names them (at least one is set).
CONDITIONS = ("subject_area", "category", "organization_id", "product")


class Ref(Result):
    id: str
    name: str = ""


class GroupMember(Result):
    id: str
    name: str = ""
    active: bool = True  # inactive members are skipped by the round robin


class AgentGroup(Result):
    id: str
    name: str
    lead: Ref | None = None
    members: list[GroupMember] = []  # in round-robin order
    round_robin: bool = False


class AgentGroups(Result):
    items: list[AgentGroup] = []


class RoutingRule(Result):
    id: str
    position: int  # 1 is tried first
    group: Ref
    subject_area: str | None = None
    category: str | None = None
    organization: Ref | None = None
    product: str | None = None


class RoutingRules(Result):
    items: list[RoutingRule] = []  # in the order they are tried


class TextModule(Result):
    id: str
    name: str
    language: str  # de or en
    body: str
    keywords: str = ""
    set_status: str | None = None
    set_priority: str | None = None


class TextModules(Page):
    items: list[TextModule] = []


class Rendered(Result):
    """A text module filled in for one ticket, and what inserting it would set."""

    body: str
    set_status: str | None = None
    set_priority: str | None = None


class DeskClient(ServiceClient):
    service = "tickets"

    # -- agent groups --------------------------------------------------------------------

    async def groups(self) -> list[AgentGroup]:
        return (await self.get(AgentGroups, GROUPS)).items

    async def group(self, group_id: str) -> AgentGroup:
        return await self.get(AgentGroup, f"{GROUPS}/{group_id}")

    async def create_group(self, body: dict[str, Any]) -> AgentGroup:
        return await self.send("POST", GROUPS, AgentGroup, json=body)

    async def update_group(self, group_id: str, body: dict[str, Any]) -> AgentGroup:
        return await self.send("PATCH", f"{GROUPS}/{group_id}", AgentGroup, json=body)

    async def delete_group(self, group_id: str) -> None:
        """The group's routing rules go with it; its tickets stay, without a group."""
        await self.act("DELETE", f"{GROUPS}/{group_id}")

    # -- routing rules -------------------------------------------------------------------

    async def rules(self) -> list[RoutingRule]:
        return (await self.get(RoutingRules, RULES)).items

    async def create_rule(self, body: dict[str, Any]) -> RoutingRule:
        return await self.send("POST", RULES, RoutingRule, json=body)

    async def update_rule(self, rule_id: str, body: dict[str, Any]) -> RoutingRule:
        return await self.send("PATCH", f"{RULES}/{rule_id}", RoutingRule, json=body)

    async def delete_rule(self, rule_id: str) -> None:
        await self.act("DELETE", f"{RULES}/{rule_id}")

    async def reorder_rules(self, ids: list[str]) -> list[RoutingRule]:
        """Every rule's id once, in the order they are to be tried (422 `order_mismatch`
        when the rules changed meanwhile)."""
        return (await self.send("PUT", f"{RULES}/order", RoutingRules, json={"ids": ids})).items

    # -- text modules --------------------------------------------------------------------

    async def text_modules(
        self,
        *,
        text: str = "",
        language: str | None = None,
        cursor: str | None = None,
        limit: int = 25,
    ) -> TextModules:
        """Text modules by name; `text` finds words in name, keywords and body."""
        params: dict[str, Any] = {"limit": limit}
        if text:
            params["q"] = text
        if language:
            params["language"] = language
        if cursor:
            params["cursor"] = cursor
        return await self.get(TextModules, TEXT_MODULES, params=params)

    async def text_module(self, module_id: str) -> TextModule:
        return await self.get(TextModule, f"{TEXT_MODULES}/{module_id}")

    async def create_text_module(self, body: dict[str, Any]) -> TextModule:
        return await self.send("POST", TEXT_MODULES, TextModule, json=body)

    async def update_text_module(self, module_id: str, body: dict[str, Any]) -> TextModule:
        return await self.send("PATCH", f"{TEXT_MODULES}/{module_id}", TextModule, json=body)

    async def delete_text_module(self, module_id: str) -> None:
        await self.act("DELETE", f"{TEXT_MODULES}/{module_id}")

    async def render_text_module(self, module_id: str, ticket: str) -> Rendered:
        """The module filled in for the ticket with this number (404 for a ticket the
        viewer does not see); changes nothing."""
        path = f"{TEXT_MODULES}/{module_id}/render"
        return await self.send("POST", path, Rendered, json={"ticket": ticket})
