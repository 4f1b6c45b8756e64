"""Tables of the expert database, on the directory's metadata (migrations directory_0010, _0022, _0023): the
experts, their skills and languages, and the breaches that mark benefits revoked (R-PLATFORM (1), R-SUPERVISE)."""

import sqlalchemy as sa

from services.directory.metadata import metadata
from shared.money import MoneyColumn

experts = sa.Table(
    "experts",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("nationality", sa.String(2), nullable=False),
    sa.Column("date_of_birth", sa.Date),
    sa.Column("focus_area", sa.String(60), nullable=False),
    sa.Column("field", sa.String(60), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("headline", sa.String(300)),
    sa.Column("bio", sa.Text),
    sa.Column("skills", sa.JSON, nullable=False),
    sa.Column("languages", sa.JSON, nullable=False),
    sa.Column("employer_id", sa.Uuid),
    sa.Column("employer_name", sa.String(200)),
    sa.Column("application_id", sa.Uuid, unique=True),
    sa.Column("passport_ciphertext", sa.LargeBinary),
    sa.Column("passport_key_version", sa.Integer),
    sa.Column("passport_hash", sa.String(64)),
    sa.Column("annual_salary", MoneyColumn),  # exact NUMERIC(14, 2), exact text on SQLite (directory_0022)
    sa.Column("seeking", sa.Boolean, nullable=False),
    sa.Column("available_from", sa.Date),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
"""The expert database (R-PLATFORM (1)). Restricted columns: ``passport_ciphertext``, ``passport_key_version``,
``passport_hash`` and ``annual_salary``, never in a public response, shown only to officers and the expert, masked
for everyone else. The passport number is stored only sealed (AES-GCM) and as its keyed hash (shared/passports.py,
directory_0023)."""

expert_tags = sa.Table(
    "expert_tags",
    metadata,
    sa.Column("expert_id", sa.Uuid, sa.ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("value", sa.String(60), primary_key=True),
)
"""The experts' skills and languages one per row, indexed for search filters and matching."""

expert_breaches = sa.Table(
    "expert_breaches",
    metadata,
    sa.Column("breach_id", sa.Uuid, primary_key=True),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("attributable_to", sa.String(20)),
    sa.Column("breach_date", sa.Date),
    sa.Column("recorded_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
)
"""R-SUPERVISE: one row per breach, whichever of ContractBreached / ContractBreachWithdrawn came first."""

# The indexes the migrations create, declared so the models and the migrations agree.
sa.Index("ix_experts_listed", experts.c.listed_at, experts.c.id)
sa.Index("ix_experts_field", experts.c.field)
sa.Index("ix_experts_focus_area", experts.c.focus_area)
sa.Index("ix_experts_nationality", experts.c.nationality)
sa.Index("ix_experts_seeking_field", experts.c.seeking, experts.c.field)
sa.Index("ix_experts_passport_hash", experts.c.passport_hash)
sa.Index("ix_experts_employer", experts.c.employer_id)
sa.Index("ix_expert_tags_value", expert_tags.c.kind, expert_tags.c.value, expert_tags.c.expert_id)
sa.Index("ix_expert_breaches_expert", expert_breaches.c.expert_id)
