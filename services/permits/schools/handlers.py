"""Commands of school placement (R-SCHOOL, Art. 10(4)): a request for one of the expert's children, then the
bureau's steps (coordinate, place) or its withdrawal."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.permits.applications.domain import policy_in_force
from services.permits.cases.domain import refuse_in_revoked_case
from services.permits.cases.queries import case_for
from services.permits.schools.domain import PLACEMENT_TARGETS, PLACEMENT_TRANSITIONS, PlacementStatus, check_child
from services.permits.schools.models import school_placements
from services.permits.schools.queries import placement_for
from services.permits.schools.schemas import SchoolPlacementCreate, SchoolPlaced, SchoolPlacementStep
from shared import clock
from shared.auth import Principal
from shared.errors import Conflict
from shared.runtime import ServiceRuntime


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
