"""The gateway as a deployable part (`portal serve gateway`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

from portal_chassis.demo import DemoTimeline
from portal_chassis.platform import Platform
from portal_gateway.settings import GatewaySettings


@dataclass
class GatewayModule:
    name: str = "gateway"
    default_port: int = 8000
    settings_cls: type[GatewaySettings] = field(default=GatewaySettings)

    def create_app(self, settings: Any = None, *, platform: Platform | None = None) -> FastAPI:
        from portal_gateway.app import create_gateway_app

        return create_gateway_app(settings or self.settings_cls(), platform=platform)

    async def play_demo(self, app: FastAPI) -> tuple[list[str], DemoTimeline]:
        """`portal dev --demo`: the story that crosses services, through the public API."""
        from portal_gateway.demo.player import play

        return await play(app)


module = GatewayModule()
