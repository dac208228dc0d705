"""FastAPI dependencies of the pages: the page kit of the running gateway."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from portal_gateway.web.base import Web


async def get_web(request: Request) -> Web:
    return cast(Web, request.app.state.web)


WebDep = Annotated[Web, Depends(get_web)]
