"""The fast paths of an application's draft and replies, kept apart from the ordinary code they shortcut.

Each was measured with ``python -m bench intake_throughput`` (docs/performance.md, §1 "What was done on
2026-11-29", the rows named here):

* **the draft in one statement on PostgreSQL** (``draft_statement``, ``draft_in_one_statement``): the passport
  number's expert registered unless it is, the application, its history row and its audit record in one
  ``INSERT ... SELECT`` with data-modifying ``WITH`` clauses, guarded by ``EXISTS`` on the employer and
  catalogue replicas, in **a unit of work of one statement** (``runtime.uow(single_statement=True)``: no
  ``BEGIN``/``COMMIT``). SQLite (the embedded mode) has no ``INSERT`` inside ``WITH``: there
  ``handlers.create_application`` writes the same rows one after the other, and the tests check both
  (``test_r_apply_a_draft_leaves_its_history_row_and_one_audit_record_on_both_run_modes``).
* **application endpoints answer with a ready Response** (``reply``): the model the handler built is not
  validated a second time on the way out; ``response_model`` still documents it (OpenAPI unchanged).
* ``register_passport`` is the registry's upsert both ways of drafting use (and an edit that changes the
  passport number).
"""

from __future__ import annotations

import functools
import uuid

import sqlalchemy as sa
from fastapi import Response
from sqlalchemy.dialects import postgresql

from services.intake.applications.models import application_history, applications, passport_experts
from services.intake.applications.queries import draft_lookups, selected_for
from services.intake.applications.schemas import ApplicationRead
from services.intake.replicas.models import catalogue_replica, employer_replica
from shared.api import etag
from shared.auth import Principal
from shared.errors import Conflict
from shared.uow import UnitOfWork


def register_passport(insert, values):
    """Register a passport number's expert unless one is (``insert``: the dialect's); returns the registered
    expert and first employer, the existing ones if another draft registered the number first, even one that
    committed after this statement began (``DO UPDATE`` reads the row as it is now, ``DO NOTHING`` would
    return nothing)."""
    statement = insert(passport_experts)
    statement = statement.from_select(list(passport_experts.c.keys()), values) if isinstance(values, sa.Select) \
        else statement.values(values)
    return statement.on_conflict_do_update(
        index_elements=[passport_experts.c.passport_hash],
        set_={"passport_hash": statement.excluded.passport_hash},
    ).returning(passport_experts.c.expert_id, passport_experts.c.first_employer_id)


DRAFTED_BY_ITSELF = ("expert_id", "submitted_at", "decision")
"""Columns of a new application the draft statement does not take as parameters: the expert is looked up,
the rest is empty until submission and decision."""


@functools.cache
def draft_statement(audit_log: sa.Table) -> sa.Select:
    """A draft in one PostgreSQL statement (data-modifying CTEs): the passport number's expert registered
    (a new one) unless it is, and the application with that expert, both only if the employer and the catalogue
    entry are known (R-CATALOGUE); its history row and its audit record, inserted only with it; and whether
    the employer may be told the expert id.
    Built once per audit table, with bound parameters: ``h_*`` history, ``a_*`` audit, the rest the row."""
    columns = [c.name for c in applications.c if c.name not in DRAFTED_BY_ITSELF]

    def param(table: sa.Table, prefix: str, name: str) -> sa.BindParameter:
        return sa.bindparam(prefix + name, type_=table.c[name].type)

    employer_id = sa.bindparam("employer_id", type_=sa.Uuid)
    registered = register_passport(postgresql.insert, sa.select(
        param(applications, "", "passport_hash"), sa.bindparam("new_expert_id", type_=sa.Uuid), employer_id,
        param(applications, "", "created_at"),
    ).where(
        sa.exists().where(employer_replica.c.employer_id == employer_id),
        sa.exists().where(catalogue_replica.c.entry_id == sa.bindparam("catalogue_entry_id")),
    )).cte("registered")
    guarded = sa.select(*(param(applications, "", name) for name in columns), registered.c.expert_id)
    drafted = (sa.insert(applications).from_select([*columns, "expert_id"], guarded)
               .returning(applications.c.expert_id).cte("drafted"))
    history = [c.name for c in application_history.c if c.name != "id"]
    audit = [c.name for c in audit_log.c if c.name != "id"]
    with_history = sa.insert(application_history).from_select(
        history, sa.select(*(param(application_history, "h_", n) for n in history)).select_from(drafted)
    ).cte("drafted_history")
    with_audit = sa.insert(audit_log).from_select(
        audit, sa.select(*(param(audit_log, "a_", n) for n in audit)).select_from(drafted)
    ).cte("drafted_audit")
    disclosed = sa.or_(registered.c.first_employer_id == employer_id, selected_for(drafted.c.expert_id, employer_id))
    return (sa.select(drafted.c.expert_id, disclosed.label("disclosed"))
            .select_from(drafted.join(registered, sa.true()))  # one row each
            .add_cte(with_history, with_audit))


async def draft_in_one_statement(
    uow: UnitOfWork, principal: Principal, row: dict, history: dict, audit: dict
) -> tuple[uuid.UUID, bool]:
    """The draft's expert id and whether the employer may be told it, once the application, its history row
    and its audit record are written."""
    params = {**row, "new_expert_id": uuid.uuid4(), **{"h_" + k: v for k, v in history.items()},
              **{"a_" + k: v for k, v in audit.items()}}
    statement = draft_statement(uow.tables.audit_log)
    for _ in range(2):
        drafted = (await uow.session.execute(statement, params)).first()
        if drafted is not None:
            return drafted.expert_id, bool(drafted.disclosed)
        # Nothing written: say which of the employer and the catalogue entry is unknown (403 / 422). If both
        # are known now, their replicas arrived in between; the second attempt finds them.
        await draft_lookups(uow.session, principal, row["catalogue_entry_id"])
    raise Conflict("the employer or the catalogue entry changed while the draft was written; try again")


def reply(application: ApplicationRead, *, status_code: int = 200, location: str | None = None) -> Response:
    """The application as JSON, its version as the ETag, never cached (it may carry a passport number).

    Answered as a ready ``Response`` (FastAPI passes it through; ``response_model`` still documents it): the
    handler built the model from the row, and validating it a second time on the way out is work for
    nothing on every read and write of an application."""
    headers = {"ETag": etag(application.version), "Cache-Control": "no-store"}
    if location is not None:
        headers["Location"] = location
    return Response(application.model_dump_json(), status_code=status_code, media_type="application/json",
                    headers=headers)
