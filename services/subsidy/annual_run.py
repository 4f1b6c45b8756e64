"""The annual run: assess every open entitlement with a claim for a year and issue its disbursement, in batches.

Each batch commits its disbursements with the run's cursor, so a run killed at any point resumes
after its last batch (another runner takes it once its lease expires; ``annual-run --resume``
does it at once). The disbursements it records are paid by the disbursement sender, whose
idempotency keys make a crash between a call to finance and its record harmless.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable

from services.subsidy import handlers
from shared.concurrency import wait_for_wake
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

Progress = Callable[[int, int, int], None]
"""Called after each batch with (assessed so far, total, issued so far)."""


class AnnualRunner:
    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    @property
    def lease_seconds(self) -> float:
        return self.settings.annual_run_lease_seconds

    async def run(self, run_id: uuid.UUID, *, progress: Progress | None = None, batch_size: int | None = None) -> bool:
        """Carry a run to its end, if no other runner holds it; True when it is issued."""
        run = await handlers.claim_annual_run(self.runtime, lease_seconds=self.lease_seconds, run_id=run_id)
        if run is None:
            return False
        return await self._carry(run, progress=progress, batch_size=batch_size)

    async def _carry(self, run, *, progress: Progress | None, batch_size: int | None) -> bool:
        size = batch_size or self.settings.annual_run_batch_size
        assessed, issued = run.entitlements_assessed, run.disbursements_issued
        while True:
            n, k, done = await handlers.annual_run_batch(self.runtime, run_id=run.id, batch_size=size,
                                                         lease_seconds=self.lease_seconds)
            assessed, issued = assessed + n, issued + k
            if k:
                sender = getattr(self.runtime, "disbursement_sender", None)
                if sender is not None:
                    sender.wake()
            if progress is not None:
                progress(assessed, run.entitlements_total, issued)
            if done:
                return True

    async def run_forever(self) -> None:
        """Resume any run left running by a runner that stopped (its lease expired), and those started here."""
        while True:
            self._wake.clear()
            try:
                run = await handlers.claim_annual_run(self.runtime, lease_seconds=self.lease_seconds)
                if run is not None:
                    await self._carry(run, progress=None, batch_size=None)
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("annual run pass failed; retrying")
            await wait_for_wake(self._wake, 5.0)
