"""The plumbing tables every service has in its own database: outbox, inbox, audit log, idempotency keys."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa


@dataclass(frozen=True)
class PlumbingTables:
    outbox: sa.Table
    inbox: sa.Table
    audit_log: sa.Table
    idempotency_keys: sa.Table

    # Built once: SQLAlchemy memoises a statement's cache key on the statement object, so every unit of work
    # reuses the compiled form instead of building and hashing a new INSERT.
    @cached_property
    def insert_outbox(self) -> sa.Insert:
        return sa.insert(self.outbox)

    @cached_property
    def insert_audit(self) -> sa.Insert:
        return sa.insert(self.audit_log)


def plumbing_tables(metadata: sa.MetaData) -> PlumbingTables:
    """Declare the outbox, inbox, audit log and idempotency keys on a service's metadata."""
    outbox = sa.Table(
        "outbox",
        metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("routing_key", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("correlation_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
    )
    inbox = sa.Table(
        "inbox",
        metadata,
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    audit_log = sa.Table(
        "audit_log",
        metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(100)),
        sa.Column("actor", sa.String(200)),
        sa.Column("roles", sa.String(300)),
        sa.Column("organisation", sa.String(100)),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("method", sa.String(10)),
        sa.Column("path", sa.String(500)),
        sa.Column("object_type", sa.String(100)),
        sa.Column("object_id", sa.String(100)),
        sa.Column("detail", sa.Text),
    )
    idempotency_keys = sa.Table(
        "idempotency_keys",
        metadata,
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("claim_token", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_status", sa.Integer),
        sa.Column("response", sa.LargeBinary),
        sa.Index("ix_idempotency_keys_expires_at", "expires_at"),
    )
    return PlumbingTables(outbox=outbox, inbox=inbox, audit_log=audit_log, idempotency_keys=idempotency_keys)
