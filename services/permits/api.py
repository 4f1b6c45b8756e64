"""REST routes of the permits service under /permits/v1."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Header, Query, Response

from services.permits import handlers
from services.permits.domain import CaseStatus, DeliveryStatus
from services.permits.models import (
    green_channel_cases,
    webhook_deliveries,
    webhook_delivery_attempts,
    webhook_subscriptions,
)
from services.permits.schemas import (
    CaseRead,
    PermitApplicationCreate,
    PermitApplicationRead,
    PermitIssue,
    PermitRefusal,
    PermitRenewalCreate,
    RemindersSent,
    SchoolPlaced,
    SchoolPlacementCreate,
    SchoolPlacementRead,
    SchoolPlacementStep,
    SlaReport,
    WebhookAttemptRead,
    WebhookDeliveryRead,
    WebhookReplayed,
    WebhookReplayRange,
    WebhookSecretRotated,
    WebhookSubscriptionCreate,
    WebhookSubscriptionCreated,
    WebhookSubscriptionRead,
    WebhookSubscriptionUpdate,
    WebhookTestSent,
)
from shared.api import Officer, RowId, RuntimeDep, role_dependency
from shared.auth import Role
from shared.errors import NotFound, Unprocessable
from shared.schemas import Page, after_position, cursor_int, encode_cursor, position_cursor

router = APIRouter(prefix="/permits/v1", tags=["permits"])
webhooks_router = APIRouter(prefix="/permits/v1/webhook-subscriptions", tags=["webhook subscriptions"])
deliveries_router = APIRouter(prefix="/permits/v1/webhook-deliveries", tags=["webhook subscriptions"])


def _etag(version: int) -> str:
    return f'"{version}"'


def _if_match_version(if_match: str | None) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    try:
        return int(if_match.strip().removeprefix("W/").strip('"'))
    except ValueError as exc:
        raise Unprocessable("If-Match is the ETag of the subscription as read", field="If-Match") from exc


@webhooks_router.post("", status_code=201, summary="Subscribe a partner agency's endpoint (secret shown once)")
async def create_webhook_subscription(
    body: WebhookSubscriptionCreate, runtime: RuntimeDep, officer: Officer, response: Response
) -> WebhookSubscriptionCreated:
    subscription = await handlers.create_webhook_subscription(runtime, data=body, actor=officer.subject)
    response.headers["Location"] = f"/permits/v1/webhook-subscriptions/{subscription.id}"
    response.headers["ETag"] = _etag(subscription.version)
    response.headers["Cache-Control"] = "no-store"  # the response carries the secret
    return subscription


@webhooks_router.get("", summary="Webhook subscriptions, oldest first")
async def list_webhook_subscriptions(
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookSubscriptionRead]:
    table = webhook_subscriptions
    query = sa.select(table).order_by(table.c.created_at, table.c.id).limit(limit + 1)
    after = after_position(cursor, table.c.created_at, table.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [WebhookSubscriptionRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = position_cursor(items[-1].created_at, items[-1].id) if len(rows) > limit else None
    return Page[WebhookSubscriptionRead](items=items, next_cursor=next_cursor)


@webhooks_router.get("/{subscription_id}", summary="One webhook subscription (without its secret)")
async def get_webhook_subscription(
    subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer, response: Response
) -> WebhookSubscriptionRead:
    table = webhook_subscriptions
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(table).where(table.c.id == subscription_id))).first()
    if row is None:
        raise NotFound(f"no webhook subscription {subscription_id}")
    response.headers["ETag"] = _etag(row.version)
    return WebhookSubscriptionRead.model_validate(row._mapping)


@webhooks_router.patch(
    "/{subscription_id}",
    summary="Change URL, event types, description or enabled flag",
    responses={412: {"description": "If-Match does not match the current version"}},
)
async def update_webhook_subscription(
    subscription_id: uuid.UUID,
    body: WebhookSubscriptionUpdate,
    runtime: RuntimeDep,
    _: Officer,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> WebhookSubscriptionRead:
    subscription = await handlers.update_webhook_subscription(
        runtime, subscription_id=subscription_id, data=body, expected_version=_if_match_version(if_match)
    )
    response.headers["ETag"] = _etag(subscription.version)
    return subscription


@webhooks_router.post("/{subscription_id}/test", status_code=202, summary="Queue a WebhookTest message to this endpoint")
async def send_test_webhook(subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer) -> WebhookTestSent:
    return WebhookTestSent(webhook_id=await handlers.send_test_webhook(runtime, subscription_id=subscription_id))


@webhooks_router.get("/{subscription_id}/deliveries", summary="The delivery log of one subscription, newest first")
async def list_webhook_deliveries(
    subscription_id: uuid.UUID,
    runtime: RuntimeDep,
    _: Officer,
    status: DeliveryStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookDeliveryRead]:
    d = webhook_deliveries
    query = sa.select(d).where(d.c.subscription_id == subscription_id).order_by(d.c.id.desc()).limit(limit + 1)
    if status is not None:
        query = query.where(d.c.status == status.value)
    before = cursor_int(cursor)
    if before is not None:
        query = query.where(d.c.id < before)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [WebhookDeliveryRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = encode_cursor({"id": items[-1].id}) if len(rows) > limit else None
    return Page[WebhookDeliveryRead](items=items, next_cursor=next_cursor)


async def _attempts(runtime, where, cursor: str | None, limit: int) -> Page[WebhookAttemptRead]:
    t = webhook_delivery_attempts
    query = sa.select(t).where(where).order_by(t.c.id.desc()).limit(limit + 1)
    before = cursor_int(cursor)
    if before is not None:
        query = query.where(t.c.id < before)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [WebhookAttemptRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = encode_cursor({"id": items[-1].id}) if len(rows) > limit else None
    return Page[WebhookAttemptRead](items=items, next_cursor=next_cursor)


@webhooks_router.get("/{subscription_id}/attempts",
                     summary="Every delivery attempt to this subscription: time, status code or error, duration")
async def list_webhook_attempts(
    subscription_id: uuid.UUID,
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookAttemptRead]:
    return await _attempts(runtime, webhook_delivery_attempts.c.subscription_id == subscription_id, cursor, limit)


@deliveries_router.get("", summary="Deliveries across subscriptions, newest first (status=exhausted: the flagged ones)")
async def list_all_webhook_deliveries(
    runtime: RuntimeDep,
    _: Officer,
    status: DeliveryStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookDeliveryRead]:
    d = webhook_deliveries
    query = sa.select(d).order_by(d.c.id.desc()).limit(limit + 1)
    if status is not None:
        query = query.where(d.c.status == status.value)
    before = cursor_int(cursor)
    if before is not None:
        query = query.where(d.c.id < before)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    items = [WebhookDeliveryRead.model_validate(r._mapping) for r in rows[:limit]]
    next_cursor = encode_cursor({"id": items[-1].id}) if len(rows) > limit else None
    return Page[WebhookDeliveryRead](items=items, next_cursor=next_cursor)


@deliveries_router.get("/{delivery_id}/attempts", summary="Every attempt of one delivery, newest first")
async def list_delivery_attempts(
    delivery_id: RowId,
    runtime: RuntimeDep,
    _: Officer,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[WebhookAttemptRead]:
    return await _attempts(runtime, webhook_delivery_attempts.c.delivery_id == delivery_id, cursor, limit)


@deliveries_router.post("/{delivery_id}/replay", status_code=202, summary="Send one delivery again")
async def replay_webhook_delivery(delivery_id: RowId, runtime: RuntimeDep, _: Officer) -> None:
    await handlers.replay_webhook_delivery(runtime, delivery_id=delivery_id)


@webhooks_router.post(
    "/{subscription_id}/rotate-secret",
    summary="A new signing secret (shown once); the old one keeps signing alongside it for the overlap",
)
async def rotate_webhook_secret(
    subscription_id: uuid.UUID, runtime: RuntimeDep, _: Officer, response: Response
) -> WebhookSecretRotated:
    response.headers["Cache-Control"] = "no-store"
    return await handlers.rotate_webhook_secret(runtime, subscription_id=subscription_id)


@webhooks_router.post("/{subscription_id}/deliveries/replay", summary="Send again the deliveries of a time range")
async def replay_webhook_range(
    subscription_id: uuid.UUID, body: WebhookReplayRange, runtime: RuntimeDep, _: Officer
) -> WebhookReplayed:
    return WebhookReplayed(
        replayed=await handlers.replay_webhook_range(runtime, subscription_id=subscription_id, data=body)
    )


# -- green-channel cases, permit applications, school placements ----------------------------------

cases_router = APIRouter(prefix="/permits/v1", tags=["green channel"])

CaseViewer = role_dependency(Role.bureau_officer, Role.admin, Role.employer)
"""Officers, and employers for their own cases (checked per object)."""


def _application(row) -> PermitApplicationRead:
    return PermitApplicationRead.model_validate(dict(row._mapping) if hasattr(row, "_mapping") else row)


def _with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = _etag(version)


@cases_router.get("/cases", summary="Green-channel cases, oldest first (an employer sees its own)")
async def list_cases(
    runtime: RuntimeDep,
    principal: CaseViewer,
    expert_id: uuid.UUID | None = None,
    application_id: uuid.UUID | None = None,
    status: CaseStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[CaseRead]:
    c = green_channel_cases
    query = sa.select(c).order_by(c.c.opened_at, c.c.id).limit(limit + 1)
    if not principal.has_any(Role.bureau_officer, Role.admin):
        query = query.where(c.c.employer_id == _organisation_uuid(principal))
    if expert_id is not None:
        query = query.where(c.c.expert_id == expert_id)
    if application_id is not None:
        query = query.where(c.c.application_id == application_id)
    if status is not None:
        query = query.where(c.c.status == status.value)
    after = after_position(cursor, c.c.opened_at, c.c.id)
    if after is not None:
        query = query.where(after)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    today = handlers.beijing_today()
    items = [handlers.case_read(r, today) for r in rows[:limit]]
    next_cursor = position_cursor(items[-1].opened_at, items[-1].id) if len(rows) > limit else None
    return Page[CaseRead](items=items, next_cursor=next_cursor)


def _organisation_uuid(principal) -> uuid.UUID | None:
    try:
        return uuid.UUID(principal.organisation or "")
    except ValueError:
        return None


@cases_router.get("/cases/{case_id}", summary="One green-channel case and its SLA state")
async def get_case(case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer) -> CaseRead:
    return await handlers.get_case(runtime, case_id=case_id, principal=principal)


@cases_router.get("/green-channel/sla-report", summary="R-GREEN: cases on time, late, open and overdue")
async def sla_report(runtime: RuntimeDep, _: Officer, as_of: date | None = None) -> SlaReport:
    return await handlers.sla_report(runtime, as_of=as_of or handlers.beijing_today())


@cases_router.post(
    "/cases/{case_id}/applications", status_code=201,
    summary="File a permit application: the expert's work permit or work-type residence permit, or a dependant's",
    responses={409: {"description": "The case is revoked, or the expert already has one of this kind"},
               422: {"description": "Refused by a rule (R-PERMIT), named in the problem"}},
)
async def create_permit_application(
    case_id: uuid.UUID, body: PermitApplicationCreate, runtime: RuntimeDep, principal: CaseViewer,
    response: Response,
) -> PermitApplicationRead:
    row = await handlers.create_permit_application(runtime, case_id=case_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/permit-applications/{row['id']}"
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.get("/cases/{case_id}/applications", summary="The permit applications of a case, in filing order")
async def list_case_applications(
    case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> list[PermitApplicationRead]:
    rows = await handlers.list_case_applications(runtime, case_id=case_id, principal=principal)
    return [_application(r) for r in rows]


@cases_router.get("/permit-applications/{application_id}", summary="One permit application")
async def get_permit_application(
    application_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer, response: Response
) -> PermitApplicationRead:
    row = await handlers.get_permit_application(runtime, application_id=application_id, principal=principal)
    _with_etag(response, row.version)
    return _application(row)


@cases_router.post("/permit-applications/{application_id}/submit",
                   summary="Submitted to the issuing authority", responses={409: {"description": "Not filed"}})
async def submit_permit_application(
    application_id: uuid.UUID, runtime: RuntimeDep, officer: Officer, response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> PermitApplicationRead:
    row = await handlers.submit_permit_application(
        runtime, application_id=application_id, principal=officer, expected_version=_if_match_version(if_match))
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.post("/permit-applications/{application_id}/issue",
                   summary="Issued by the authority: number and dates (WorkPermitIssued / ResidencePermitIssued)",
                   responses={409: {"description": "Not submitted"}})
async def issue_permit(
    application_id: uuid.UUID, body: PermitIssue, runtime: RuntimeDep, officer: Officer, response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> PermitApplicationRead:
    row = await handlers.issue_permit(runtime, application_id=application_id, data=body, principal=officer,
                                      expected_version=_if_match_version(if_match))
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.post("/permit-applications/{application_id}/refuse", summary="Refused by the authority, with its reason",
                   responses={409: {"description": "Not submitted"}})
async def refuse_permit_application(
    application_id: uuid.UUID, body: PermitRefusal, runtime: RuntimeDep, officer: Officer, response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> PermitApplicationRead:
    row = await handlers.refuse_permit_application(runtime, application_id=application_id, data=body,
                                                   principal=officer, expected_version=_if_match_version(if_match))
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.post("/permit-applications/{application_id}/renewals", status_code=201,
                   summary="Renew an issued permit: a new application for the same holder, same rules")
async def renew_permit(
    application_id: uuid.UUID, body: PermitRenewalCreate, runtime: RuntimeDep, principal: CaseViewer,
    response: Response,
) -> PermitApplicationRead:
    row = await handlers.renew_permit(runtime, application_id=application_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/permit-applications/{row['id']}"
    _with_etag(response, row["version"])
    return _application(row)


@cases_router.post("/expiry-reminders", summary="Run the expiry reminders now (the scheduled job; idempotent)")
async def send_expiry_reminders(runtime: RuntimeDep, _: Officer, today: date | None = None) -> RemindersSent:
    today = today or handlers.beijing_today()
    return RemindersSent(today=today, sent=await handlers.send_expiry_reminders(runtime, today=today))


@cases_router.post("/cases/{case_id}/school-placements", status_code=201,
                   summary="R-SCHOOL: a school placement request for a child of the expert")
async def request_school_placement(
    case_id: uuid.UUID, body: SchoolPlacementCreate, runtime: RuntimeDep, principal: CaseViewer, response: Response
) -> SchoolPlacementRead:
    row = await handlers.request_school_placement(runtime, case_id=case_id, data=body, principal=principal)
    response.headers["Location"] = f"/permits/v1/school-placements/{row['id']}"
    return SchoolPlacementRead.model_validate(row)


@cases_router.get("/cases/{case_id}/school-placements", summary="The school placement requests of a case")
async def list_school_placements(
    case_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> list[SchoolPlacementRead]:
    rows = await handlers.list_school_placements(runtime, case_id=case_id, principal=principal)
    return [SchoolPlacementRead.model_validate(r._mapping) for r in rows]


@cases_router.get("/school-placements/{placement_id}", summary="One school placement request")
async def get_school_placement(
    placement_id: uuid.UUID, runtime: RuntimeDep, principal: CaseViewer
) -> SchoolPlacementRead:
    row = await handlers.get_school_placement(runtime, placement_id=placement_id, principal=principal)
    return SchoolPlacementRead.model_validate(row._mapping)


@cases_router.post("/school-placements/{placement_id}/coordinate", summary="The bureau is coordinating with schools",
                   responses={409: {"description": "Not requested"}})
async def coordinate_school_placement(
    placement_id: uuid.UUID, body: SchoolPlacementStep, runtime: RuntimeDep, officer: Officer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="coordinate", data=body,
                                                  principal=officer)
    return SchoolPlacementRead.model_validate(row)


@cases_router.post("/school-placements/{placement_id}/place", summary="Placed: the school and its type",
                   responses={409: {"description": "Already placed or withdrawn"}})
async def place_school_placement(
    placement_id: uuid.UUID, body: SchoolPlaced, runtime: RuntimeDep, officer: Officer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="place", data=body,
                                                  principal=officer)
    return SchoolPlacementRead.model_validate(row)


@cases_router.post("/school-placements/{placement_id}/withdraw", summary="The request is withdrawn",
                   responses={409: {"description": "Already placed or withdrawn"}})
async def withdraw_school_placement(
    placement_id: uuid.UUID, body: SchoolPlacementStep, runtime: RuntimeDep, principal: CaseViewer
) -> SchoolPlacementRead:
    row = await handlers.advance_school_placement(runtime, placement_id=placement_id, step="withdraw", data=body,
                                                  principal=principal)
    return SchoolPlacementRead.model_validate(row)
