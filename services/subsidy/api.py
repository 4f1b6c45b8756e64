"""REST routes of the subsidy service under /subsidy/v1."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query, Request, Response

from services.subsidy import handlers, queries
from services.subsidy.adapters.finance import CallbackRefused, Payment, verify_callback
from services.subsidy.models import reconciliations
from services.subsidy.queries import Scope, scope_of
from services.subsidy.schemas import (
    AMOUNT_RULES, BalanceRead, ClaimRead, ClaimRequest, DisbursementRead, DisbursementRequest, EntitlementRead,
    EvaluationRead, EvaluationRecord, LedgerCorrection, LedgerEntryRead, LedgerRead, QuoteRead, QuoteRequest,
    RecoveryRead, ReconciliationRead, ReconciliationRequest, RepaymentRead, RepaymentRequest, StatisticsRead,
    StatisticsRow, AnnualRunRead, AnnualRunRequest,
)
from shared.api import CurrentPrincipal, Officer, RowId, RuntimeDep, YearQuery
from shared.errors import NotFound, problem
from shared.schemas import Page

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])

PARTIES = ("Bureau officers read every record; an employer the records of its own entitlements; an expert "
           "their own (the token's subject is the expert id). Anyone else's is not found (404) and left out "
           "of lists.")


@router.post(
    "/quotes",
    summary="Quote the subsidy of one expert-year under Articles 11-13 (nothing is stored)",
    description=(
        "A pure computation under the policy version in force at `period_end` (R-EFFECTIVE): one item per "
        "subsidy of the track, each rounded half-up to 2 places (R-ROUNDING) and explained with its article "
        "and rule id; an item that comes to zero is listed with the rule that made it zero. "
        "`already_granted_this_year` counts against the salary-subsidy cap for Art. 11 and against the "
        "track's yearly cap for Art. 12 and 13 (R-YEAR-CAP). R-ONE-TRACK is not checked here. "
        f"{AMOUNT_RULES} Every amount in the response is a decimal string with exactly 2 places."
    ),
    responses={422: {"description": "A field is missing, malformed, negative or of another track; the track "
                                    "is unknown; or no policy was in force at `period_end` (R-EFFECTIVE)"}},
)
async def create_quote(body: QuoteRequest, runtime: RuntimeDep, _: CurrentPrincipal) -> QuoteRead:
    request = body.root
    result = await handlers.quote(runtime, period_end=request.period_end, inputs=request.to_domain())
    return QuoteRead.of(result)


@router.get("/entitlements", summary="Entitlements opened from approved applications, oldest first",
            description=("An employer finds the entitlement of its approved application with `application_id` "
                         f"(one per application) and claims on it. {PARTIES}"))
async def list_entitlements(
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    expert_id: uuid.UUID | None = None,
    application_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[EntitlementRead]:
    rows, next_cursor = await queries.list_entitlements(
        runtime, scope_of(principal), expert_id=expert_id, application_id=application_id, cursor=cursor, limit=limit)
    return Page[EntitlementRead](items=[EntitlementRead.of(r, granted=g, disbursed=d, in_payment=p)
                                        for r, g, d, p in rows],
                                 next_cursor=next_cursor)


@router.get("/entitlements/{entitlement_id}", summary="One entitlement", description=PARTIES)
async def get_entitlement(entitlement_id: uuid.UUID, runtime: RuntimeDep,
                          principal: CurrentPrincipal) -> EntitlementRead:
    row, granted, disbursed, in_payment = await queries.get_entitlement(runtime, scope_of(principal), entitlement_id)
    return EntitlementRead.of(row, granted=granted, disbursed=disbursed, in_payment=in_payment)


@router.get("/experts/{expert_id}/ledger", summary="An expert's ledger and balances per funding year and track",
            description=f"An employer sees the rows of its own entitlements only. {PARTIES}")
async def expert_ledger(
    expert_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal, funding_year: YearQuery = None
) -> LedgerRead:
    rows, balances = await queries.ledger_of(runtime, scope_of(principal), expert_id=expert_id,
                                             funding_year=funding_year)
    return LedgerRead(
        expert_id=expert_id,
        balances=[BalanceRead(funding_year=b.funding_year, track=b.track, granted=b.granted, disbursed=b.disbursed,
                              recovered=b.recovered, to_disburse=due) for b, due in balances],
        entries=[LedgerEntryRead.of(r) for r in rows],
    )


@router.post("/ledger-entries/{entry_id}/corrections", status_code=201,
             summary="Correct a ledger entry by appending the difference (money rows are never updated)")
async def correct_ledger_entry(
    entry_id: RowId, body: LedgerCorrection, runtime: RuntimeDep, officer: Officer, response: Response
) -> LedgerEntryRead:
    row = await handlers.correct_ledger_entry(
        runtime, entry_id=entry_id, corrected_amount=body.corrected_amount, reason=body.reason,
        actor=officer.subject,
    )
    response.headers["Location"] = f"/subsidy/v1/experts/{row.expert_id}/ledger"
    return LedgerEntryRead.of(row)


@router.post("/entitlements/{entitlement_id}/claims", status_code=201,
             summary="Submit an annual claim; it is assessed at once and its items granted in the ledger",
             description=(
                 "By the entitlement's employer or a bureau officer. The claim carries the fields of the "
                 "entitlement's track; the funding year and policy version follow from `period_end`. Assessment "
                 "applies R-SUB-*, R-YEAR-CAP across the expert's claims of the year, R-ONE-TRACK (409), the "
                 "Art. 12 sequence rule and the officer's performance evaluation (409 until recorded), and "
                 f"R-ROUNDING. {AMOUNT_RULES}"))
async def submit_claim(
    entitlement_id: uuid.UUID, body: ClaimRequest, runtime: RuntimeDep, principal: CurrentPrincipal,
    response: Response,
) -> ClaimRead:
    row = await handlers.submit_claim(runtime, entitlement_id=entitlement_id, claim=body.root, principal=principal)
    response.headers["Location"] = f"/subsidy/v1/claims/{row.id}"
    return ClaimRead.of(row)


@router.get("/claims", summary="Assessed claims, oldest first, by entitlement, expert or funding year",
            description=PARTIES)
async def list_claims(
    runtime: RuntimeDep, principal: CurrentPrincipal, entitlement_id: uuid.UUID | None = None,
    expert_id: uuid.UUID | None = None, funding_year: YearQuery = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ClaimRead]:
    rows, next_cursor = await queries.list_claims(
        runtime, scope_of(principal), entitlement_id=entitlement_id, expert_id=expert_id, funding_year=funding_year,
        cursor=cursor, limit=limit)
    return Page[ClaimRead](items=[ClaimRead.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/claims/{claim_id}", summary="An assessed claim, with its frozen inputs, policy version and items",
            description=PARTIES)
async def get_claim(claim_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> ClaimRead:
    return ClaimRead.of(await queries.get_claim(runtime, scope_of(principal), claim_id))


@router.post("/entitlements/{entitlement_id}/evaluations", status_code=201,
             summary="Record the performance evaluation of an Art. 12 work year (until PerformanceEvaluated lands)")
async def record_evaluation(
    entitlement_id: uuid.UUID, body: EvaluationRecord, runtime: RuntimeDep, officer: Officer
) -> EvaluationRead:
    row = await handlers.record_evaluation(runtime, entitlement_id=entitlement_id, funding_year=body.funding_year,
                                           grade=body.grade, actor=officer.subject)
    return EvaluationRead(**row)


@router.post("/entitlements/{entitlement_id}/disbursements", status_code=201,
             summary="Instruct municipal finance to pay part of what is granted and not yet paid",
             description="Recorded at once and sent by the disbursement sender with an Idempotency-Key derived "
                         f"from the disbursement id. {AMOUNT_RULES}")
async def issue_disbursement(entitlement_id: uuid.UUID, body: DisbursementRequest, runtime: RuntimeDep,
                             officer: Officer, response: Response) -> DisbursementRead:
    disbursement_id = await handlers.issue_disbursement(
        runtime, entitlement_id=entitlement_id, funding_year=body.funding_year, amount=body.amount,
        actor=officer.subject)
    response.headers["Location"] = f"/subsidy/v1/disbursements/{disbursement_id}"
    return DisbursementRead.of(await queries.get_disbursement(runtime, Scope(everything=True), disbursement_id))


@router.get("/disbursements/{disbursement_id}", summary="One disbursement and what finance said of it",
            description=PARTIES)
async def get_disbursement(disbursement_id: uuid.UUID, runtime: RuntimeDep,
                           principal: CurrentPrincipal) -> DisbursementRead:
    return DisbursementRead.of(await queries.get_disbursement(runtime, scope_of(principal), disbursement_id))


@router.get("/disbursements", summary="Disbursements, oldest first, by expert, entitlement or status",
            description=PARTIES)
async def list_disbursements(
    runtime: RuntimeDep, principal: CurrentPrincipal, expert_id: uuid.UUID | None = None,
    entitlement_id: uuid.UUID | None = None,
    status: Annotated[str | None, Query(pattern="^(pending|accepted|settled|failed|cancelled)$")] = None,
    cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Page[DisbursementRead]:
    rows, next_cursor = await queries.list_disbursements(
        runtime, scope_of(principal), expert_id=expert_id, entitlement_id=entitlement_id, status=status,
        cursor=cursor, limit=limit)
    return Page[DisbursementRead](items=[DisbursementRead.of(r) for r in rows], next_cursor=next_cursor)


@router.get("/recoveries", summary="Recoveries after expert-attributable breaches (R-SUPERVISE), oldest first",
            description="Each with what was put on recovery, repaid and is outstanding, read from the ledger. "
                        f"{PARTIES}")
async def list_recoveries(
    runtime: RuntimeDep, principal: CurrentPrincipal, expert_id: uuid.UUID | None = None,
    entitlement_id: uuid.UUID | None = None, breach_id: uuid.UUID | None = None,
    status: Annotated[str | None, Query(pattern="^(open|repaid|cancelled)$")] = None,
    cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[RecoveryRead]:
    items, next_cursor = await queries.list_recoveries(
        runtime, scope_of(principal), expert_id=expert_id, entitlement_id=entitlement_id, breach_id=breach_id,
        status=status, cursor=cursor, limit=limit)
    return Page[RecoveryRead](items=[RecoveryRead.model_validate(_recovery(i)) for i in items],
                              next_cursor=next_cursor)


@router.get("/recoveries/{recovery_id}", summary="One recovery, its repayments and what is outstanding",
            description=PARTIES)
async def get_recovery(recovery_id: uuid.UUID, runtime: RuntimeDep, principal: CurrentPrincipal) -> RecoveryRead:
    return RecoveryRead.model_validate(_recovery(await queries.get_recovery(runtime, scope_of(principal),
                                                                            recovery_id)))


@router.post("/recoveries/{recovery_id}/repayments", status_code=201,
             summary="Record a repayment received from the expert on a recovery (R-SUPERVISE)",
             description=("By a bureau officer, on receipt. Partial repayments are allowed; the amount is at most "
                          "what is outstanding (422 naming `amount`); a recovery repaid or cancelled is a 409. "
                          "Each repayment is a `repayment` row in the ledger and a `RecoveryRepaid` event; the "
                          f"recovery is `repaid` once nothing is outstanding. {AMOUNT_RULES}"),
             responses={409: {"description": "The recovery is no longer open (repaid or cancelled)"}})
async def record_repayment(recovery_id: uuid.UUID, body: RepaymentRequest, runtime: RuntimeDep, officer: Officer,
                           response: Response) -> RepaymentRead:
    repayment_id = await handlers.record_repayment(
        runtime, recovery_id=recovery_id, amount=body.amount, received_on=body.received_on, reference=body.reference,
        note=body.note, actor=officer.subject)
    recovery = await queries.get_recovery(runtime, Scope(everything=True), recovery_id)
    response.headers["Location"] = f"/subsidy/v1/recoveries/{recovery_id}"
    return next(RepaymentRead.of(p) for p in recovery["repayments"] if p.id == repayment_id)


def _recovery(read: dict) -> dict:
    return {**read, "repayments": [RepaymentRead.of(p) for p in read["repayments"]]}


@router.post("/reconciliations", status_code=201,
             summary="Reconcile one day's disbursements with municipal finance's statement; every difference listed")
async def reconcile(body: ReconciliationRequest, runtime: RuntimeDep, officer: Officer) -> ReconciliationRead:
    return ReconciliationRead(**await handlers.reconcile(runtime, day=body.day, actor=officer.subject))


@router.get("/reconciliations/{reconciliation_id}", summary="A recorded reconciliation")
async def get_reconciliation(reconciliation_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> ReconciliationRead:
    async with runtime.db.session() as session:
        row = (await session.execute(
            sa.select(reconciliations).where(reconciliations.c.id == reconciliation_id))).first()
    if row is None:
        raise NotFound(f"no reconciliation {reconciliation_id}")
    return ReconciliationRead(**row._mapping)


@router.get("/statistics", summary="Granted, disbursed, paid, failed and recovered amounts by year, track and district")
async def statistics(
    runtime: RuntimeDep, _: Officer, funding_year: YearQuery = None,
    track: Annotated[str | None, Query(pattern="^(haiju_long_term|key_industry_recurring|short_term)$")] = None,
    district: Annotated[str | None, Query(max_length=30)] = None,
) -> StatisticsRead:
    rows = await handlers.statistics(runtime, funding_year=funding_year, track=track, district=district)
    return StatisticsRead(rows=[StatisticsRow(**r) for r in rows])


@router.post("/annual-runs", status_code=202,
             summary="Start the annual run of a funding year: every open entitlement with a claim for it is assessed "
                     "and its disbursement issued, in batches",
             responses={409: {"description": "A run of that year is still running"}})
async def start_annual_run(body: AnnualRunRequest, runtime: RuntimeDep, officer: Officer,
                           response: Response) -> AnnualRunRead:
    run_id = await handlers.start_annual_run(runtime, funding_year=body.funding_year, actor=officer.subject)
    response.headers["Location"] = f"/subsidy/v1/annual-runs/{run_id}"
    return AnnualRunRead(**await handlers.annual_run_status(runtime, run_id=run_id))


@router.get("/annual-runs/{run_id}", summary="Where an annual run stands: assessed, issued, and paid at finance")
async def annual_run_status(run_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> AnnualRunRead:
    return AnnualRunRead(**await handlers.annual_run_status(runtime, run_id=run_id))


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
