"""Tables of the expert database, job board, map, awards, consultations and settlement services (R-PLATFORM, R-AWARD, R-SETTLE).

They live on the directory's one ``metadata``; ``models`` imports this module so Alembic
and every query see them. Restricted columns (passport number, salary) are named here
once: ``RESTRICTED_EXPERT_COLUMNS``.
"""

import sqlalchemy as sa

from services.directory.metadata import metadata
from shared.money import MoneyColumn

MONEY = MoneyColumn
"""Salaries: exact NUMERIC(14, 2), and exact text on SQLite (migration directory_0022; it was a float there)."""

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
    sa.Column("annual_salary", MONEY),
    sa.Column("seeking", sa.Boolean, nullable=False),
    sa.Column("available_from", sa.Date),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

RESTRICTED_EXPERT_COLUMNS = ("passport_ciphertext", "passport_key_version", "passport_hash", "annual_salary")
"""Never in a public response; shown only to officers and the expert; masked for everyone else. The passport
number is stored only sealed (AES-GCM) and as its keyed hash (shared/passports.py, directory_0023)."""

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

notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_by", sa.String(200), nullable=False),
)
"""Policy notices published on the information platform (R-PLATFORM (2))."""

award_nominations = sa.Table(
    "award_nominations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("award", sa.String(40), nullable=False),
    sa.Column("contribution", sa.Text, nullable=False),
    sa.Column("especially_outstanding", sa.Boolean, nullable=False),
    sa.Column("nominated_by", sa.String(200), nullable=False),
    sa.Column("employer_id", sa.Uuid),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("decision_reason", sa.Text),
    sa.Column("decided_by", sa.String(200)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
"""R-AWARD (Art. 10(5)): nominations for the Great Wall Friendship Award and the others."""

consultations = sa.Table(
    "consultations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("plan", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("questions", sa.JSON, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True)),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
)
"""R-PLATFORM (5): consultation of experts on major municipal plans."""

consultation_responses = sa.Table(
    "consultation_responses",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("consultation_id", sa.Uuid, sa.ForeignKey("consultations.id"), nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("answers", sa.JSON, nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("consultation_id", "expert_id", name="uq_consultation_expert"),
)

guide_sections = sa.Table(
    "guide_sections",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("topic", sa.String(30), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("language", sa.String(3), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
"""R-SETTLE (Art. 15): the working-and-living guide, including the contact mechanism."""

courses = sa.Table(
    "courses",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("location", sa.String(200), nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
"""R-SETTLE: adaptation courses (language, culture, city)."""

course_enrolments = sa.Table(
    "course_enrolments",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("course_id", sa.Uuid, sa.ForeignKey("courses.id"), nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("course_id", "expert_id", name="uq_course_expert"),
)

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
sa.Index("ix_notices_published", notices.c.published_at, notices.c.id)
sa.Index("ix_award_nominations_created", award_nominations.c.created_at, award_nominations.c.id)
sa.Index("ix_award_nominations_expert", award_nominations.c.expert_id)
sa.Index("ix_courses_starts", courses.c.starts_on, courses.c.id)
