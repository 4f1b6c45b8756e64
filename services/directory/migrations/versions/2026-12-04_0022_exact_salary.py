"""Job-seekers' annual salary as exact decimal money (was a float column), every value kept.

The directory declared its salaries (``experts.annual_salary``, ``postings.salary_min`` and
``salary_max``) as NUMERIC(14, 2). PostgreSQL stores that exactly; SQLite gives the column NUMERIC
affinity and keeps a REAL, a binary float (850000.1 comes back as 850000.09999999998). Here SQLite's
columns become the exact text every other money column of the platform uses there ("850000.10",
shared/money.py): each stored value is read as Python writes the float (its shortest ``repr``, the number
that was meant) and rounded half-up to 2 places (R-ROUNDING). A value that does not fit NUMERIC(14, 2)
stops the migration, naming the row, rather than be stored as something else.

``experts`` keeps its rowids (its FTS5 index refers to them) and triggers: the column is swapped with
ALTER TABLE ADD/DROP/RENAME COLUMN (SQLite >= 3.35), not by rebuilding the table. ``postings`` has no such
ties and a NOT NULL range, so it is rebuilt (batch mode). PostgreSQL has nothing to change.

Revision ID: directory_0022
Revises: directory_0021
Create Date: 2026-12-04
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op

revision = "directory_0022"
down_revision = "directory_0021"
branch_labels = None
depends_on = None

# Frozen here (a migration does not follow later code): shared.money as of this revision.
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
FLOAT_MONEY = sa.Numeric(14, 2)
EXACT_MONEY = sa.String(20)

POSTING_RANGE = ("salary_min", "salary_max")


def exact_text(table: str, column: str, key, value) -> str | None:
    """A stored salary (REAL, INTEGER or numeric text) as exact text with 2 places, half-up from its repr."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = int(value)
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise ValueError(f"{table}.{column} of {key} is {value!r}: not an amount NUMERIC(14, 2) can hold; "
                         "correct it and migrate again")
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP) + 0:f}"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # NUMERIC(14, 2) since directory_0010: exact already
    # Every exact text first, so a value that cannot be kept stops the migration before anything changed.
    experts = [{"text": exact_text("experts", "annual_salary", expert_id, value), "rowid": rowid}
               for rowid, expert_id, value in bind.execute(sa.text(
                   "SELECT rowid, id, annual_salary FROM experts WHERE annual_salary IS NOT NULL"))]
    postings = [{"id": posting_id, **{c: exact_text("postings", c, posting_id, v)
                                      for c, v in zip(POSTING_RANGE, values)}}
                for posting_id, *values in bind.execute(sa.text("SELECT id, salary_min, salary_max FROM postings"))]

    # experts: a new exact column filled from the float one, which then goes; same rowids, same triggers.
    op.execute("ALTER TABLE experts ADD COLUMN annual_salary_exact VARCHAR(20)")
    if experts:
        bind.execute(sa.text("UPDATE experts SET annual_salary_exact = :text WHERE rowid = :rowid"), experts)
    op.execute("ALTER TABLE experts DROP COLUMN annual_salary")
    op.execute("ALTER TABLE experts RENAME COLUMN annual_salary_exact TO annual_salary")

    # postings: rebuilt with the exact type, then each range written as computed above.
    with op.batch_alter_table("postings", recreate="always") as batch:
        for column in POSTING_RANGE:
            batch.alter_column(column, type_=EXACT_MONEY, existing_type=FLOAT_MONEY, existing_nullable=False)
    if postings:
        bind.execute(sa.text("UPDATE postings SET salary_min = :salary_min, salary_max = :salary_max WHERE id = :id"),
                     postings)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # Back to NUMERIC affinity: SQLite turns each exact text into the nearest float again.
    op.execute("ALTER TABLE experts ADD COLUMN annual_salary_float NUMERIC(14, 2)")
    op.execute("UPDATE experts SET annual_salary_float = CAST(annual_salary AS REAL) WHERE annual_salary IS NOT NULL")
    op.execute("ALTER TABLE experts DROP COLUMN annual_salary")
    op.execute("ALTER TABLE experts RENAME COLUMN annual_salary_float TO annual_salary")
    with op.batch_alter_table("postings", recreate="always") as batch:
        for column in POSTING_RANGE:
            batch.alter_column(column, type_=FLOAT_MONEY, existing_type=EXACT_MONEY, existing_nullable=False)
