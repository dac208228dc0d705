"""Backing services for tests: from `PORTAL_TEST_*` URLs, else testcontainers when a
Docker engine answers, else unavailable (skipped locally, a failure when `CI=true`)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ENV = {
    "postgres": "PORTAL_TEST_POSTGRES_URL",
    "amqp": "PORTAL_TEST_AMQP_URL",
    "redis": "PORTAL_TEST_REDIS_URL",
    "s3": "PORTAL_TEST_S3_ENDPOINT",
}


@dataclass
class Availability:
    missing: dict[str, str] = field(default_factory=dict)


availability = Availability()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def docker_available() -> bool:
    return bool(os.environ.get("DOCKER_HOST")) or Path("/var/run/docker.sock").exists()


def unavailable(service: str, why: str) -> None:
    message = f"{service} is not available: {why}. Set {ENV[service]} to run these tests."
    availability.missing[service] = message
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    default = {"postgresql": 5432, "amqp": 5672, "redis": 6379, "http": 80, "https": 443}
    port = parts.port or default.get(parts.scheme.split("+")[0], 0)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def resolve(service: str, container: Callable[[], str] | None) -> str:
    """The service's URL, or skip/fail as described above."""
    if url := os.environ.get(ENV[service]):
        if not reachable(url):
            unavailable(service, f"nothing answers at {ENV[service]}")
        return url
    if container is not None and docker_available():
        try:
            return container()
        except Exception as exc:  # docker.errors.DockerException and friends
            unavailable(service, f"testcontainers could not start it ({exc})")
    unavailable(service, f"{ENV[service]} is unset and no Docker engine answers")
    raise AssertionError("unreachable")
