from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from portal_chassis.app import built_in_loop
from portal_chassis.auth import Actor, ActorDep, StaffDep
from portal_chassis.errors import InvalidInput
from portal_chassis.scopes import area_scope
from portal_tickets.deps import NumberPath, SettingsDep, UoWDep
from portal_tickets.export.tables import chunks
from portal_tickets.groups.service import group_filter
from portal_tickets.ticket import bulk, cursor, handover, service
from portal_tickets.ticket import following as following_service
from portal_tickets.ticket.models import DONE, Category, Priority, Status, Ticket
from portal_tickets.ticket.presenter import present_articles, present_tickets
from portal_tickets.ticket.schemas import (
    ArticleCreate,
    ArticlePage,
    ArticleRead,
    BulkRequest,
    BulkResult,
    DeskOptions,
    Followers,
    Following,
    MessageBody,
    PriorityChoice,
    Ref,
    TicketAudience,
    TicketCreate,
    TicketPage,
    TicketRead,
    TicketSummary,
    TicketUpdate,
)
from portal_tickets.uow import TicketsUoW

router = APIRouter(
    prefix="/api/v1/tickets", tags=["tickets"], dependencies=[Depends(area_scope("tickets"))]
)
# For the other services only (portal_chassis.readthrough): the gateway routes no
# /internal path, and network policies let only the services that read it reach it.
internal_router = APIRouter(
    prefix="/internal/v1/tickets", tags=["internal"], include_in_schema=False
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Scope = Literal["mine", "organization"]
State = Literal["all", "open", "closed"]
Sort = Literal[
    "number",
    "-number",
    "created",
    "-created",
    "updated",
    "-updated",
    "priority",
    "-priority",
    "sla",
    "-sla",
    "due",
    "-due",
]
Assignee = Annotated[
    str | None,
    Query(
        pattern=r"^(none|[0-9a-fA-F-]{36})$",
        description="An assignee's id, or `none` for unassigned tickets.",
    ),
]


class ListFilters:
    """The query parameters of the list, the summary and the export."""

    def __init__(
        self,
        scope: Scope = "organization",
        state: State = "all",
        status: Annotated[list[str], Query(max_length=10)] = [],  # noqa: B006
        priority: Annotated[list[Priority], Query(max_length=4)] = [],  # noqa: B006
        category: Annotated[list[Category], Query(max_length=4)] = [],  # noqa: B006
        q: Annotated[str | None, Query(max_length=200)] = None,
        organization_id: uuid.UUID | None = None,
        assignee: Assignee = None,
        asset_id: Annotated[uuid.UUID | None, Query(description="An asset's tickets.")] = None,
        group_id: Annotated[
            str | None,
            Query(
                pattern=r"^(none|[0-9a-fA-F-]{36})$",
                description="Staff: an agent group's id, or `none` for tickets without a "
                "group (ignored for customers).",
            ),
        ] = None,
        sla: Annotated[
            Literal["breached", "at_risk", "paused"] | None,
            Query(
                description="`breached`: past the reaction (while unanswered) or the "
                "resolution target; `at_risk`: running with less than a quarter of either "
                "target left (counted in wall-clock time, see the README); `paused`: open "
                "and waiting for the customer."
            ),
        ] = None,
        escalated: Annotated[
            bool | None,
            Query(description="`true`: open and escalated; `false`: all others."),
        ] = None,
        review: Annotated[
            Literal["internal", "requester", "any", "none"] | None,
            Query(
                description="Customers of an organization with internal review: tickets "
                "in review by its reviewers (`internal`), by the requester, in either "
                "(`any`), or with the service desk (`none`)."
            ),
        ] = None,
    ) -> None:
        self.scope, self.state, self.status = scope, state, status
        self.priority, self.category, self.q = priority, category, q
        self.organization_id, self.assignee, self.sla = organization_id, assignee, sla
        self.asset_id = asset_id
        self.group_id = group_id
        self.escalated = escalated
        self.review = review

    def as_query(self, actor: Actor) -> dict[str, Any]:
        statuses = service.parse_status_filter(self.status, actor)
        if self.state != "all":
            wanted = set(DONE) if self.state == "closed" else set(Status) - DONE
            statuses = wanted if statuses is None else statuses & wanted
        text = (self.q or "").strip() or None
        number = text if text and _looks_like_number(text) else None
        return {
            "statuses": statuses,
            "priorities": {p.value for p in self.priority} or None,
            "categories": {c.value for c in self.category} or None,
            "number": number,
            "text": None if number else text,
            "organization_id": self.organization_id,
            "assignee": _assignee(self.assignee),
            "asset_id": str(self.asset_id) if self.asset_id else None,
            "group": group_filter(self.group_id, actor),
            **_sla_query(self.sla, datetime.now(UTC)),
            "escalated": self.escalated,
            "review": self.review,
        }


FiltersDep = Annotated[ListFilters, Depends(built_in_loop(ListFilters))]


def _sla_query(sla: str | None, now: datetime) -> dict[str, Any]:
    """The SLA filter as the repository's query takes it."""
    return {
        "sla_breached_at": now if sla == "breached" else None,
        "sla_at_risk_at": now if sla == "at_risk" else None,
        "sla_paused": sla == "paused",
    }


def _assignee(value: str | None) -> uuid.UUID | Literal["none"] | None:
    if value is None:
        return None
    if value == "none":
        return "none"
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise InvalidInput(
            [{"field": "assignee", "message": "Not a user id.", "code": "assignee"}]
        ) from exc


def _looks_like_number(text: str) -> bool:
    return len(text) <= 32 and text[:1].isalpha() and text[1:].isdigit()


async def _read(uow: TicketsUoW, ticket: Ticket, actor: Actor, *, new: bool = False) -> TicketRead:
    async with uow.reading():
        return (await present_tickets(uow, [ticket], actor, new=new))[0]


@router.post("", status_code=201, response_model=TicketRead)
async def create_ticket(
    data: TicketCreate, actor: ActorDep, uow: UoWDep, settings: SettingsDep
) -> TicketRead:
    ticket = await service.open_ticket(uow=uow, data=data, actor=actor, settings=settings)
    return await _read(uow, ticket, actor, new=True)


@router.get("", response_model=TicketPage)
async def list_tickets(
    actor: ActorDep,
    uow: UoWDep,
    filters: FiltersDep,
    sort: Sort = "-created",
    cursor_: Annotated[str | None, Query(alias="cursor", max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> TicketPage:
    key = sort.lstrip("-")
    after = cursor.decode(cursor_, key) if cursor_ else None
    tickets, items = await _page(uow, actor, filters, sort, after, limit)
    next_cursor = cursor.encode(tickets[-1], key) if len(tickets) == limit else None
    return TicketPage(items=items, next_cursor=next_cursor)


async def _page(
    uow: TicketsUoW,
    actor: Actor,
    filters: ListFilters,
    sort: Sort,
    after: Any,
    limit: int,
) -> tuple[list[Ticket], list[TicketRead]]:
    """One page of the filtered list and its presentation, in one unit of work."""
    async with uow.reading():
        tickets = await service.ticket_page(
            uow=uow,
            actor=actor,
            scope=filters.scope,
            sort=sort.lstrip("-"),
            descending=sort.startswith("-"),
            after=after,
            limit=limit,
            **filters.as_query(actor),
        )
        return tickets, await present_tickets(uow, tickets, actor)


@router.get("/desk-options", response_model=DeskOptions)
async def desk_options(actor: StaffDep, settings: SettingsDep) -> DeskOptions:
    """The service desk: what this installation switched on for the desk's pages."""
    return DeskOptions(time_accounting=settings.time_accounting)


@router.get("/priorities", response_model=PriorityChoice)
async def ticket_priorities(actor: ActorDep, uow: UoWDep) -> PriorityChoice:
    """The priorities the caller may choose for a new ticket of their own (only P4
    without a priority contract): what the new-ticket form offers."""
    items, default = await service.opening_priorities(uow=uow, actor=actor)
    return PriorityChoice(items=list(items), default=default)


@router.get("/summary", response_model=TicketSummary)
async def ticket_summary(
    actor: ActorDep,
    uow: UoWDep,
    filters: FiltersDep,
) -> TicketSummary:
    return await service.summary(
        uow=uow, actor=actor, scope=filters.scope, **filters.as_query(actor)
    )


EXPORT_PAGE = 500
EXPORT_LIMIT = 100_000


def _language(request: Request, lang: str | None) -> str:
    if lang in ("de", "en"):
        return lang
    return "de" if request.headers.get("accept-language", "").lower().startswith("de") else "en"


async def _export_pages(
    uow: TicketsUoW, actor: Actor, filters: ListFilters, sort: Sort
) -> AsyncIterator[list[TicketRead]]:
    """The filtered list page by page, as the list shows it, up to EXPORT_LIMIT rows."""
    after, total = None, 0
    while total < EXPORT_LIMIT:
        tickets, page = await _page(uow, actor, filters, sort, after, EXPORT_PAGE)
        if not tickets:
            return
        yield page
        total += len(tickets)
        if len(tickets) < EXPORT_PAGE:
            return
        after = cursor.position(tickets[-1], sort.lstrip("-"))


@router.get(
    "/export.xlsx",
    response_class=StreamingResponse,
    responses={200: {"content": {XLSX: {}}, "description": "The list as an Excel workbook"}},
)
async def export_xlsx(
    request: Request,
    actor: ActorDep,
    uow: UoWDep,
    filters: FiltersDep,
    settings: SettingsDep,
    sort: Sort = "-created",
    lang: Annotated[Literal["de", "en"] | None, Query()] = None,
) -> StreamingResponse:
    from portal_tickets.export.xlsx import write_workbook  # on first use: export/tables.py

    rows = _export_pages(uow, actor, filters, sort)
    workbook = await write_workbook(rows, _language(request, lang), zone=settings.business_timezone)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return StreamingResponse(
        chunks(workbook),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="tickets-{stamp}.xlsx"'},
    )


@router.get(
    "/{number}/export.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The ticket as PDF"}},
)
async def export_pdf(
    request: Request,
    number: NumberPath,
    actor: ActorDep,
    uow: UoWDep,
    settings: SettingsDep,
    lang: Annotated[Literal["de", "en"] | None, Query()] = None,
) -> Response:
    from portal_tickets.export.pdf import render_ticket  # on first use: export/tables.py

    # The PDF is for sharing outside: public correspondence only, also for agents.
    ticket, articles = await service.ticket_document(uow=uow, number=number, actor=actor)
    async with uow:
        read = (await present_tickets(uow, [ticket], actor))[0]
        public = await present_articles(uow, articles, actor)
        # Names from the local directory of uploads (fed by files' events).
        known = await uow.directory.files({f for a in public for f in a.attachment_ids})
    body = render_ticket(
        read,
        public,
        _language(request, lang),
        zone=settings.business_timezone,
        files={i: f.name for i, f in known.items()},
    )
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{ticket.number}.pdf"'},
    )


@router.get("/{number}", response_model=TicketRead)
async def get_ticket(number: NumberPath, actor: ActorDep, uow: UoWDep) -> TicketRead:
    async with uow.reading():  # one unit of work: one connection for the whole read
        ticket = await service.visible_ticket(uow, number, actor, lock=False)
        return (await present_tickets(uow, [ticket], actor))[0]


@router.post("/bulk", response_model=BulkResult)
async def bulk_change(
    data: BulkRequest, actor: StaffDep, uow: UoWDep, settings: SettingsDep
) -> BulkResult:
    """The service desk: one change (assignee, status, priority, group) and/or an
    internal note on up to 100 tickets. Each ticket is changed on its own, by the same
    rules and with the same audited events as a single change; the result says for each
    whether it took and, if not, why (the status and errors the single change would give)."""
    return await bulk.apply(uow=uow, request=data, actor=actor, settings=settings)


@router.patch("/{number}", response_model=TicketRead)
async def update_ticket(
    number: NumberPath, data: TicketUpdate, actor: ActorDep, uow: UoWDep
) -> TicketRead:
    ticket = await service.update_ticket(uow=uow, number=number, data=data, actor=actor)
    return await _read(uow, ticket, actor)


@router.get("/{number}/articles", response_model=ArticlePage)
async def list_articles(number: NumberPath, actor: ActorDep, uow: UoWDep) -> ArticlePage:
    articles = await service.list_articles(uow=uow, number=number, actor=actor)
    async with uow.reading():
        return ArticlePage(items=await present_articles(uow, articles, actor))


@router.post("/{number}/articles", status_code=201, response_model=ArticleRead)
async def add_article(
    number: NumberPath, data: ArticleCreate, actor: ActorDep, uow: UoWDep, settings: SettingsDep
) -> ArticleRead:
    article = await service.add_article(
        uow=uow, number=number, data=data, actor=actor, settings=settings
    )
    async with uow.reading():
        return (await present_articles(uow, [article], actor))[0]


@router.post("/{number}/escalate", status_code=201, response_model=ArticleRead)
async def escalate(
    number: NumberPath, data: MessageBody, actor: ActorDep, uow: UoWDep, settings: SettingsDep
) -> ArticleRead:
    article = await service.escalate(
        uow=uow, number=number, body=data.body, actor=actor, settings=settings
    )
    async with uow.reading():
        return (await present_articles(uow, [article], actor))[0]


@router.post("/{number}/close", response_model=TicketRead)
async def close(number: NumberPath, actor: ActorDep, uow: UoWDep) -> TicketRead:
    ticket = await service.close(uow=uow, number=number, actor=actor, cancel=False)
    return await _read(uow, ticket, actor)


@router.post("/{number}/cancel", response_model=TicketRead)
async def cancel(number: NumberPath, actor: ActorDep, uow: UoWDep) -> TicketRead:
    ticket = await service.close(uow=uow, number=number, actor=actor, cancel=True)
    return await _read(uow, ticket, actor)


@router.post("/{number}/hand-over", response_model=TicketRead)
async def hand_over(number: NumberPath, actor: ActorDep, uow: UoWDep) -> TicketRead:
    """A reviewer of the ticket's organization hands it over from the internal review to
    the service desk (422 `reviewers_only` for others, 409 once handed over)."""
    ticket = await handover.hand_over(uow=uow, number=number, actor=actor)
    return await _read(uow, ticket, actor)


@router.get("/{number}/follow", response_model=Following)
async def following(number: NumberPath, actor: ActorDep, uow: UoWDep) -> Following:
    return Following(
        following=await following_service.is_following(uow=uow, number=number, actor=actor)
    )


@router.put("/{number}/follow", response_model=Following)
async def follow(number: NumberPath, actor: ActorDep, uow: UoWDep) -> Following:
    """Hear about this ticket's replies and status changes, by the channels in the profile."""
    done = await following_service.set_following(uow=uow, number=number, actor=actor, follow=True)
    return Following(following=done)


@router.delete("/{number}/follow", response_model=Following)
async def unfollow(number: NumberPath, actor: ActorDep, uow: UoWDep) -> Following:
    done = await following_service.set_following(uow=uow, number=number, actor=actor, follow=False)
    return Following(following=done)


@router.get("/{number}/followers", response_model=Followers)
async def followers(number: NumberPath, actor: StaffDep, uow: UoWDep) -> Followers:
    """The service desk: who follows the ticket."""
    users = await following_service.followers(uow=uow, number=number, actor=actor)
    return Followers(items=[Ref(id=u.id, name=u.display_name or u.username) for u in users])


@router.put("/{number}/followers/{user_id}", status_code=204)
async def add_follower(
    number: NumberPath, user_id: uuid.UUID, actor: StaffDep, uow: UoWDep
) -> Response:
    """The service desk adds someone who may see the ticket (a colleague, the customer's
    colleague) as a follower; 422 `unknown_user` for anybody else."""
    await following_service.set_follower(
        uow=uow, number=number, actor=actor, user_id=user_id, follow=True
    )
    return Response(status_code=204)


@router.delete("/{number}/followers/{user_id}", status_code=204)
async def remove_follower(
    number: NumberPath, user_id: uuid.UUID, actor: StaffDep, uow: UoWDep
) -> Response:
    await following_service.set_follower(
        uow=uow, number=number, actor=actor, user_id=user_id, follow=False
    )
    return Response(status_code=204)


@internal_router.get("/{number}/audience", response_model=TicketAudience)
async def ticket_audience(number: NumberPath, uow: UoWDep) -> TicketAudience:
    """Whose a ticket is, for a service whose read model has not heard of it yet."""
    return TicketAudience.of(await service.get_audience(uow=uow, number=number))
