"""An export whose first page is refused (a bad filter surfaces there) ends its
half-written workbook: nothing complains when it is collected."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator

import pytest

from portal_chassis.errors import InvalidInput
from portal_tickets.export.xlsx import write_workbook
from portal_tickets.ticket.schemas import TicketRead


async def _refused() -> AsyncIterator[list[TicketRead]]:
    raise InvalidInput([{"field": "status", "message": "Unknown status.", "code": "unknown"}])
    yield []  # an async generator


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
async def test_a_refused_first_page_leaves_no_half_written_sheet() -> None:
    with pytest.raises(InvalidInput):
        await write_workbook(_refused(), "en")
    gc.collect()
