"""The words of the web UI in German and English: each area keeps its own in its folder
(`<area>/texts.py`), the words every page shares are in `common_texts.py`.

Each module holds `EN` and `DE` with the same keys; `TEXTS` merges them, and a key may
belong to one area only (the merge refuses a duplicate)."""

from __future__ import annotations

from types import ModuleType

from portal_gateway.web import common_texts as common
from portal_gateway.web.access import texts as access
from portal_gateway.web.account import contract_texts as account_contract
from portal_gateway.web.account import passkey_texts as account_passkeys
from portal_gateway.web.account import sessions_texts as account_sessions
from portal_gateway.web.account import texts as account
from portal_gateway.web.admin import client_texts as clients
from portal_gateway.web.admin import contract_texts as contracts
from portal_gateway.web.admin import desk_texts as desk_setup
from portal_gateway.web.admin import review_texts as organization_review
from portal_gateway.web.admin import texts as admin
from portal_gateway.web.assets import texts as assets
from portal_gateway.web.desk import texts as desk
from portal_gateway.web.desk import work_texts as desk_work
from portal_gateway.web.exchange import texts as exchange
from portal_gateway.web.faq import texts as faq
from portal_gateway.web.notifications import texts as notifications
from portal_gateway.web.reports import texts as reports
from portal_gateway.web.surveys import texts as surveys
from portal_gateway.web.tickets import detail_texts as ticket_detail
from portal_gateway.web.tickets import review_texts as ticket_review
from portal_gateway.web.tickets import texts as tickets

AREAS: tuple[ModuleType, ...] = (
    common,
    account,
    access,
    account_contract,
    account_passkeys,
    account_sessions,
    tickets,
    ticket_detail,
    ticket_review,
    desk,
    desk_work,
    exchange,
    reports,
    admin,
    clients,
    contracts,
    desk_setup,
    organization_review,
    faq,
    notifications,
    assets,
    surveys,
)


def _merge(attribute: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in AREAS:
        words: dict[str, str] = getattr(area, attribute)
        clash = merged.keys() & words.keys()
        if clash:
            raise ValueError(f"{area.__name__} repeats keys {sorted(clash)}")
        merged.update(words)
    return merged


TEXTS: dict[str, dict[str, str]] = {"en": _merge("EN"), "de": _merge("DE")}
