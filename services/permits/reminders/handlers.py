"""The expiry-reminder job (R-PERMIT): ``PermitExpiring`` before an issued permit expires, to the bus and to the
partners subscribed, once per permit and threshold. Run daily (``python -m services.permits remind``) or by an
officer (POST /permits/v1/expiry-reminders); idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from services.permits.domain import LIVE_STATUSES, ApplicationStatus, CaseStatus
from services.permits.reminders.domain import reminder_due
from services.permits.reminders.models import permit_reminders
from services.permits.settings import PermitsSettings
from services.permits.applications.models import permit_applications
from services.permits.cases.models import green_channel_cases
from services.permits.webhooks.handlers import notify_partners
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
