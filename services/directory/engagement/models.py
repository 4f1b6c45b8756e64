"""Tables of notices, award nominations, consultations and settlement services, on the directory's metadata
(migration directory_0012; R-PLATFORM (2), (5), R-AWARD, R-SETTLE)."""

import sqlalchemy as sa

from services.directory.metadata import metadata

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
sa.Index("ix_notices_published", notices.c.published_at, notices.c.id)
sa.Index("ix_award_nominations_created", award_nominations.c.created_at, award_nominations.c.id)
sa.Index("ix_award_nominations_expert", award_nominations.c.expert_id)
sa.Index("ix_courses_starts", courses.c.starts_on, courses.c.id)
