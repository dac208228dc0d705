"""The Compose stack (deploy/compose/compose.yaml): valid for Docker Compose v2, and what
it runs is wired as the code expects (variable names, start order, hardening)."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from deploy_kit import DEPLOY, PARTS, SERVICES, run

COMPOSE = DEPLOY / "compose/compose.yaml"
SECRETS = ("POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "REDIS_PASSWORD", "MINIO_PASSWORD")
PORTAL_IMAGE = re.compile(r"^ghcr\.io/customer-portal/(?P<part>[a-z]+):[0-9][\w.-]*$")
PINNED = re.compile(r"^[\w./-]+:[\w.-]+$")


def config(compose_binary: str, **env: str) -> dict[str, Any]:
    """The resolved project; the secrets unset unless given."""
    environ = {k: v for k, v in os.environ.items() if k not in SECRETS and k != "COMPOSE_FILE"}
    result = run(
        [compose_binary, "-f", str(COMPOSE), "config", "--format", "json"],
        env=environ | env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def services(compose_binary: str) -> dict[str, Any]:
    return dict(config(compose_binary)["services"])


def portal_part(service: dict[str, Any]) -> str | None:
    match = PORTAL_IMAGE.match(service.get("image", ""))
    return match["part"] if match else None


def test_compose_file_is_valid(compose_binary: str) -> None:
    result = run([compose_binary, "-f", str(COMPOSE), "config", "--quiet"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_image_is_pinned(services: dict[str, Any]) -> None:
    for name, service in services.items():
        image = service["image"]
        assert PINNED.match(image) and not image.endswith(":latest"), f"{name}: {image}"


def test_each_service_has_migration_server_and_worker(services: dict[str, Any]) -> None:
    for service in SERVICES:
        assert services[f"{service}-migrate"]["command"] == ["portal", "migrate", service]
        assert services[f"{service}-migrate"]["restart"] == "no"
        assert services[f"{service}-worker"]["command"] == ["portal", "worker", service, "--beat"]
        # The server runs the image's command, `portal serve <service> --port 8000`.
        assert services[service]["command"] is None
        for runs in (service, f"{service}-worker"):
            assert services[runs]["depends_on"][f"{service}-migrate"] == {
                "condition": "service_completed_successfully",
                "required": True,
            }, runs
    assert "ports" in services["gateway"]


def test_workers_expose_their_metrics_port(services: dict[str, Any]) -> None:
    from portal_chassis.settings import PortalSettings

    port = str(PortalSettings().worker_metrics_port)
    for service in SERVICES:
        assert services[f"{service}-worker"]["expose"] == [port], service


def test_start_order_waits_for_health(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for dependency, how in service.get("depends_on", {}).items():
            if how["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} -> {dependency}"
            else:
                assert how["condition"] == "service_completed_successfully", name
                assert dependency.endswith("-migrate"), name
    for name, service in services.items():
        if portal_part(service) and not name.endswith("-migrate"):
            assert "healthcheck" in service, name
    for part in PARTS[1:]:
        assert services["gateway"]["depends_on"][part]["condition"] == "service_healthy"


def test_portal_containers_are_locked_down(services: dict[str, Any]) -> None:
    ours = {n: s for n, s in services.items() if portal_part(s)}
    assert len(ours) == len(PARTS) + 2 * len(SERVICES)
    for name, service in ours.items():
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert service["tmpfs"] == ["/tmp"], name
        assert "user" not in service, f"{name}: the image's non-root user, not another"
        assert list(service["networks"]) == (
            ["backend", "edge"] if name == "gateway" else ["backend"]
        ), name
    # Published ports need a network with a way out; the rest stays internal.
    for name, service in services.items():
        if service.get("ports"):
            assert "edge" in service["networks"], name


def test_environment_names_are_the_ones_the_settings_read(
    services: dict[str, Any], env_names: dict[str, set[str]]
) -> None:
    for name, service in services.items():
        part = portal_part(service)
        if part is None:
            continue
        names = set(service["environment"])
        assert names <= env_names[part], f"{name} reads no {sorted(names - env_names[part])}"
        if part == "gateway":
            assert {f"{s.upper()}_URL" for s in SERVICES} <= names
        else:
            assert {f"{part.upper()}_DATABASE_URL", "PORTAL_AMQP_URL"} <= names, name
            url = service["environment"][f"{part.upper()}_DATABASE_URL"]
            assert url.endswith(f"@postgres:5432/portal_{part}"), name
    assert "PORTAL_S3_ENDPOINT" in services["files"]["environment"]
    assert "PORTAL_SMTP_URL" in services["notify"]["environment"]


def test_one_database_per_service_is_created() -> None:
    script = (DEPLOY / "compose/postgres-init/01-databases.sql").read_text()
    created = re.findall(r"CREATE DATABASE (\w+);", script)
    assert created == [f"portal_{s}" for s in SERVICES]


def test_secrets_are_dev_defaults_unless_set(compose_binary: str) -> None:
    defaults = config(compose_binary)["services"]
    for name, service in defaults.items():
        for key, value in (service.get("environment") or {}).items():
            if re.search("PASSWORD|SECRET", key):
                assert str(value).startswith("dev-only-"), f"{name} {key}"
    chosen = config(compose_binary, POSTGRES_PASSWORD="pg-chosen", RABBITMQ_PASSWORD="mq-chosen")
    tickets = chosen["services"]["tickets"]["environment"]
    assert ":pg-chosen@postgres" in tickets["TICKETS_DATABASE_URL"]
    assert ":mq-chosen@rabbitmq" in tickets["PORTAL_AMQP_URL"]
    assert chosen["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == "pg-chosen"


def test_mail_intake_is_published_and_keys_are_shared(services: dict[str, Any]) -> None:
    from urllib.parse import urlsplit

    worker = services["tickets-worker"]["environment"]
    listen = urlsplit(worker["PORTAL_INBOUND_SMTP_URL"])
    assert worker["FILES_URL"] == "http://files:8000"
    # The worker stays on the internal network; a forwarder publishes its receiver.
    forwarder = services["smtp-intake"]
    assert f"TCP:tickets-worker:{listen.port}" in forwarder["command"]
    assert [p["host_ip"] for p in forwarder["ports"]] == ["127.0.0.1"]
    # notify signs reply addresses, the tickets worker verifies them: the same keys.
    keys = worker["PORTAL_MAIL_SIGNING_KEYS"]
    assert keys and services["notify-worker"]["environment"]["PORTAL_MAIL_SIGNING_KEYS"] == keys
    assert services["notify"]["environment"]["PORTAL_MAIL_SIGNING_KEYS"] == keys
    for name, service in services.items():
        if name != "tickets-worker":
            assert "PORTAL_INBOUND_SMTP_URL" not in (service.get("environment") or {}), name
