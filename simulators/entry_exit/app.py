"""The entry-exit bureau simulator as a FastAPI app: verify, deduplicate, record; fail on request.

``POST /entry-exit/webhooks`` behaves as a careful partner would: it verifies the Standard
Webhooks signature and timestamp (``shared.webhooks``), treats a repeated ``webhook-id`` as
done (200, nothing recorded twice), and records what it accepted. ``POST /entry-exit/control``
tells it to fail (500), answer 410 or 429 with ``Retry-After``, or delay, for the next N
requests or until ``POST /entry-exit/control/reset``. A simulator for development and tests:
its control endpoints have no authentication and its state lives in memory, and optionally in a
journal file (``state_path``) so that it remembers across a restart what it has taken.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from shared.errors import install_error_handlers, problem
from shared.observability import RequestContextMiddleware
from shared.schemas import Input
from shared.webhooks import WebhookVerificationError, secret_key, verify
from simulators.entry_exit.settings import EntryExitSimulatorSettings

PREFIX = "/entry-exit"


class Behaviour(StrEnum):
    accept = "accept"
    fail = "fail"
    """500, as a receiver that is down or broken."""
    gone = "gone"
    """410: the endpoint no longer exists (the sender should disable the subscription)."""
    throttle = "throttle"
    """429 with ``Retry-After``."""


@dataclass
class Fault:
    behaviour: Behaviour = Behaviour.accept
    delay_seconds: float = 0.0
    retry_after_seconds: int = 1
    remaining: int | None = None
    """Requests it still applies to; None: until reset."""

    @property
    def active(self) -> bool:
        return self.behaviour is not Behaviour.accept or self.delay_seconds > 0


@dataclass
class Receiver:
    """The simulator's memory."""

    secrets: list[str]
    tolerance: timedelta
    fault: Fault = field(default_factory=Fault)
    received: list[dict[str, Any]] = field(default_factory=list)
    seen_ids: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(
        default_factory=lambda: {"accepted": 0, "duplicates": 0, "refused": 0, "injected": 0}
    )
    journal: Path | None = None

    def load(self) -> None:
        """What a previous run accepted: the webhook-ids it must not take again."""
        if self.journal is None or not self.journal.exists():
            return
        for line in self.journal.read_text().splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            record["received_at"] = datetime.fromisoformat(record["received_at"])
            self.received.append(record)
            self.seen_ids.add(record["webhook_id"])
        self.counts["accepted"] = len(self.received)

    def record(self, record: dict[str, Any]) -> None:
        """Taken: remembered before the answer goes out (a crash after this is a duplicate, not a loss)."""
        if self.journal is not None:
            with self.journal.open("a") as f:
                f.write(json.dumps(record, default=str) + "\n")
                f.flush()
        self.seen_ids.add(record["webhook_id"])
        self.received.append(record)
        self.counts["accepted"] += 1

    def forget(self) -> None:
        self.received.clear()
        self.seen_ids.clear()
        for key in self.counts:
            self.counts[key] = 0
        if self.journal is not None and self.journal.exists():
            self.journal.unlink()

    def take_fault(self) -> Fault | None:
        """The fault this request gets, counting it down (no await: atomic on the event loop)."""
        fault = self.fault
        if not fault.active:
            return None
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining <= 0:
                self.fault = Fault()
        return fault


class ControlRequest(Input):
    """What to change; a field left out is left as it is (``behaviour`` replaces the whole fault)."""

    behaviour: Behaviour | None = None
    delay_seconds: Annotated[float, Field(ge=0, le=60)] = 0.0
    retry_after_seconds: Annotated[int, Field(ge=0, le=86400)] = 1
    requests: Annotated[int | None, Field(ge=1)] = None
    """Apply to the next N webhook requests; omitted: until reset."""
    secrets: list[str] | None = None
    """Replace the secrets it verifies with (a rotation: give the old and the new)."""

    @field_validator("secrets")
    @classmethod
    def _valid_secrets(cls, value: list[str] | None) -> list[str] | None:
        for secret in value or ():
            secret_key(secret)
        return value


class ControlState(BaseModel):
    behaviour: Behaviour
    delay_seconds: float
    retry_after_seconds: int
    remaining_requests: int | None
    secrets_configured: int


class ReceivedWebhook(BaseModel):
    webhook_id: str
    webhook_timestamp: int
    received_at: datetime
    type: str | None
    payload: Any


class ReceivedLog(BaseModel):
    items: list[ReceivedWebhook]
    accepted: int
    duplicates: int
    refused: int
    injected: int


def _state(receiver: Receiver) -> ControlState:
    return ControlState(
        behaviour=receiver.fault.behaviour, delay_seconds=receiver.fault.delay_seconds,
        retry_after_seconds=receiver.fault.retry_after_seconds, remaining_requests=receiver.fault.remaining,
        secrets_configured=len(receiver.secrets),
    )


def create_app(settings: EntryExitSimulatorSettings | None = None) -> FastAPI:
    settings = settings or EntryExitSimulatorSettings()
    receiver = Receiver(secrets=list(settings.webhook_secrets), tolerance=timedelta(seconds=settings.tolerance_seconds),
                        journal=settings.state_path)
    receiver.load()
    app = FastAPI(
        title="Entry-exit bureau simulator",
        description="A Standard Webhooks receiver standing in for the entry-exit bureau (出入境管理部门).",
        version="1",
        docs_url=f"{PREFIX}/docs",
        openapi_url=f"{PREFIX}/openapi.json",
        redoc_url=None,
        generate_unique_id_function=lambda route: f"entry_exit_{route.name}",
    )
    app.state.receiver = receiver
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(_router(receiver))
    return app


def _router(receiver: Receiver) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["entry-exit simulator"])

    @router.get("/healthz", summary="Alive")
    async def healthz() -> dict:
        return {"status": "ok", "service": "entry-exit-simulator"}

    @router.post(
        "/webhooks",
        summary="Receive a signed webhook (Standard Webhooks)",
        responses={400: {"description": "Malformed, stale or future"}, 401: {"description": "Bad signature"},
                   410: {"description": "Told to be gone"}, 429: {"description": "Told to throttle"},
                   500: {"description": "Told to fail"}},
    )
    async def receive(request: Request):
        body = await request.body()
        fault = receiver.take_fault()
        if fault is not None:
            if fault.delay_seconds:
                await asyncio.sleep(fault.delay_seconds)
            if fault.behaviour is not Behaviour.accept:
                receiver.counts["injected"] += 1
                return _injected(fault)
        if not receiver.secrets:
            return problem(503, "Not configured", "the simulator has no webhook secret", slug="not-configured")
        try:
            msg_id = verify(receiver.secrets, body, request.headers, tolerance=receiver.tolerance)
        except WebhookVerificationError as exc:
            receiver.counts["refused"] += 1
            status = 401 if exc.reason == "invalid-signature" else 400
            return problem(status, "Webhook refused", str(exc), slug=f"webhook-{exc.reason}", reason=exc.reason)
        try:
            payload = json.loads(body)
        except ValueError:
            receiver.counts["refused"] += 1
            return problem(400, "Webhook refused", "the body is not JSON", slug="webhook-not-json",
                           reason="not-json")
        if msg_id in receiver.seen_ids:
            # Already done: the sender's retry after a lost response. Acknowledge, change nothing.
            receiver.counts["duplicates"] += 1
            return {"status": "duplicate", "webhook_id": msg_id}
        receiver.record(
            {
                "webhook_id": msg_id,
                "webhook_timestamp": int(request.headers["webhook-timestamp"]),
                "received_at": datetime.now(UTC),
                "type": payload.get("type") if isinstance(payload, dict) else None,
                "payload": payload,
            }
        )
        return {"status": "accepted", "webhook_id": msg_id}

    @router.get("/received", summary="What it accepted, in arrival order, and what it turned away")
    async def received() -> ReceivedLog:
        return ReceivedLog(items=[ReceivedWebhook(**r) for r in receiver.received], **receiver.counts)

    @router.delete("/received", status_code=204, summary="Forget everything received (and the seen ids)")
    async def forget_received() -> None:
        receiver.forget()

    @router.get("/control", summary="The behaviour in force")
    async def control_state() -> ControlState:
        return _state(receiver)

    @router.post("/control", summary="Misbehave for the next N requests or until reset; set the secrets")
    async def control(body: ControlRequest) -> ControlState:
        if body.secrets is not None:
            receiver.secrets = list(body.secrets)
        if body.behaviour is not None or body.delay_seconds:
            receiver.fault = Fault(
                behaviour=body.behaviour or Behaviour.accept, delay_seconds=body.delay_seconds,
                retry_after_seconds=body.retry_after_seconds, remaining=body.requests,
            )
        return _state(receiver)

    @router.post("/control/reset", summary="Back to accepting (received records and secrets are kept)")
    async def reset() -> ControlState:
        receiver.fault = Fault()
        return _state(receiver)

    return router


def _injected(fault: Fault) -> JSONResponse:
    if fault.behaviour is Behaviour.gone:
        return problem(410, "Gone", "this endpoint no longer accepts webhooks", slug="gone")
    if fault.behaviour is Behaviour.throttle:
        return problem(429, "Too many requests", "slow down", slug="throttled",
                       headers={"Retry-After": str(fault.retry_after_seconds)})
    return problem(500, "Internal error", "the simulator was told to fail", slug="injected-failure")
