"""Commands of the directory service; the only place that opens a unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.directory import platform_handlers
from services.directory.models import employers
from services.directory.schemas import EmployerCreate, EmployerRead
from shared.errors import Conflict
from shared.events.directory import EmployerRegistered
from shared.inbox import EventHandler
from shared.runtime import ServiceRuntime

EVENT_HANDLERS: dict[type, EventHandler] = {**platform_handlers.EVENT_HANDLERS}


async def register_employer(runtime: ServiceRuntime, *, data: EmployerCreate, actor: str) -> EmployerRead:
    """Enter an employer in the registry and announce it (EmployerRegistered)."""
    async with runtime.uow() as uow:
        existing = await uow.session.scalar(
            sa.select(employers.c.id).where(employers.c.credit_code == data.credit_code)
        )
        if existing is not None:
            raise Conflict(
                "an employer with this unified social credit code is already registered",
                field="credit_code", employer_id=str(existing),
            )
        row = {
            "id": uuid.uuid4(),
            **data.model_dump(mode="json"),
            "registered_at": datetime.now(UTC),
            "registered_by": actor,
        }
        await uow.session.execute(sa.insert(employers).values(**row))
        uow.publish(
            EmployerRegistered(
                employer_id=row["id"],
                name=data.name,
                credit_code=data.credit_code,
                district=data.district,
                competent_department=data.competent_department,
                municipal_state_owned=data.municipal_state_owned,
                registered_at=row["registered_at"],
            )
        )
        uow.audit("register_employer", object_type="employer", object_id=row["id"])
        await uow.commit()
    return EmployerRead.model_validate(row)
