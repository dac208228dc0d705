"""The `portal` command: one program, every part of the system (DESIGN.md §8)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from portal_chassis import registry
from portal_chassis.runtime import Runtime, make_worker
from portal_chassis.settings import PortalSettings
from portal_ops import dlq
from portal_ops.allinone import create_allinone_app
from portal_ops.logs import configure_logging
from portal_ops.serving import serve


def cmd_dev(args: argparse.Namespace) -> None:
    portal = PortalSettings()
    if args.data_dir:
        portal = portal.model_copy(update={"data_dir": Path(args.data_dir)})
    if portal.public_url == PortalSettings.model_fields["public_url"].default:
        portal = portal.model_copy(update={"public_url": f"http://{args.host}:{args.port}"})
    configure_logging(portal.log_level, json_format=portal.log_json)
    app = create_allinone_app(demo=args.demo, portal=portal)
    print(f"Customer Service Portal (all-in-one) on http://{args.host}:{args.port}", flush=True)
    # One process on a laptop: Ctrl-C stops at once, nothing to hand requests over to.
    serve(app, args.host, args.port, portal.log_level, drain_seconds=0)


def cmd_serve(args: argparse.Namespace) -> None:
    part = registry.load(args.service)
    portal = PortalSettings()
    configure_logging(portal.log_level, json_format=portal.log_json)
    app = part.create_app()
    port = args.port or part.default_port
    serve(
        app,
        args.host,
        port,
        portal.log_level,
        drain_seconds=portal.shutdown_drain_seconds,
        metrics_port=portal.metrics_port,
    )


def cmd_migrate(args: argparse.Namespace) -> None:
    from portal_chassis import migrations  # Alembic: only for the commands that migrate

    names = [m.name for m in registry.services()] if args.services == ["all"] else args.services
    for name in names:
        module = registry.load(name)
        settings = module.settings_cls()
        if settings.resolved_database_url(name).startswith("sqlite"):
            settings.portal.data_dir.mkdir(parents=True, exist_ok=True)

        async def run(runtime: Runtime) -> None:
            try:
                await migrations.upgrade(runtime.alembic_config(), args.revision)
                await runtime.declare_topology()
            finally:
                await runtime.engine.dispose()

        asyncio.run(run(Runtime(module, settings)))
        print(f"{name}: database at {args.revision}, broker queues declared")


def cmd_makemigrations(args: argparse.Namespace) -> None:
    from portal_chassis import migrations

    module = registry.load(args.service)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/{module.name}.db"
        cfg = migrations.alembic_config(versions=module.versions, metadata=module.metadata, url=url)
        migrations.autogenerate(cfg, args.message)


def cmd_worker(args: argparse.Namespace) -> None:
    module = registry.load(args.service)
    settings = module.settings_cls()
    configure_logging(settings.portal.log_level, json_format=settings.portal.log_json)
    celery = make_worker(module, settings)
    argv = ["worker", "--loglevel", settings.portal.log_level, "--pool", args.pool]
    argv += ["--concurrency", str(args.concurrency), "--without-gossip", "--without-mingle"]
    # A node name of its own: two workers on one host (of two services, or replicas of
    # one) would otherwise both claim the broker's exclusive `celery@<host>` queue.
    argv += ["--hostname", f"{args.service}-{os.getpid()}@%h"]
    if args.beat:
        argv.append("--beat")
    celery.worker_main(argv)


# The program's own commands: running one of them loads only the service it names. The
# services' commands (`portal mail reprocess`, …) need every service module loaded, which
# would leave each served process holding all the others' code.
BUILT_IN = frozenset({"dev", "serve", "migrate", "worker", "makemigrations", "dlq"})


def build_parser(modules: list[Any] | None = None) -> argparse.ArgumentParser:
    """The `portal` program; with the services' own commands from `modules` (default:
    every installed service)."""
    parser = argparse.ArgumentParser(prog="portal", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    dev = sub.add_parser("dev", help="run everything in one process (embedded defaults)")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--data-dir", help="where the SQLite files and blobs live (PORTAL_DATA_DIR)")
    dev.add_argument("--demo", action="store_true", help="seed demo data and print credentials")
    dev.set_defaults(func=cmd_dev)

    serve = sub.add_parser("serve", help="run one service or the gateway (distributed mode)")
    serve.add_argument("service", choices=registry.available())
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("services", nargs="+", metavar="service", help="service names or 'all'")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(func=cmd_migrate)

    worker = sub.add_parser("worker", help="run a service's Celery worker")
    worker.add_argument("service")
    worker.add_argument("--beat", action="store_true", help="also run the scheduler")
    worker.add_argument("--pool", default="solo")
    worker.add_argument("--concurrency", type=int, default=1)
    worker.set_defaults(func=cmd_worker)

    make = sub.add_parser("makemigrations", help="autogenerate a migration (development)")
    make.add_argument("service")
    make.add_argument("-m", "--message", required=True)
    make.set_defaults(func=cmd_makemigrations)

    dlq.add_parser(sub)

    for module in registry.services() if modules is None else modules:
        for command in module.commands:
            own = sub.add_parser(command.full_name, help=command.help)
            command.configure(own)
            own.set_defaults(func=command.run)
    return parser


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    modules = [] if argv and argv[0] in BUILT_IN else registry.services()
    nested = {c.full_name for m in modules for c in m.commands if c.parent}
    if len(argv) >= 2 and f"{argv[0]} {argv[1]}" in nested:
        argv = [f"{argv[0]} {argv[1]}", *argv[2:]]  # `portal mail reprocess` is one command
    args = build_parser(modules).parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
