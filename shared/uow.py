"""The unit of work: one transaction for a state change, its events (outbox) and its audit record."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from shared import clock
from shared import context, idempotency
from shared.db import Database
from shared.events import CloudEvent, Event
from shared.tables import PlumbingTables


_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UnitOfWork:
    """Rolls back unless told to commit. Events and the audit record commit with the change.

    ``single_statement`` (PostgreSQL): the handler writes the whole change, its audit record and its
    events in one statement (data-modifying ``WITH``). PostgreSQL runs a lone statement as a transaction
    of its own, all or nothing, so the unit does not wrap it in ``BEGIN`` ... ``COMMIT`` (two round trips
    fewer); in exchange it writes nothing itself, and refuses at commit whatever was left for it to write.
    The change is durable once that statement has run: an error raised after it (presenting the result,
    say) fails the request but cannot undo a change that is whole."""

    def __init__(
        self,
        db: Database,
        tables: PlumbingTables,
        *,
        service: str,
        on_commit: Callable[[], None] | None = None,
        single_statement: bool = False,
    ) -> None:
        self._claim = idempotency.current_claim()
        # A request under an Idempotency-Key records its key in the change's transaction: it needs one.
        self.single_statement = single_statement and self._claim is None
        self._db = db
        self._tables = tables
        self.service = service
        self._on_commit = on_commit
        self._events: list[CloudEvent] = []
        self._audit: list[dict[str, Any]] = []
        self._audited = False
        self._after_commit: list[Callable[[], None]] = []
        self.session: AsyncConnection | None = None
        self.committed = False

    async def __aenter__(self) -> "UnitOfWork":
        self.session = await self._db.session()
        try:
            if self.single_statement:
                await self.session.execution_options(isolation_level="AUTOCOMMIT")  # reset on return to the pool
            else:
                await self._db.begin_write(self.session)
        except BaseException:
            await self.session.close()
            raise
        return self

    async def __aexit__(self, *exc_info) -> None:
        try:
            if not self.committed and not self.single_statement:
                await self.session.rollback()
        finally:
            await self.session.close()

    @property
    def tables(self) -> PlumbingTables:
        """This service's outbox, inbox and audit log."""
        return self._tables

    def publish(self, event: Event) -> CloudEvent:
        """Record an event to be published once this unit of work commits."""
        ctx = context.current()
        envelope = CloudEvent.wrap(
            event,
            source=f"/services/{self.service}",
            correlation_id=ctx.request_id,
            causation_id=ctx.causation_id or ctx.request_id,
        )
        self._events.append(envelope)
        return envelope

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once this unit has committed (never on rollback): e.g. a worker's ``wake``, so
        that what the change queued for it goes now rather than at the worker's next poll."""
        if callback not in self._after_commit:
            self._after_commit.append(callback)

    def audit(
        self, action: str, *, object_type: str | None = None, object_id: Any = None, detail: Any = None,
        stored: bool = False,
    ) -> dict[str, Any]:
        """Record who did what to which object (append-only, committed with the change); returns the record.

        ``stored``: the handler writes the returned record itself, in a statement of this unit (so that the
        change and its record go in one round trip); the unit then leaves it out of what it writes at commit."""
        ctx = context.current()
        principal = ctx.principal
        record = {
            "at": clock.now(),  # aware, UTC; read back with its offset on SQLite too (shared.db)
            "request_id": ctx.request_id,
            "actor": principal.subject if principal else None,
            "roles": ",".join(sorted(principal.roles)) if principal else None,
            "organisation": principal.organisation if principal else None,
            "action": action,
            "method": ctx.method,
            "path": ctx.path,
            "object_type": object_type,
            "object_id": str(object_id) if object_id is not None else None,
            "detail": json.dumps(detail, default=str) if detail is not None else None,
        }
        self._audited = True
        if not stored:
            self._audit.append(record)
        return record

    async def commit(self) -> None:
        session = self.session
        now = datetime.now(UTC)
        ctx = context.current()
        if not self._audited and ctx.method in _STATE_CHANGING:
            # Every state-changing request leaves a record, even if its handler named none.
            self.audit(f"{ctx.method} {ctx.path}")
        if self.single_statement:
            if self._events or self._audit:
                raise RuntimeError("a single-statement unit of work writes its events and its audit record in "
                                   "that statement (audit(..., stored=True)); nothing is left for commit")
            self.committed = True
            callbacks, self._after_commit = self._after_commit, []
            for callback in callbacks:
                callback()
            return
        if self._events:
            await session.execute(
                self._tables.insert_outbox,
                [
                    {
                        "event_id": str(e.id),
                        "event_type": e.type,
                        "routing_key": e.routing_key(),
                        "payload": e.to_bytes().decode(),
                        "correlation_id": e.correlationid,
                        "created_at": now,
                        "attempts": 0,
                    }
                    for e in self._events
                ],
            )
        if self._audit:
            await session.execute(self._tables.insert_audit, self._audit)
        if self._claim is not None:
            await self._claim.record_effect(session)
        await session.commit()
        self.committed = True
        if self._claim is not None:
            self._claim.effect_committed = True
        had_events = bool(self._events)
        callbacks, self._after_commit = self._after_commit, []
        self._events, self._audit, self._audited = [], [], False
        if had_events and self._on_commit:
            self._on_commit()
        for callback in callbacks:
            callback()

    async def rollback(self) -> None:
        await self.session.rollback()
        self._events, self._audit, self._audited, self._after_commit = [], [], False, []
