"""REST routes of the disbursements under /subsidy/v1, and the callbacks of municipal finance."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from services.subsidy.adapters.finance import CallbackRefused, Payment, verify_callback
from services.subsidy.disbursements import handlers, queries
from services.subsidy.disbursements.domain import DisbursementStatus
from services.subsidy.disbursements.schemas import DisbursementRead, DisbursementRequest
from services.subsidy.scope import EVERYTHING, PARTIES, scope_of
from shared.api import LOCATION, CurrentPrincipal, Officer, RuntimeDep, YearQuery, documented
from shared.errors import problem
from shared.money import MONEY_RULES
from shared.schemas import Page

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])


@router.post("/entitlements/{entitlement_id}/disbursements", status_code=201,
             summary="Instruct municipal finance to pay part of what is granted and not yet paid",
             description="Recorded at once and sent by the disbursement sender with an Idempotency-Key derived "
                         f"from the disbursement id. {MONEY_RULES}", responses=documented(201, LOCATION))
async def issue_disbursement(entitlement_id: uuid.UUID, body: DisbursementRequest, runtime: RuntimeDep,
                             officer: Officer, response: Response) -> DisbursementRead:
    disbursement_id = await handlers.issue_disbursement(
        runtime, entitlement_id=entitlement_id, funding_year=body.funding_year, amount=body.amount,
        actor=officer.subject)
    response.headers["Location"] = f"/subsidy/v1/disbursements/{disbursement_id}"
    return DisbursementRead.of(await queries.get_disbursement(runtime, EVERYTHING, disbursement_id))


@router.get("/disbursements/{disbursement_id}", summary="One disbursement and what finance said of it",
            description=PARTIES)
async def get_disbursement(disbursement_id: uuid.UUID, runtime: RuntimeDep,
                           principal: CurrentPrincipal) -> DisbursementRead:
    return DisbursementRead.of(await queries.get_disbursement(runtime, scope_of(principal), disbursement_id))


@router.get("/disbursements", summary="Disbursements, oldest first, by expert, entitlement, status or funding year",
            description=PARTIES)
async def list_disbursements(
    runtime: RuntimeDep, principal: CurrentPrincipal, expert_id: uuid.UUID | None = None,
    entitlement_id: uuid.UUID | None = None,
    status: Annotated[str | None, Query(pattern=f"^({'|'.join(DisbursementStatus)})$")] = None,
    funding_year: YearQuery = None,
    cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Page[DisbursementRead]:
    rows, next_cursor = await queries.list_disbursements(
        runtime, scope_of(principal), expert_id=expert_id, entitlement_id=entitlement_id, status=status,
        funding_year=funding_year, cursor=cursor, limit=limit)
    return Page[DisbursementRead](items=[DisbursementRead.of(r) for r in rows], next_cursor=next_cursor)


finance_router = APIRouter(prefix="/subsidy/v1/finance", tags=["municipal finance"])


@finance_router.post(
    "/callbacks", summary="Payment statuses pushed by municipal finance (signed; duplicates harmless)",
    description="No bearer token: the body is authenticated by `Finance-Signature: t=<unix seconds>,v1=<hex>`, "
                "HMAC-SHA256 over `<t>.<body>` with the shared secret, within the timestamp tolerance.",
    responses={401: {"description": "Missing, malformed or wrong signature (any header that is not exactly "
                                    "`t=<1-12 digits>,v1=<64 hex digits>` is malformed)"},
               400: {"description": "Stale timestamp or bad body"}})
async def finance_callback(request: Request, runtime: RuntimeDep,
                           finance_signature: Annotated[str | None, Header()] = None):
    body = await request.body()
    settings = runtime.settings
    if settings.callback_secret is None:
        return problem(503, "Callbacks not configured", "no finance callback secret is set; statuses come by polling",
                       slug="finance-callback-not-configured")
    try:
        verify_callback(settings.callback_secret, finance_signature, body,
                        tolerance=settings.finance_callback_tolerance_seconds)
    except CallbackRefused as exc:
        status = 400 if exc.reason == "stale-or-future-timestamp" else 401
        return problem(status, "Callback refused", f"the callback is refused: {exc.reason}",
                       slug=f"finance-callback-{exc.reason}", reason=exc.reason)
    try:
        data = json.loads(body)
        payment = Payment.of(data)
        disbursement_id = uuid.UUID(payment.reference)
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError) as exc:
        # Signed but unreadable (not an object, a reference that is no UUID, an amount that is no number): 400.
        return problem(400, "Callback refused", f"unreadable callback: {type(exc).__name__}",
                       slug="finance-callback-unreadable")
    outcome = await handlers.record_payment(
        runtime, disbursement_id=disbursement_id, payment=payment, source="callback",
        poll_after_seconds=settings.disbursement_status_poll_after_seconds)
    return {"outcome": outcome}
