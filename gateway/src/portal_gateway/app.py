"""The gateway: the public edge in front of every service, and the web portal on it."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from portal_chassis.platform import Platform
from portal_gateway.edge.assembly import Edge
from portal_gateway.settings import GatewaySettings
from portal_gateway.web.access import routes as access_pages
from portal_gateway.web.account import routes as account_pages
from portal_gateway.web.admin import routes as admin_pages
from portal_gateway.web.assets import routes as asset_pages
from portal_gateway.web.base import STATIC, Web, refused_page
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.desk import routes as desk_pages
from portal_gateway.web.exchange import routes as exchange_pages
from portal_gateway.web.faq import routes as faq_pages
from portal_gateway.web.home import passkey_sign_in as passkey_sign_in_calls
from portal_gateway.web.home import routes as home_pages
from portal_gateway.web.home import second_step as sign_in_code_page
from portal_gateway.web.notifications import routes as notification_pages
from portal_gateway.web.reports import desk_report as desk_report_page
from portal_gateway.web.reports import routes as report_pages
from portal_gateway.web.surveys import routes as survey_pages
from portal_gateway.web.tickets import detail as ticket_page
from portal_gateway.web.tickets import routes as ticket_pages

# In the order they are matched: the ticket list's fixed paths before a ticket's page.
PAGES = (
    home_pages,
    sign_in_code_page,
    passkey_sign_in_calls,
    account_pages,
    access_pages,
    ticket_pages,
    ticket_page,
    exchange_pages,
    report_pages,
    desk_report_page,
    desk_pages,
    admin_pages,
    faq_pages,
    notification_pages,
    asset_pages,
    survey_pages,
)


def create_gateway_app(
    settings: GatewaySettings | None = None, *, platform: Platform | None = None
) -> FastAPI:
    edge = Edge.build(settings or GatewaySettings(), platform or Platform())
    app = edge.app()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.web = Web(edge.sessions, edge.upstreams)
    for pages in PAGES:
        app.include_router(pages.router)
    app.add_exception_handler(ServiceError, refused_page)
    return app
