"""The profile's choice not to be sent satisfaction surveys (kept by the tickets service):
offered to customers only (staff are never asked), left out of the page when the tickets
service cannot say."""

from __future__ import annotations

from portal_gateway.web.base import Submission, Viewer, Web
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.tickets import TicketsClient

SHOWN = "survey_shown"  # the form carried the checkbox (unticked sends nothing)
FIELD = "survey_opt_out"


async def opt_out_shown(web: Web, viewer: Viewer) -> bool | None:
    """The choice as stored; None when the profile does not offer it."""
    if viewer.actor is None or viewer.is_staff:
        return None
    try:
        return await web.client(TicketsClient, viewer).survey_opt_out()
    except ServiceError:
        return None


def opt_out_posted(submission: Submission) -> bool | None:
    """The choice as posted; None when the form did not offer it."""
    if submission.form.get(SHOWN) != "1":
        return None
    return submission.form.get(FIELD) == "1"


async def save_opt_out(web: Web, viewer: Viewer, opt_out: bool | None) -> ServiceError | None:
    """Store the posted choice (nothing when none was offered); the refusal, if any."""
    if opt_out is None:
        return None
    try:
        await web.client(TicketsClient, viewer).set_survey_opt_out(opt_out)
    except ServiceError as error:
        return error
    return None
