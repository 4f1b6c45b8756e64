"""Alembic operations shared by the services' migrations (frozen: change by adding a new function)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def create_plumbing_tables_v1() -> None:
    """Outbox, inbox and an append-only audit log, as of the platform's first revision."""
    op.create_table(
        "outbox",
        sa.Column("id", _BIGINT, primary_key=True, autoincrement=True),
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
    # The relay reads only unsent rows; keep that scan small on PostgreSQL.
    op.create_index(
        "ix_outbox_unsent",
        "outbox",
        ["id"],
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", _BIGINT, primary_key=True, autoincrement=True),
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
    forbid_update_and_delete("audit_log")


def forbid_update_and_delete(table: str) -> None:
    """Make a table append-only in the database itself, not only by convention."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION platform_append_only() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION platform_append_only()"
        )
    elif bind.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def drop_plumbing_tables_v1() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.drop_table("audit_log")
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unsent", table_name="outbox")
    op.drop_table("outbox")


def create_idempotency_keys_v1() -> None:
    """The keys of ``Idempotency-Key`` requests (shared/idempotency.py): who sent each (a hash of the token's
    subject and organisation), a hash of the key, a keyed hash of the request, where it stands, and the first
    response, sealed under a key derived from the client's key (it may carry personal data)."""
    op.create_table(
        "idempotency_keys",
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
    )
    # Expired keys are purged by range: keep that a short index scan.
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])


def drop_idempotency_keys_v1() -> None:
    op.drop_index("ix_idempotency_keys_expires_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
