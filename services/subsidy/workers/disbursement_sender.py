"""The disbursement sender: instructs municipal finance, polls what it has not heard of, carries out cancellations.

Modelled on the outbox relay: an instruction is a row committed first (``issue_disbursements`` or the
annual run); the sender leases due rows (committed), calls finance with no transaction open, then
records the outcome in a new transaction. A crash between the call and the record is recovered when
the lease expires: the retry carries the same ``Idempotency-Key``, so finance answers the payment it
already holds instead of paying twice.
"""

from __future__ import annotations

import asyncio
import logging
import random

from services.subsidy.disbursements import handlers
from services.subsidy.disbursements.domain import DisbursementStatus
from services.subsidy.entitlements.domain import EntitlementStatus
from services.subsidy.adapters.finance import FinanceClient, FinanceError, Refused, Unavailable
from shared.concurrency import wait_for_wake
from shared.runtime import ServiceRuntime
from shared.workers import Worker

log = logging.getLogger(__name__)


class DisbursementSender(Worker):
    """A queue of ``disbursement_concurrency`` concurrent calls to finance, refilled from the due rows."""

    name = "disbursement sender"

    def __init__(self, runtime: ServiceRuntime, finance: FinanceClient) -> None:
        settings = runtime.settings
        super().__init__(poll_seconds=settings.disbursement_poll_seconds,
                         enabled=settings.disbursement_sender_enabled)
        self.runtime = runtime
        self.settings = settings
        self.finance = finance
        self.rng = random.Random()

    async def run_forever(self) -> None:
        """Keep ``disbursement_concurrency`` calls in flight: a slow call (a time-out, a backoff) holds one
        worker, not the batch it was leased with."""
        size = self.settings.disbursement_batch_size
        queue: asyncio.Queue = asyncio.Queue()
        workers = [asyncio.create_task(self._worker(queue)) for _ in range(self.settings.disbursement_concurrency)]
        try:
            while True:
                self._wake.clear()
                room = size - queue.qsize()
                claimed = 0
                if room >= size // 2:
                    try:
                        rows = await handlers.claim_due_disbursements(
                            self.runtime, limit=room, lease_seconds=self.settings.disbursement_lease_seconds)
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        log.exception("disbursement sender: claiming failed; retrying")
                        rows = []
                    for row in rows:
                        queue.put_nowait(row)
                    claimed = len(rows)
                if claimed and claimed == room:
                    await asyncio.sleep(0)
                    continue
                wait = self.poll_seconds if queue.empty() else min(0.05, self.poll_seconds)
                await wait_for_wake(self._wake, wait)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def _worker(self, queue: asyncio.Queue) -> None:
        while True:
            row = await queue.get()
            try:
                await self.handle(row)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("disbursement %s: unexpected error; left to its lease", row.id)

    async def run_once(self) -> bool:
        """Handle one batch of due instructions, several at a time; True when the batch was full."""
        size = self.settings.disbursement_batch_size
        rows = await handlers.claim_due_disbursements(
            self.runtime, limit=size, lease_seconds=self.settings.disbursement_lease_seconds)
        gate = asyncio.Semaphore(self.settings.disbursement_concurrency)

        async def one(row) -> None:
            async with gate:
                try:
                    await self.handle(row)
                except Exception:
                    log.exception("disbursement %s: unexpected error; left to its lease", row.id)

        await asyncio.gather(*(one(row) for row in rows))
        return len(rows) == size

    def _delay(self, attempts: int) -> float:
        base = self.settings.finance_backoff_seconds * 2 ** min(attempts, 16)
        return min(self.settings.disbursement_retry_max_seconds, base) * (0.8 + 0.4 * self.rng.random())

    async def handle(self, row) -> None:
        poll_after = self.settings.disbursement_status_poll_after_seconds
        try:
            if row.cancel_requested or row.entitlement_status != EntitlementStatus.open:
                await self.cancel(row)
            elif row.status == DisbursementStatus.pending:
                payment = await self.finance.instruct(
                    disbursement_id=row.id, amount=row.amount, payee=f"expert:{row.expert_id}",
                    purpose=f"subsidy {row.track} {row.funding_year}")
                await handlers.record_payment(self.runtime, disbursement_id=row.id, payment=payment,
                                              source="instruction", poll_after_seconds=poll_after)
            else:
                payment = await self.finance.find(row.id)
                if payment is None:
                    # Finance holds no payment for it: send it again, same key.
                    await handlers.reschedule_disbursement(
                        self.runtime, disbursement_id=row.id, error="finance holds no payment for it",
                        delay_seconds=0, back_to_pending=True)
                    return
                await handlers.record_payment(self.runtime, disbursement_id=row.id, payment=payment,
                                              source="poll", poll_after_seconds=poll_after)
                if payment.status == DisbursementStatus.accepted:
                    return
        except Unavailable as exc:
            await handlers.reschedule_disbursement(self.runtime, disbursement_id=row.id, error=str(exc),
                                                   delay_seconds=self._delay(row.attempts))
        except Refused as exc:
            # Retrying the same instruction cannot help; an officer sees it in the error and reconciliation.
            log.error("finance refused disbursement %s: %s", row.id, exc)
            await handlers.reschedule_disbursement(self.runtime, disbursement_id=row.id, error=str(exc),
                                                   delay_seconds=self.settings.disbursement_retry_max_seconds)
        except FinanceError as exc:
            await handlers.reschedule_disbursement(self.runtime, disbursement_id=row.id, error=str(exc),
                                                   delay_seconds=self._delay(row.attempts))

    async def cancel(self, row) -> None:
        """R-SUPERVISE: stop a payment; one finance never received is cancelled on our side alone."""
        if row.status == DisbursementStatus.pending and row.attempts == 0:
            await handlers.cancel_unsent_disbursement(self.runtime, disbursement_id=row.id,
                                                      reason="benefits revoked before it was sent")
            return
        payment = await self.finance.find(row.id)
        if payment is None:
            await handlers.cancel_unsent_disbursement(self.runtime, disbursement_id=row.id,
                                                      reason="benefits revoked; finance held no payment")
            return
        if payment.status == DisbursementStatus.accepted:
            payment = await self.finance.cancel(payment.payment_id)
        await handlers.record_payment(self.runtime, disbursement_id=row.id, payment=payment, source="cancellation")
