"""Commands and event handlers of the expert database (R-PLATFORM (1), R-SUPERVISE); the only place here that opens
a unit of work (the event handlers run in the one the inbox opens)."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from services.directory.catalogue.taxonomy import FIELDS_BY_CODE
from services.directory.experts.domain import ExpertStatus, search_text
from services.directory.experts.models import expert_breaches, expert_tags, experts
from services.directory.experts.schemas import ExpertCreate, JobSeekingUpdate
from shared.breaches import upsert_breach
from shared.events import CloudEvent
from shared.events.review import ApplicationApproved, ContractBreached, ContractBreachWithdrawn
from shared.passports import PassportVault
from shared.queries import one_or_404
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)


async def _write_tags(session, expert_id: uuid.UUID, *, skills: list[str], languages: list[str]) -> None:
    await session.execute(sa.delete(expert_tags).where(expert_tags.c.expert_id == expert_id))
    rows = [{"expert_id": expert_id, "kind": "skill", "value": s} for s in skills]
    rows += [{"expert_id": expert_id, "kind": "language", "value": lang} for lang in languages]
    if rows:
        await session.execute(sa.insert(expert_tags), rows)


def _search_text(row: dict) -> str:
    return search_text(
        name=row["name"], nationality=row["nationality"], field=row["field"], focus_area=row["focus_area"],
        skills=row["skills"], languages=row["languages"], headline=row.get("headline"), bio=row.get("bio"),
        employer_name=row.get("employer_name"),
    )


def sealed_passport(vault: PassportVault, number: str | None) -> dict:
    """The passport columns of an expert: the number sealed under the current key and its keyed hash
    (shared/passports.py, as intake's); never the number itself."""
    if number is None:
        return dict(_NO_PASSPORT)
    sealed = vault.seal(number)
    return {"passport_ciphertext": sealed.ciphertext, "passport_key_version": sealed.key_version,
            "passport_hash": sealed.lookup_hash}


_NO_PASSPORT = {"passport_ciphertext": None, "passport_key_version": None, "passport_hash": None}


async def register_expert(runtime: ServiceRuntime, *, data: ExpertCreate) -> uuid.UUID:
    """An officer enters an expert in the database (R-PLATFORM (1)); passport number and salary are kept
    restricted, the number only sealed."""
    now = datetime.now(UTC)
    details = data.model_dump()
    number = details.pop("passport_number")
    row = {
        "id": uuid.uuid4(),
        **details,
        **sealed_passport(runtime.settings.passport_vault(), number),
        "focus_area": FIELDS_BY_CODE[data.field].focus_area,
        "status": ExpertStatus.registered.value,
        "source": "registration",
        "application_id": None,
        "listed_at": now,
        "updated_at": now,
    }
    row["search_text"] = _search_text(row)
    async with runtime.uow() as uow:
        await uow.session.execute(sa.insert(experts).values(**row))
        await _write_tags(uow.session, row["id"], skills=row["skills"], languages=row["languages"])
        uow.audit("register_expert", object_type="expert", object_id=row["id"])  # no restricted value in the audit
        await uow.commit()
    return row["id"]


async def update_job_seeking(runtime: ServiceRuntime, *, expert_id: uuid.UUID, data: JobSeekingUpdate) -> None:
    """The expert's job-seeking profile (R-PLATFORM (2)): seeking or not, skills, languages, availability."""
    async with runtime.uow() as uow:
        # Locked: two profiles at once would each delete the tags and insert theirs (a unique-key clash).
        current = await one_or_404(
            uow.session, sa.select(experts).where(experts.c.id == expert_id).with_for_update(),
            f"no expert {expert_id}")
        row = {**current._mapping, **data.model_dump(), "updated_at": datetime.now(UTC)}
        row["search_text"] = _search_text(row)
        await uow.session.execute(
            sa.update(experts).where(experts.c.id == expert_id).values(
                seeking=row["seeking"], headline=row["headline"], skills=row["skills"], languages=row["languages"],
                available_from=row["available_from"], search_text=row["search_text"], updated_at=row["updated_at"],
            )
        )
        await _write_tags(uow.session, expert_id, skills=row["skills"], languages=row["languages"])
        uow.audit("update_job_seeking", object_type="expert", object_id=expert_id)
        await uow.commit()


async def on_application_approved(event: ApplicationApproved, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """List the selected expert (R-COMMITTEE → R-PLATFORM (1)); the contract salary is kept as a restricted field.

    Converges: a duplicate or a re-announcement updates the same row; an expert an officer
    registered earlier under the same id becomes ``selected`` and keeps what the officer entered.
    """
    session = uow.session
    now = datetime.now(UTC)
    current = (await session.execute(sa.select(experts).where(experts.c.id == event.expert.expert_id))).first()
    selected = {
        "status": ExpertStatus.selected.value,
        "focus_area": event.focus_area,
        "field": event.field,
        "employer_id": event.employer.employer_id,
        "employer_name": event.employer.name,
        "application_id": event.application_id,
        "annual_salary": event.contract.annual_salary,
        "updated_at": now,
    }
    if current is None:
        row = {
            "id": event.expert.expert_id, "name": event.expert.name, "nationality": event.expert.nationality,
            "date_of_birth": event.expert.date_of_birth, "source": "approval", "headline": None, "bio": None,
            "skills": [], "languages": [], **_NO_PASSPORT, "seeking": False, "available_from": None,
            "listed_at": now, **selected,
        }
        row["search_text"] = _search_text(row)
        await session.execute(sa.insert(experts).values(**row))
    else:
        row = {**current._mapping, **selected}
        if current.application_id not in (None, event.application_id):
            # A later selection of the same expert: keep the first listing's application, note the newer one.
            log.info("expert %s selected again under application %s", current.id, event.application_id)
            row["application_id"] = current.application_id
        row["search_text"] = _search_text(row)
        await session.execute(sa.update(experts).where(experts.c.id == current.id).values(
            **{k: row[k] for k in (*selected, "search_text")}))
    uow.audit("list_selected_expert", object_type="expert", object_id=event.expert.expert_id,
              detail={"application_id": str(event.application_id)})


async def on_contract_breached(event: ContractBreached, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """R-SUPERVISE: record the breach; an expert-attributable one marks the expert "benefits revoked since".

    The withdrawal may have arrived first: its row is completed, and stays withdrawn.
    """
    values = {"breach_id": event.breach_id, "expert_id": event.expert_id,
              "attributable_to": event.attributable_to.value, "breach_date": event.breach_date,
              "recorded_at": datetime.now(UTC)}
    await upsert_breach(uow.session, expert_breaches, values, update=["attributable_to", "breach_date", "recorded_at"])
    uow.audit("record_breach", object_type="expert", object_id=event.expert_id,
              detail={"breach_id": str(event.breach_id), "attributable_to": event.attributable_to.value})


async def on_contract_breach_withdrawn(event: ContractBreachWithdrawn, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """The breach reversed on appeal: the mark goes, whether or not the breach itself has arrived yet."""
    values = {"breach_id": event.breach_id, "expert_id": event.expert_id, "withdrawn_at": event.withdrawn_at}
    await upsert_breach(uow.session, expert_breaches, values, update=["withdrawn_at"])
    uow.audit("withdraw_breach", object_type="expert", object_id=event.expert_id,
              detail={"breach_id": str(event.breach_id)})
