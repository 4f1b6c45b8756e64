"""Experts' passport numbers sealed (AES-GCM, key ring) and hashed (HMAC) as intake's; existing rows migrated.

The numbers already stored in plain text are sealed with the directory's key ring, read from the
environment of the migration step exactly as the service reads it (``DIRECTORY_PASSPORT_KEYS``,
``DIRECTORY_PASSPORT_KEY_VERSION``, ``DIRECTORY_PASSPORT_HASH_KEY``; the development defaults outside
production, which refuses them): run the migration with the same keys as the service. Then the plaintext
column is dropped.

A dropped value can linger in free database pages: SQLite's pages are overwritten here (``secure_delete``);
on PostgreSQL run ``VACUUM FULL experts`` after the migration so no dead row keeps a number.

Revision ID: directory_0023
Revises: directory_0022
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "directory_0023"
down_revision = "directory_0022"
branch_labels = None
depends_on = None

_experts = sa.table(
    "experts",
    sa.column("id", sa.Uuid),
    sa.column("passport_number", sa.String(30)),
    sa.column("passport_ciphertext", sa.LargeBinary),
    sa.column("passport_key_version", sa.Integer),
    sa.column("passport_hash", sa.String(64)),
)


def _vault():
    """The directory's key ring as the service reads it (imported here: a migration does no I/O at import)."""
    from services.directory.settings import DirectorySettings

    return DirectorySettings().passport_vault()


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column("experts", sa.Column("passport_ciphertext", sa.LargeBinary))
    op.add_column("experts", sa.Column("passport_key_version", sa.Integer))
    op.add_column("experts", sa.Column("passport_hash", sa.String(64)))
    if sqlite:
        op.execute("PRAGMA secure_delete = ON")  # the pages that held the numbers are zeroed, not just freed
    rows = bind.execute(
        sa.select(_experts.c.id, _experts.c.passport_number).where(_experts.c.passport_number.is_not(None))
    ).all()
    if rows:
        vault = _vault()
        for expert_id, number in rows:
            sealed = vault.seal(number)
            bind.execute(sa.update(_experts).where(_experts.c.id == expert_id).values(
                passport_number=None, passport_ciphertext=sealed.ciphertext,
                passport_key_version=sealed.key_version, passport_hash=sealed.lookup_hash,
            ))
    # Native on PostgreSQL and on SQLite >= 3.35; no rebuild of the table, so the FTS5 rowids stay.
    op.execute("ALTER TABLE experts DROP COLUMN passport_number")
    op.create_index("ix_experts_passport_hash", "experts", ["passport_hash"])
    op.create_index("ix_experts_employer", "experts", ["employer_id"])


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_experts_employer", "experts")
    op.drop_index("ix_experts_passport_hash", "experts")
    op.add_column("experts", sa.Column("passport_number", sa.String(30)))
    rows = bind.execute(
        sa.select(_experts.c.id, _experts.c.passport_key_version, _experts.c.passport_ciphertext)
        .where(_experts.c.passport_ciphertext.is_not(None))
    ).all()
    if rows:
        vault = _vault()
        for expert_id, version, ciphertext in rows:
            bind.execute(sa.update(_experts).where(_experts.c.id == expert_id)
                         .values(passport_number=vault.open(version, ciphertext)))
    for column in ("passport_hash", "passport_key_version", "passport_ciphertext"):
        op.execute(f"ALTER TABLE experts DROP COLUMN {column}")
