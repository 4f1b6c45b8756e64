"""The annual run: assess every open entitlement with a claim for a year and issue its disbursement, in batches.

Each batch commits its disbursements with the run's cursor, so a run killed at any point resumes
after its last batch (another runner takes it once its lease expires; ``annual-run --resume``
does it at once). The disbursements it records are paid by the disbursement sender (woken by each
batch that issued some), whose idempotency keys make a crash between a call to finance and its
record harmless.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from services.subsidy.annual_run import handlers
from shared.runtime import ServiceRuntime
from shared.workers import Worker

Progress = Callable[[int, int, int], None]
"""Called after each batch with (assessed so far, total, issued so far)."""

RESUME_POLL_SECONDS = 5.0
"""How often a serving instance looks for a run whose runner stopped (a start over the API wakes it at once)."""


class AnnualRunner(Worker):
    """Resumes any run left running by a runner that stopped (its lease expired), and carries out those
    started over the API."""

    name = "annual runner"

    def __init__(self, runtime: ServiceRuntime) -> None:
        super().__init__(poll_seconds=RESUME_POLL_SECONDS, enabled=runtime.settings.annual_runner_enabled)
        self.runtime = runtime
        self.settings = runtime.settings

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
            if progress is not None:
                progress(assessed, run.entitlements_total, issued)
            if done:
                return True

    async def run_once(self) -> bool:
        """Carry one run nobody holds to its end; True when there was one (another may be waiting)."""
        run = await handlers.claim_annual_run(self.runtime, lease_seconds=self.lease_seconds)
        if run is None:
            return False
        await self._carry(run, progress=None, batch_size=None)
        return True
