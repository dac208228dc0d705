"""The contract page: what a customer (and their customer admin) may expect of the
vendor's service desk. It shows the organization's contract in force, or the standard
terms without one: whether priorities may be chosen, the reaction and resolution
targets per priority in business hours, and the business calendar they count in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.base import sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.contracts import PRIORITIES, Calendar, ContractsClient, Terms
from portal_gateway.web.deps import WebDep
from portal_gateway.web.i18n import TEXTS, language

UPCOMING_HOLIDAYS = 12

router = APIRouter(include_in_schema=False)


@dataclass
class TargetLine:
    priority: str
    reaction: str
    resolution: str


@dataclass
class DayLine:
    day: int
    hours: str | None  # "08:00-17:00" (with an en dash); None: closed


def business_hours(value: float, lang: str) -> str:
    """4 -> "4 business hours", 1.5 -> "1,5 Geschäftsstunden" (de)."""
    shown = f"{value:g}"
    if lang == "de":
        shown = shown.replace(".", ",")
    words = TEXTS[lang]
    return words["my_contract_hours_one" if value == 1 else "my_contract_hours_other"].format(
        n=shown
    )


def target_lines(terms: Terms, lang: str) -> list[TargetLine]:
    return [
        TargetLine(
            p,
            business_hours(terms.targets[p].reaction_hours, lang),
            business_hours(terms.targets[p].resolution_hours, lang),
        )
        for p in PRIORITIES
        if p in terms.targets
    ]


def day_lines(calendar: Calendar) -> list[DayLine]:
    lines = []
    for day in range(7):
        span = calendar.weekly.get(str(day)) or []
        lines.append(DayLine(day, f"{span[0]}\u2013{span[1]}" if len(span) >= 2 else None))
    return lines


def shown_date(day: date, lang: str) -> str:
    return day.strftime("%d.%m.%Y") if lang == "de" else day.isoformat()


@router.get("/contract")
async def contract_page(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    if viewer.actor.organization_id is None:
        return web.render(request, "account/contract.html", viewer=viewer, terms=None)
    lang = language(request)
    try:
        terms = await web.client(ContractsClient, viewer).terms()
    except ServiceError as error:
        status = 404 if error.missing else 503
        return web.render(
            request, "account/contract.html", status, viewer=viewer, terms=None, failed=True
        )
    today = date.today()
    contract = terms.contract
    return web.render(
        request,
        "account/contract.html",
        viewer=viewer,
        terms=terms,
        contract=contract,
        valid_from=shown_date(contract.valid_from, lang) if contract else "",
        valid_until=shown_date(contract.valid_until, lang)
        if contract and contract.valid_until
        else "",
        targets=target_lines(terms, lang),
        days=day_lines(terms.calendar),
        holidays=[shown_date(d, lang) for d in sorted(terms.calendar.holidays) if d >= today][
            :UPCOMING_HOLIDAYS
        ],
    )
