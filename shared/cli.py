"""The command line every service shares: ``python -m services.<name> migrate|serve|relay|consume|declare``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from collections.abc import Callable
from pathlib import Path

from shared.observability import configure_logging
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)


def run_service_cli(
    *,
    settings_class: type[ServiceSettings],
    create_app: Callable,
    migrations_dir: Path,
    argv: list[str] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m services.{settings_class.service_name}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply this service's database migrations and declare the bus topology")
    serve = sub.add_parser("serve", help="run the HTTP API (with relay and consumer unless disabled by settings)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=settings_class.default_port)
    sub.add_parser("relay", help="run only the outbox relay")
    sub.add_parser("consume", help="run only the event consumer")
    args = parser.parse_args(argv)

    settings = settings_class()
    configure_logging(settings.log_level)
    if args.command == "migrate":
        from shared.migrations import upgrade

        upgrade(migrations_dir, settings.resolved_database_url)
        asyncio.run(_declare(settings, create_app))
        print(f"{settings.service_name}: migrations applied, topology declared")
    elif args.command == "serve":
        import uvicorn

        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=None, access_log=False)
    else:
        asyncio.run(_run_worker(settings, create_app, relay=args.command == "relay"))


async def _declare(settings: ServiceSettings, create_app: Callable) -> None:
    from shared.runtime import all_bindings

    runtime = create_app(settings).state.runtime
    await runtime.bus.start()
    try:
        await runtime.bus.declare(all_bindings())
    finally:
        await runtime.bus.close()
        await runtime.db.dispose()


async def _run_worker(settings: ServiceSettings, create_app: Callable, *, relay: bool) -> None:
    """A relay-only or consumer-only process: scale either by starting more of them."""
    runtime = create_app(settings).state.runtime
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await runtime.start(relay=relay, consumer=not relay, workers=False)
    log.info("%s %s running", settings.service_name, "relay" if relay else "consumer")
    try:
        await stop.wait()
    finally:
        await runtime.stop()
