"""`python -m services.permits migrate|serve|relay|consume|remind`."""

import sys

from services.permits.app import MIGRATIONS_DIR, create_app
from services.permits.settings import PermitsSettings
from shared.cli import run_service_cli


def remind(argv: list[str]) -> None:
    """The scheduled expiry-reminder job (run it daily, e.g. from cron); idempotent."""
    import argparse
    import asyncio
    from datetime import date

    from services.permits.reminders import handlers
    from shared import clock
    from shared.observability import configure_logging

    parser = argparse.ArgumentParser(prog="python -m services.permits remind")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="the day to judge expiry from (default: today in Beijing)")
    args = parser.parse_args(argv)
    settings = PermitsSettings()
    configure_logging(settings.log_level)

    async def run() -> list[dict]:
        runtime = create_app(settings).state.runtime
        try:
            return await handlers.send_expiry_reminders(runtime, today=args.today or clock.beijing_today())
        finally:
            await runtime.db.dispose()

    sent = asyncio.run(run())
    # The events wait in the outbox, and the webhooks in the delivery table, for the service's relay and dispatcher.
    print(f"permits: {len(sent)} expiry reminder(s) queued")


if __name__ == "__main__":
    if sys.argv[1:2] == ["remind"]:
        remind(sys.argv[2:])
    else:
        run_service_cli(settings_class=PermitsSettings, create_app=create_app, migrations_dir=MIGRATIONS_DIR)
