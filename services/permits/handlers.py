"""Commands of the permits service not yet in a sub-domain package: the expiry reminders and school placement."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from services.permits.applications.domain import policy_in_force
from services.permits.cases.domain import may_see_case, refuse_in_revoked_case
from services.permits.cases.queries import case_for
from services.permits.domain import LIVE_STATUSES, ApplicationStatus, CaseStatus
from services.permits.reminders.domain import reminder_due
from services.permits.reminders.models import permit_reminders
from services.permits.schemas import SchoolPlacementCreate, SchoolPlaced, SchoolPlacementStep
from services.permits.schools.domain import PLACEMENT_TARGETS, PLACEMENT_TRANSITIONS, PlacementStatus, check_child
from services.permits.schools.models import school_placements
from services.permits.settings import PermitsSettings
from services.permits.tables import green_channel_cases, permit_applications
from services.permits.webhooks.handlers import notify_partners
from shared import clock
from shared.auth import Principal
from shared.errors import Conflict, NotFound
from shared.events.permits import PermitExpiring
from shared.runtime import ServiceRuntime


async def send_expiry_reminders(runtime: ServiceRuntime, *, today: date) -> list[dict]:
    """``PermitExpiring`` for each issued permit reaching a threshold (90, 30 days): once per permit and threshold.

    A permit whose renewal is under way or issued, or in a revoked case, gets none.
    """
    settings: PermitsSettings = runtime.settings  # type: ignore[assignment]
    thresholds = sorted(settings.permit_reminder_days)
    if not thresholds:
        return []
    a, c, r = permit_applications, green_channel_cases, permit_reminders
    renewal = a.alias("renewal")
    horizon = today + timedelta(days=max(thresholds))
    async with runtime.db.session() as session:
        candidates = (await session.execute(
            sa.select(a.c.id, a.c.case_id, a.c.kind, a.c.valid_until, c.c.expert_id)
            .join(c, c.c.id == a.c.case_id)
            .where(a.c.status == ApplicationStatus.issued.value, a.c.valid_until >= today,
                   a.c.valid_until <= horizon, c.c.status == CaseStatus.open.value)
            .where(~sa.exists().where(renewal.c.renews_id == a.c.id,
                                      renewal.c.status.in_([s.value for s in LIVE_STATUSES])))
            .order_by(a.c.valid_until, a.c.id)
        )).all()
    sent = []
    for permit in candidates:
        days_ahead = reminder_due(valid_until=permit.valid_until, today=today, thresholds=thresholds)
        if days_ahead is None:
            continue
        try:
            async with runtime.uow() as uow:
                done = await uow.session.scalar(sa.select(r.c.days_ahead).where(
                    r.c.permit_application_id == permit.id, r.c.days_ahead == days_ahead))
                if done is not None:
                    continue
                await uow.session.execute(sa.insert(r).values(permit_application_id=permit.id,
                                                              days_ahead=days_ahead, sent_on=today))
                expiring = PermitExpiring(permit_application_id=permit.id, case_id=permit.case_id,
                                          expert_id=permit.expert_id, kind=permit.kind,
                                          valid_until=permit.valid_until, days_ahead=days_ahead)
                uow.publish(expiring)
                await notify_partners(uow, expiring, wake=runtime.extras.dispatcher.wake)
                uow.audit("permit_expiry_reminder", object_type="permit_application", object_id=permit.id,
                          detail={"days_ahead": days_ahead, "valid_until": permit.valid_until})
                await uow.commit()
        except sa.exc.IntegrityError:
            continue  # a concurrent run sent this one: the key (permit, threshold) holds it to once
        sent.append({"permit_application_id": str(permit.id), "days_ahead": days_ahead,
                     "valid_until": permit.valid_until.isoformat()})
    return sent


async def placement_for(session, placement_id: uuid.UUID, principal: Principal, *, lock: bool = False) -> Any:
    """The request (with its case's employer), if ``principal`` may see its case (404 otherwise).

    ``lock``: the request held FOR UPDATE until the caller's unit of work ends."""
    p, c = school_placements, green_channel_cases
    query = sa.select(p, c.c.employer_id).join(c, c.c.id == p.c.case_id).where(p.c.id == placement_id)
    if lock:
        query = query.with_for_update(of=p)
    row = (await session.execute(query)).first()
    if row is None or not may_see_case(principal, row):
        raise NotFound(f"no school placement {placement_id}")
    return row


async def get_school_placement(runtime: ServiceRuntime, *, placement_id: uuid.UUID, principal: Principal) -> Any:
    async with runtime.db.session() as session:
        return await placement_for(session, placement_id, principal)


async def list_school_placements(runtime: ServiceRuntime, *, case_id: uuid.UUID, principal: Principal) -> list:
    """In the order requested; 404 if ``principal`` may not see the case."""
    p = school_placements
    async with runtime.db.session() as session:
        await case_for(session, case_id, principal)
        return list((await session.execute(
            sa.select(p).where(p.c.case_id == case_id).order_by(p.c.requested_at, p.c.id))).all())


async def request_school_placement(runtime: ServiceRuntime, *, case_id: uuid.UUID, data: SchoolPlacementCreate,
                                   principal: Principal) -> dict:
    """R-SCHOOL: a placement request for one of the expert's children, the preferred school type named."""
    check_child(data.date_of_birth, today=clock.beijing_today(),
                age_limit_years=policy_in_force().child_age_limit_years)
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        case = await case_for(uow.session, case_id, principal, lock=True)  # not revoked until this commits
        refuse_in_revoked_case(case)
        row = {"id": uuid.uuid4(), "case_id": case_id, **data.model_dump(),
               "status": PlacementStatus.requested.value, "school_name": None, "school_type": None,
               "requested_at": now, "requested_by": principal.subject, "updated_at": now}
        row["preferred_school_type"] = data.preferred_school_type.value
        await uow.session.execute(sa.insert(school_placements).values(**row))
        uow.audit("request_school_placement", object_type="school_placement", object_id=row["id"],
                  detail={"case_id": case_id, "preferred_school_type": row["preferred_school_type"]})
        await uow.commit()
    return row


async def advance_school_placement(
    runtime: ServiceRuntime, *, placement_id: uuid.UUID, step: str,
    data: SchoolPlacementStep | SchoolPlaced, principal: Principal,
) -> dict:
    """The bureau coordinates (coordinate), records the school (place), or the request is withdrawn."""
    target = PLACEMENT_TARGETS[step]
    p = school_placements
    async with runtime.uow() as uow:
        current = await placement_for(uow.session, placement_id, principal, lock=True)
        if current.status not in PLACEMENT_TRANSITIONS[step]:
            raise Conflict(f"a {current.status} placement request cannot move to {target.value}",
                           current_state=current.status)
        values: dict = {"status": target.value, "updated_at": datetime.now(UTC)}
        if data.note is not None:
            values["note"] = data.note
        if isinstance(data, SchoolPlaced):
            values.update(school_name=data.school_name, school_type=data.school_type.value)
        await uow.session.execute(sa.update(p).where(p.c.id == placement_id).values(**values))
        uow.audit(f"{step}_school_placement", object_type="school_placement", object_id=placement_id,
                  detail={k: v for k, v in values.items() if k != "updated_at"})
        await uow.commit()
    return {**current._mapping, **values}
