"""The municipal finance payment system as a FastAPI app: idempotent instructions, callbacks, statements.

Behaves like a real payment API, misbehaviour included:
- ``POST /finance/v1/payments`` needs an ``Idempotency-Key``. The same key with the same body
  answers the first outcome again (``Idempotent-Replayed: true``); with another body, 422; while
  the first request with that key is still being processed, 409. A request answered 503 has
  committed nothing, so the key is free again.
- Latency, 503s, time-outs *after committing* (the caller gives up, the payment exists),
  payments that end failed, and duplicate callbacks, in proportions set by settings or at
  runtime (``POST /finance/control``).
- The final status is pushed to the payer by a callback signed with HMAC-SHA256 over
  ``<timestamp>.<body>`` (header ``Finance-Signature: t=<unix seconds>,v1=<hex>``), retried on
  failure, and can be polled (``GET /finance/v1/payments?reference=``).
- ``GET /finance/v1/statement?date=`` lists every payment booked that day, for reconciliation.

A simulator for development and tests: no authentication, state in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

import httpx
from fastapi import APIRouter, FastAPI, Header, Query, Response
from pydantic import BaseModel, Field

from shared import clock
from shared.errors import install_error_handlers, problem
from shared.observability import RequestContextMiddleware
from shared.schemas import Input
from simulators.finance.settings import Behaviour, FinanceSimulatorSettings

PREFIX = "/finance"
log = logging.getLogger(__name__)

FINAL = ("settled", "failed", "cancelled")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Finance-Signature`` header value: HMAC-SHA256 over ``<timestamp>.<body>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


class PaymentInstruction(Input):
    reference: Annotated[str, Field(min_length=1, max_length=100)]
    """The payer's own id of the payment (subsidy: the disbursement id)."""
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    currency: Annotated[str, Field(pattern="^CNY$")] = "CNY"
    payee: Annotated[str, Field(min_length=1, max_length=200)]
    purpose: Annotated[str, Field(max_length=500)] = ""


class PaymentRead(BaseModel):
    payment_id: str
    reference: str
    idempotency_key: str
    amount: str
    currency: str
    payee: str
    status: str
    booked_on: date
    accepted_at: datetime
    final_at: datetime | None = None
    failure_reason: str | None = None


@dataclass
class Payment:
    payment_id: str
    reference: str
    idempotency_key: str
    amount: Decimal
    currency: str
    payee: str
    booked_on: date
    accepted_at: datetime
    status: str = "accepted"
    final_at: datetime | None = None
    failure_reason: str | None = None

    def read(self) -> PaymentRead:
        return PaymentRead(
            payment_id=self.payment_id, reference=self.reference, idempotency_key=self.idempotency_key,
            amount=f"{self.amount:.2f}", currency=self.currency, payee=self.payee, status=self.status,
            booked_on=self.booked_on, accepted_at=self.accepted_at, final_at=self.final_at,
            failure_reason=self.failure_reason,
        )


@dataclass
class KeyRecord:
    fingerprint: str
    payment_id: str | None = None
    """None while the first request with this key is in flight."""


@dataclass
class Bank:
    """The simulator's memory."""

    settings: FinanceSimulatorSettings
    behaviour: Behaviour
    rng: random.Random
    callback_transport: httpx.AsyncBaseTransport | None = None
    payments: dict[str, Payment] = field(default_factory=dict)
    by_reference: dict[str, list[str]] = field(default_factory=dict)
    keys: dict[str, KeyRecord] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {
        "instructions": 0, "replayed": 0, "key_conflicts": 0, "in_flight_conflicts": 0, "errors_injected": 0,
        "timeouts_injected": 0, "callbacks_sent": 0, "callbacks_duplicated": 0, "callbacks_failed": 0})
    tasks: set[asyncio.Task] = field(default_factory=set)
    _client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(transport=self.callback_transport, timeout=10.0)
        return self._client

    def spawn(self, coro) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        if self._client is not None:
            await self._client.aclose()

    # -- settlement and callbacks ------------------------------------------------------------
    async def settle_later(self, payment: Payment, delay: float) -> None:
        await asyncio.sleep(delay)
        if payment.status != "accepted":
            return  # cancelled meanwhile
        if self.rng.random() < self.behaviour.failure_rate:
            payment.status, payment.failure_reason = "failed", "the payee's bank refused the transfer"
        else:
            payment.status = "settled"
        payment.final_at = datetime.now(UTC)
        await self.notify(payment)

    async def notify(self, payment: Payment) -> None:
        if not self.behaviour.callbacks_enabled:
            return
        times = 2 if self.rng.random() < self.behaviour.duplicate_callback_rate else 1
        if times == 2:
            self.counts["callbacks_duplicated"] += 1
        for _ in range(times):
            await self.send_callback(payment)

    async def send_callback(self, payment: Payment) -> None:
        body = json.dumps({"event_id": str(uuid.uuid4()), **payment.read().model_dump(mode="json")}).encode()
        for attempt in range(self.settings.callback_attempts):
            timestamp = int(time.time())
            headers = {"Content-Type": "application/json",
                       "Finance-Signature": sign(self.settings.callback_secret, timestamp, body)}
            try:
                response = await self.client().post(self.settings.callback_url, content=body, headers=headers)
                if response.status_code < 300:
                    self.counts["callbacks_sent"] += 1
                    return
            except httpx.HTTPError as exc:
                log.info("finance callback for %s failed: %s", payment.reference, exc)
            await asyncio.sleep(min(5.0, 0.1 * 2 ** attempt))
        self.counts["callbacks_failed"] += 1


def fingerprint(instruction: PaymentInstruction) -> str:
    return hashlib.sha256(instruction.model_dump_json().encode()).hexdigest()


def create_app(settings: FinanceSimulatorSettings | None = None, *,
               callback_transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """``callback_transport``: where callbacks go in-process (an ``httpx.ASGITransport``); real HTTP if None."""
    settings = settings or FinanceSimulatorSettings()
    bank = Bank(settings=settings, behaviour=Behaviour(**settings.model_dump(include=set(Behaviour.model_fields))),
                rng=random.Random(settings.seed), callback_transport=callback_transport)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        await bank.close()

    app = FastAPI(
        title="Municipal finance simulator",
        description="A payment system standing in for municipal finance (市财政).",
        version="1",
        docs_url=f"{PREFIX}/docs",
        openapi_url=f"{PREFIX}/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=lambda route: f"finance_{route.name}",
    )
    app.state.bank = bank
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(_router(bank))
    return app


class Statement(BaseModel):
    date: date
    entries: list[PaymentRead]
    count: int
    total_settled: str


class ControlRequest(Input):
    latency_seconds: float | None = Field(default=None, ge=0, le=60)
    error_rate: float | None = Field(default=None, ge=0, le=1)
    timeout_rate: float | None = Field(default=None, ge=0, le=1)
    hang_seconds: float | None = Field(default=None, ge=0, le=600)
    failure_rate: float | None = Field(default=None, ge=0, le=1)
    settle_delay_seconds: float | None = Field(default=None, ge=0, le=3600)
    duplicate_callback_rate: float | None = Field(default=None, ge=0, le=1)
    callbacks_enabled: bool | None = None


class ControlRead(Behaviour):
    counts: dict[str, int]


def _router(bank: Bank) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["finance simulator"])

    @router.get("/healthz", summary="Alive")
    async def healthz() -> dict:
        return {"status": "ok", "service": "finance-simulator"}

    @router.post("/v1/payments", status_code=201, summary="Instruct a payment (Idempotency-Key required)",
                 responses={409: {"description": "The same key is still being processed"},
                            422: {"description": "Invalid, or the key was used with another body"},
                            503: {"description": "Unavailable; nothing was committed"}})
    async def instruct(instruction: PaymentInstruction, response: Response,
                       idempotency_key: Annotated[str | None, Header(max_length=255)] = None):
        if not idempotency_key:
            return problem(422, "Idempotency-Key required", "every payment instruction needs an Idempotency-Key",
                           slug="idempotency-key-missing",
                           errors=[{"field": "Idempotency-Key", "message": "required", "type": "missing"}])
        b = bank.behaviour
        print_ = fingerprint(instruction)
        bank.counts["instructions"] += 1
        record = bank.keys.get(idempotency_key)
        if record is not None:
            if record.fingerprint != print_:
                bank.counts["key_conflicts"] += 1
                return problem(422, "Idempotency key reused", "this Idempotency-Key was used with another request "
                               "body", slug="idempotency-key-reused",
                               errors=[{"field": "Idempotency-Key", "message": "used with another body",
                                        "type": "idempotency_key_reused"}])
            if record.payment_id is None:
                bank.counts["in_flight_conflicts"] += 1
                return problem(409, "Request in progress", "a request with this Idempotency-Key is still being "
                               "processed; retry later", slug="idempotency-key-in-flight",
                               headers={"Retry-After": "1"})
            bank.counts["replayed"] += 1
            response.status_code = 200
            response.headers["Idempotent-Replayed"] = "true"
            return bank.payments[record.payment_id].read()
        bank.keys[idempotency_key] = KeyRecord(fingerprint=print_)
        try:
            if b.latency_seconds:
                await asyncio.sleep(b.latency_seconds * (0.5 + bank.rng.random()))
        except asyncio.CancelledError:
            bank.keys.pop(idempotency_key, None)
            raise
        if bank.rng.random() < b.error_rate:
            bank.keys.pop(idempotency_key, None)  # nothing committed: the key is free again
            bank.counts["errors_injected"] += 1
            return problem(503, "Unavailable", "the payment system is unavailable; nothing was committed",
                           slug="unavailable", headers={"Retry-After": "1"})
        now = clock.now()
        payment = Payment(
            payment_id=f"pay_{uuid.uuid4().hex}", reference=instruction.reference, idempotency_key=idempotency_key,
            amount=instruction.amount, currency=instruction.currency, payee=instruction.payee,
            booked_on=clock.beijing_date(now), accepted_at=now,  # the municipal books keep Beijing days
        )
        bank.payments[payment.payment_id] = payment
        bank.by_reference.setdefault(payment.reference, []).append(payment.payment_id)
        bank.keys[idempotency_key].payment_id = payment.payment_id
        bank.spawn(bank.settle_later(payment, b.settle_delay_seconds))
        if bank.rng.random() < b.timeout_rate:
            # Committed, but the answer comes too late: the caller sees a time-out.
            bank.counts["timeouts_injected"] += 1
            await asyncio.sleep(b.hang_seconds)
        return payment.read()

    @router.get("/v1/payments", summary="Payments, optionally by the payer's reference (polling)")
    async def list_payments(reference: str | None = None) -> list[PaymentRead]:
        if reference is not None:
            return [bank.payments[p].read() for p in bank.by_reference.get(reference, [])]
        return [p.read() for p in bank.payments.values()]

    @router.get("/v1/payments/{payment_id}", summary="One payment")
    async def get_payment(payment_id: str):
        payment = bank.payments.get(payment_id)
        if payment is None:
            return problem(404, "Not found", f"no payment {payment_id}", slug="not-found")
        return payment.read()

    @router.post("/v1/payments/{payment_id}/cancel", summary="Cancel a payment not yet settled",
                 responses={409: {"description": "Already settled or failed"}})
    async def cancel_payment(payment_id: str):
        payment = bank.payments.get(payment_id)
        if payment is None:
            return problem(404, "Not found", f"no payment {payment_id}", slug="not-found")
        if payment.status in ("settled", "failed"):
            return problem(409, "Conflict", f"the payment is {payment.status}", slug="conflict",
                           status_now=payment.status)
        if payment.status != "cancelled":
            payment.status, payment.final_at = "cancelled", datetime.now(UTC)
        return payment.read()

    @router.get("/v1/statement", summary="Every payment booked on a day, for the payer's reconciliation")
    async def statement(day: Annotated[date, Query(alias="date")]) -> Statement:
        entries = sorted((p for p in bank.payments.values() if p.booked_on == day), key=lambda p: p.accepted_at)
        total = sum((p.amount for p in entries if p.status == "settled"), Decimal("0"))
        return Statement(date=day, entries=[p.read() for p in entries], count=len(entries),
                         total_settled=f"{total:.2f}")

    @router.get("/control", summary="The behaviour in force and what happened")
    async def control_state() -> ControlRead:
        return ControlRead(**bank.behaviour.model_dump(), counts=bank.counts)

    @router.post("/control", summary="Change the behaviour (fields left out are kept)")
    async def control(body: ControlRequest) -> ControlRead:
        changes = body.model_dump(exclude_unset=True)
        bank.behaviour = bank.behaviour.model_copy(update=changes)
        return ControlRead(**bank.behaviour.model_dump(), counts=bank.counts)

    return router
