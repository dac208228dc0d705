"""The tickets service as the pages use it: ticket lists and counters, saved views, one
ticket with its correspondence and actions, the desk's changes, and the reports.

Times and ids stay the strings the service sends: the pages compare and show them as
such (the `local_time` filter reads either)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from portal_gateway.web.clients.base import Page, Result, ServiceClient

# The service's words, in the order the pages list them: a ticket's status (the service
# desk's), its portal status (what the customer sees), priority and category.
STATUSES = (
    "new",
    "open",
    "waiting_internal",
    "waiting_customer",
    "postponed",
    "resolved",
    "closed",
    "cancelled",
)
PORTAL_STATUSES = ("in_progress", "answer_expected", "closed", "postponed")
PRIORITIES = ("P1", "P2", "P3", "P4")
CATEGORIES = ("incident", "service_request", "change_request", "question")
CHANNELS = ("phone", "email", "portal", "on_site")
# Where a ticket stands in its organization's internal review (None: with the desk).
REVIEWS = ("internal", "requester")

# A list's query as the service reads it; repeated names (`status=a&status=b`) as pairs.
ListParams = Mapping[str, str] | Sequence[tuple[str, str]]


class Ref(Result):
    id: str
    name: str = ""


class SlaTimer(Result):
    """One target of the SLA clock: the first reaction, or the resolution."""

    target_hours: float | None = None  # in business hours
    due_at: str | None = None  # while paused: as if the pause ended now
    state: str | None = None  # ok, at_risk, breached, paused, met, missed, stopped
    running: bool = False
    done_at: str | None = None  # the first public answer, or when resolved


class SlaContract(Result):
    id: str | None = None  # None: the standard terms, no contract
    name: str = ""


class Sla(Result):
    """The ticket's SLA clock. `state` and `due_at` are the reaction's (kept for older
    answers, which have nothing else); the other fields default for those too."""

    state: str | None = None
    due_at: str | None = None
    first_response_at: str | None = None
    running: bool = False
    reaction: SlaTimer | None = None
    resolution: SlaTimer | None = None
    paused: bool = False  # waiting for the customer's answer
    paused_since: str | None = None
    paused_hours: float = 0.0
    contract: SlaContract | None = None
    time_zone: str | None = None  # the business calendar's


class TicketAsset(Result):
    """The asset (installation) a ticket names."""

    id: str
    name: str = ""
    serial_number: str = ""
    product: str | None = None
    location: str | None = None


class TicketLink(Result):
    """Another ticket as linked from the one shown (as far as the viewer may see it).
    `kind`: related, merged_into, merged_from, follow_up_of or follow_up."""

    number: str
    title: str = ""
    kind: str = "related"
    portal_status: str = ""


class SurveySummary(Result):
    """A closed ticket's satisfaction survey (the service desk and the creator see it).
    `state`: open (waiting for an answer), answered (still changeable) or closed."""

    state: str = "open"
    rating: int | None = None
    comment: str = ""
    answered_at: str | None = None
    changeable_until: str = ""


class Survey(SurveySummary):
    """A survey with the ticket it is about, as its link or the ticket shows it."""

    number: str
    title: str = ""
    changeable: bool = False


class SurveyPreference(Result):
    opt_out: bool = False


class Ticket(Result):
    number: str
    title: str = ""
    description: str | None = None
    status: str | None = None  # the internal status: the service desk only
    portal_status: str = ""
    organization: Ref | None = None
    creator: Ref | None = None
    assignee: Ref | None = None
    reopen_until: str | None = None
    sla: Sla | None = None
    created_at: str = ""
    contact: Ref | None = None
    category: str = ""
    priority: str = ""
    subject_area: str | None = None
    subtype: str | None = None
    product: str | None = None
    asset: TicketAsset | None = None
    channel: str = "portal"  # how the request reached the desk
    review: str | None = None  # in the organization's review: internal or requester
    handed_over_at: str | None = None  # when its reviewers handed it to the desk
    follow_up_of: str | None = None  # the closed ticket this one continues
    follow_ups: list[str] = []  # tickets that continue this one
    allowed_priorities: list[str] = []  # those the viewer may set
    group: Ref | None = None  # the agent group (the service desk only)
    merged_into: str | None = None  # the ticket this closed duplicate went into
    time_spent_minutes: int | None = None  # booked minutes (the service desk only)
    links: list[TicketLink] = []
    survey: SurveySummary | None = None  # the desk and the ticket's creator only


class TicketPage(Page):
    items: list[Ticket] = []


class Summary(Result):
    total: int = 0
    by_priority: dict[str, int] = {}
    by_portal_status: dict[str, int] = {}


class SavedView(Result):
    id: str
    name: str
    query: dict[str, Any] = {}


class SavedViews(Result):
    items: list[SavedView] = []


class BulkOutcome(Result):
    """One ticket of a bulk action: whether the change took, else the status and the
    problem the single change would have had."""

    number: str
    ok: bool
    status: int = 200
    detail: str | None = None
    errors: list[dict[str, Any]] = []


class BulkResult(Result):
    changed: int = 0
    failed: int = 0
    results: list[BulkOutcome] = []


class Article(Result):
    id: str
    kind: str = "message"
    internal: bool = False
    body: str = ""
    attachment_ids: list[str] = []
    created_at: str = ""


class Articles(Page):
    items: list[Article] = []


class Following(Result):
    following: bool = False


class Opened(Result):
    number: str


class WeekCount(Result):
    starts_at: str
    opened: int = 0
    closed: int = 0


class Reaction(Result):
    priority: str
    met_share: float | None = None
    median_first_reaction_seconds: float | None = None


class Report(Result):
    since: str
    weeks: list[WeekCount] = []
    by_priority: dict[str, int] = {}
    by_category: dict[str, int] = {}
    reaction: list[Reaction] = []


class Followers(Result):
    items: list[Ref] = []


class DeskOptions(Result):
    time_accounting: bool = False


class DeskRow(Result):
    key: Ref | None = None
    opened: int = 0
    closed: int = 0
    backlog: int = 0
    reaction_met: int = 0
    reaction_missed: int = 0
    reaction_met_share: float | None = None
    resolution_met: int = 0
    resolution_missed: int = 0
    resolution_met_share: float | None = None
    median_reaction_seconds: float | None = None
    median_resolution_seconds: float | None = None
    escalated: int = 0
    minutes: int = 0
    survey_answers: int = 0
    survey_satisfied: int = 0
    csat: float | None = None  # the share of answers rated 4 or 5
    average_rating: float | None = None


class SatisfactionMonth(Result):
    month: str  # YYYY-MM
    answers: int = 0
    satisfied: int = 0
    csat: float | None = None
    average_rating: float | None = None


class DeskReport(Result):
    by: str
    since: str
    until: str
    rows: list[DeskRow] = []
    total: DeskRow
    satisfaction_by_month: list[SatisfactionMonth] = []


class Contact(Result):
    id: str
    username: str = ""


class Contacts(Result):
    items: list[Contact] = []


class PriorityChoice(Result):
    items: list[str] = []
    default: str = "P4"  # what a ticket gets when none is chosen (the contract's default)


def _ticket(number: str) -> str:
    return f"/api/v1/tickets/{quote(number, safe='')}"


def _survey(token: str) -> str:
    return f"/api/v1/surveys/{quote(token, safe='')}"


SURVEY_PREFERENCE = "/api/v1/surveys/preference"


class TicketsClient(ServiceClient):
    service = "tickets"

    # --- Lists, counters, saved views -------------------------------------------------

    async def tickets(self, params: ListParams) -> TicketPage:
        return await self.get(TicketPage, "/api/v1/tickets", params=params)

    async def summary(self, scope: str) -> Summary:
        return await self.get(Summary, "/api/v1/tickets/summary", params={"scope": scope})

    async def saved_views(self) -> SavedViews:
        return await self.get(SavedViews, "/api/v1/ticket-views")

    async def save_view(self, name: str, query: Mapping[str, Any]) -> None:
        await self.act("POST", "/api/v1/ticket-views", json={"name": name, "query": query})

    async def delete_view(self, view_id: str) -> None:
        await self.act("DELETE", f"/api/v1/ticket-views/{quote(view_id, safe='')}")

    async def count(self, params: ListParams) -> Summary:
        """The counters of the tickets a list's filters find (`total`: all of them)."""
        return await self.get(Summary, "/api/v1/tickets/summary", params=params)

    async def bulk(
        self, numbers: Sequence[str], changes: Mapping[str, Any], note: str | None = None
    ) -> BulkResult:
        """One change and/or an internal note on many tickets, each on its own."""
        body: dict[str, Any] = {"numbers": list(numbers), "changes": dict(changes)}
        if note:
            body["note"] = note
        return await self.send("POST", "/api/v1/tickets/bulk", BulkResult, json=body)

    # --- A new ticket -----------------------------------------------------------------

    async def new_ticket_priorities(self) -> PriorityChoice:
        """The priorities the viewer may choose for a ticket of their own."""
        return await self.get(PriorityChoice, "/api/v1/tickets/priorities")

    async def contacts(self) -> Contacts:
        """The colleagues a customer may open a ticket for."""
        return await self.get(Contacts, "/api/v1/ticket-contacts")

    async def open_ticket(self, fields: Mapping[str, Any]) -> Opened:
        """`hand_over: true` sends a reviewer's ticket to the service desk at once
        instead of into the organization's review (ignored for others)."""
        return await self.send("POST", "/api/v1/tickets", Opened, json=fields)

    # --- One ticket -------------------------------------------------------------------

    async def ticket(self, number: str) -> Ticket:
        return await self.get(Ticket, _ticket(number))

    async def articles(self, number: str) -> Articles:
        return await self.get(Articles, f"{_ticket(number)}/articles")

    async def following(self, number: str) -> bool:
        return (await self.get(Following, f"{_ticket(number)}/follow")).following

    async def time_accounting(self) -> bool:
        """Whether agents book minutes on replies and notes here (staff only)."""
        return (await self.get(DeskOptions, "/api/v1/tickets/desk-options")).time_accounting

    async def add_article(
        self,
        number: str,
        body: str,
        attachment_ids: Sequence[str],
        *,
        internal: bool | None = None,
        seen_until: str | None = None,
        minutes: int | None = None,
    ) -> None:
        """A reply (or, from the service desk, an internal note); `internal` left out of
        the request when None. With `seen_until` (the newest message the writer saw) the
        service refuses it (409 `newer_message`) if someone else wrote since."""
        article: dict[str, Any] = {"body": body, "attachment_ids": list(attachment_ids)}
        if internal is not None:
            article["internal"] = internal
        if seen_until:
            article["seen_until"] = seen_until
        if minutes is not None:
            article["minutes"] = minutes
        await self.act("POST", f"{_ticket(number)}/articles", json=article)

    async def escalate(self, number: str, body: str) -> None:
        await self.act("POST", f"{_ticket(number)}/escalate", json={"body": body})

    async def change(self, number: str, changes: Mapping[str, Any]) -> None:
        """Changes fields of the ticket (category, priority, status, assignee_id,
        subject_area, subtype, asset_id; a reviewer: `review`, internal or requester)."""
        await self.act("PATCH", _ticket(number), json=dict(changes))

    async def close(self, number: str) -> None:
        await self.act("POST", f"{_ticket(number)}/close")

    async def cancel(self, number: str) -> None:
        await self.act("POST", f"{_ticket(number)}/cancel")

    async def hand_over(self, number: str) -> None:
        """A reviewer hands the ticket from the organization's review to the service
        desk (422 `reviewers_only` for others, 409 once handed over)."""
        await self.act("POST", f"{_ticket(number)}/hand-over")

    async def followers(self, number: str) -> list[Ref]:
        """Who follows the ticket (the service desk only)."""
        return (await self.get(Followers, f"{_ticket(number)}/followers")).items

    async def add_follower(self, number: str, user_id: str) -> None:
        await self.act("PUT", f"{_ticket(number)}/followers/{quote(user_id, safe='')}")

    async def remove_follower(self, number: str, user_id: str) -> None:
        await self.act("DELETE", f"{_ticket(number)}/followers/{quote(user_id, safe='')}")

    async def follow(self, number: str) -> None:
        await self.act("PUT", f"{_ticket(number)}/follow")

    async def unfollow(self, number: str) -> None:
        await self.act("DELETE", f"{_ticket(number)}/follow")

    # --- Satisfaction surveys ------------------------------------------------------------

    async def survey(self, token: str) -> Survey:
        """The survey behind a mailed link (404 unknown, 410 expired); call it as nobody:
        the token is the credential."""
        return await self.get(Survey, _survey(token))

    async def answer_survey(self, token: str, rating: int, comment: str) -> Survey:
        """Answer (or change the answer) through the link."""
        body = {"rating": rating, "comment": comment}
        return await self.send("PUT", _survey(token), Survey, json=body)

    async def answer_ticket_survey(self, number: str, rating: int, comment: str) -> Survey:
        """The ticket's creator answers on the ticket (409 once closed)."""
        body = {"rating": rating, "comment": comment}
        return await self.send("PUT", f"{_ticket(number)}/survey", Survey, json=body)

    async def survey_opt_out(self) -> bool:
        return (await self.get(SurveyPreference, SURVEY_PREFERENCE)).opt_out

    async def set_survey_opt_out(self, opt_out: bool) -> None:
        await self.act("PUT", SURVEY_PREFERENCE, json={"opt_out": opt_out})

    # --- Links and merging (the service desk) -------------------------------------------

    async def link(self, number: str, other: str) -> None:
        """Link `other` as related (linked already: nothing changes)."""
        await self.act("POST", f"{_ticket(number)}/links", json={"number": other})

    async def unlink(self, number: str, other: str) -> None:
        """Remove the related link (a merge's link stays: 409)."""
        await self.act("DELETE", f"{_ticket(number)}/links/{quote(other, safe='')}")

    async def merge(self, number: str, into: str) -> None:
        """Merge the duplicate `number` into `into`; it is closed, pointing there."""
        await self.act("POST", f"{_ticket(number)}/merge", json={"into": into})

    # --- Reports ----------------------------------------------------------------------

    async def desk_report(self, by: str, since: str | None, until: str | None) -> DeskReport:
        """The vendor's figures per organization, group or agent (staff only)."""
        params = {"by": by} | {k: v for k, v in (("since", since), ("until", until)) if v}
        return await self.get(DeskReport, "/api/v1/tickets/reports/desk", params=params)

    async def report(self, weeks: int, organization_id: str | None = None) -> Report:
        params = {"weeks": str(weeks)}
        if organization_id:
            params["organization_id"] = organization_id
        return await self.get(Report, "/api/v1/tickets/reports", params=params)
