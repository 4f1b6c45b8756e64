"""``python -m services.subsidy annual-run --year Y``: the annual run on the command line, with a progress bar.

Run it again after a crash (or with ``--resume RUN_ID``): it continues the year's unfinished run after
its last committed batch. ``--send`` also pays the run's disbursements from this process (the sender of
a serving instance does otherwise) and waits until every one is settled, failed or cancelled.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid


class ProgressBar:
    def __init__(self, stream=sys.stderr, width: int = 40) -> None:
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.first: int | None = None

    def __call__(self, assessed: int, total: int, issued: int) -> None:
        if self.first is None:
            self.first = assessed
        total = max(total, assessed, 1)
        filled = int(self.width * assessed / total)
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = (assessed - self.first) / elapsed
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {100 * assessed / total:5.1f}% "
                          f"{assessed}/{total} entitlements, {issued} disbursements, {rate:,.0f}/s ")
        self.stream.flush()

    def close(self, message: str) -> None:
        self.stream.write(f"\n{message}\n")
        self.stream.flush()


def annual_run_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.subsidy annual-run")
    parser.add_argument("--year", type=int, required=True, help="the funding year to pay")
    parser.add_argument("--resume", type=uuid.UUID, help="the run to resume (default: the year's unfinished run)")
    parser.add_argument("--batch-size", type=int, help="entitlements per batch (SUBSIDY_ANNUAL_RUN_BATCH_SIZE)")
    parser.add_argument("--send", action="store_true", help="also pay the disbursements and wait for their outcome")
    parser.add_argument("--actor", default="cli", help="who starts the run (audit trail)")
    args = parser.parse_args(argv)
    return asyncio.run(_annual_run(args))


async def _annual_run(args) -> int:
    from services.subsidy.annual_run import handlers, queries
    from services.subsidy.annual_run.domain import AnnualRunStatus
    from services.subsidy.app import create_app
    from services.subsidy.extras import SubsidyRuntime
    from services.subsidy.settings import SubsidySettings
    from shared.observability import configure_logging

    settings = SubsidySettings()
    configure_logging(settings.log_level)
    runtime: SubsidyRuntime = create_app(settings).state.runtime
    sender_task = None
    try:
        run_id = args.resume
        if run_id is None:
            async with runtime.db.session() as session:
                run_id = await queries.running_run(session, args.year)
        if run_id is None:
            run_id = await handlers.start_annual_run(runtime, funding_year=args.year, actor=args.actor)
            print(f"annual run {run_id} of {args.year} started", file=sys.stderr)
        else:
            print(f"annual run {run_id} of {args.year} resumed", file=sys.stderr)
        if args.send:
            sender_task = asyncio.create_task(runtime.extras.sender.run_forever())
        bar = ProgressBar()
        runner = runtime.extras.annual_runner
        began = time.monotonic()
        deadline = began + 2 * runner.lease_seconds
        while not await runner.run(run_id, progress=bar, batch_size=args.batch_size):
            status = await queries.annual_run_status(runtime, run_id=run_id)
            if status["status"] != AnnualRunStatus.running:
                break
            if time.monotonic() > deadline:
                bar.close(f"annual run {run_id} is held by another runner")
                return 1
            await asyncio.sleep(1.0)  # a killed runner's lease has not expired yet
        status = await queries.annual_run_status(runtime, run_id=run_id)
        bar.close(f"annual run {run_id}: {status['entitlements_assessed']} entitlements assessed, "
                  f"{status['disbursements_issued']} disbursements issued, {status['amount_issued']:.2f} CNY, "
                  f"{time.monotonic() - began:.1f} s")
        if args.send:
            while not status["complete"]:
                counts = status["disbursements"]
                sys.stderr.write(f"\rpaying: {counts} ")
                sys.stderr.flush()
                await asyncio.sleep(0.5)
                status = await queries.annual_run_status(runtime, run_id=run_id)
            print(f"\npaid: {status['disbursements']}", file=sys.stderr)
        print(run_id)
        return 0
    finally:
        if sender_task is not None:
            sender_task.cancel()
            try:
                await sender_task
            except (asyncio.CancelledError, Exception):
                pass
        await runtime.extras.close()
        await runtime.db.dispose()
