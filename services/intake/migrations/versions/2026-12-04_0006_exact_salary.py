"""Applications' annual salary as exact decimal money on SQLite (was NUMERIC affinity: a binary float).

PostgreSQL stores NUMERIC(14, 2) exactly; SQLite kept a REAL (850000.1 came back as 850000.09999999998).
The column becomes the exact text every other money column uses on SQLite ("850000.10", shared/money.py):
each stored value is read as Python writes the float (its shortest ``repr``) and rounded half-up to 2
places (R-ROUNDING); a value NUMERIC(14, 2) cannot hold stops the migration, naming the application. The
table is rebuilt (batch mode; the migration connection does not enforce foreign keys, so the
recommendations and history that refer to it stay as they are). PostgreSQL has nothing to change.

Revision ID: intake_0006
Revises: intake_0005
Create Date: 2026-12-04
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op

revision = "intake_0006"
down_revision = "intake_0005"
branch_labels = None
depends_on = None

# Frozen here (a migration does not follow later code): shared.money as of this revision.
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
FLOAT_MONEY = sa.Numeric(14, 2)
EXACT_MONEY = sa.String(20)


def exact_text(application_id, value) -> str:
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise ValueError(f"applications.annual_salary of {application_id} is {value!r}: not an amount "
                         "NUMERIC(14, 2) can hold; correct it and migrate again")
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP) + 0:f}"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # Every exact text first, so a value that cannot be kept stops the migration before anything changed.
    rows = [{"id": application_id, "salary": exact_text(application_id, value)}
            for application_id, value in bind.execute(sa.text("SELECT id, annual_salary FROM applications"))]
    with op.batch_alter_table("applications", recreate="always") as batch:
        batch.alter_column("annual_salary", type_=EXACT_MONEY, existing_type=FLOAT_MONEY, existing_nullable=False)
    if rows:
        bind.execute(sa.text("UPDATE applications SET annual_salary = :salary WHERE id = :id"), rows)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    with op.batch_alter_table("applications", recreate="always") as batch:
        batch.alter_column("annual_salary", type_=FLOAT_MONEY, existing_type=EXACT_MONEY, existing_nullable=False)
    op.execute("UPDATE applications SET annual_salary = CAST(annual_salary AS REAL)")
