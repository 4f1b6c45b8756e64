"""Commands of the employer registry; the only place here that opens a unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.directory.employers.models import employers
from services.directory.employers.schemas import EmployerCreate, EmployerRead
from shared.errors import Conflict
from shared.events.directory import EmployerRegistered
from shared.runtime import ServiceRuntime


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
        try:
            await uow.session.execute(sa.insert(employers).values(**row))
        except sa.exc.IntegrityError as exc:  # registered by a concurrent request since the check
            raise Conflict("an employer with this unified social credit code is already registered",
                           field="credit_code") from exc
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
