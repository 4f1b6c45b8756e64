"""Tables of the selection committee: the roster, the cases, the sittings, the members' acts and the decisions."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from services.review.metadata import metadata

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

committee_members = sa.Table(
    "committee_members",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("subject", sa.String(200), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("seat_type", sa.String(30), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("application_id", sa.Uuid, primary_key=True),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("sitting_id", sa.Uuid),
    sa.Column("employer_id", sa.Uuid, nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    # The FormalReviewPassed payload: what the committee reads and the decision passes on.
    sa.Column("dossier", JSON, nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source_event_id", sa.String(36), nullable=False),
    sa.Index("ix_cases_state", "state", "received_at"),
)

sittings = sa.Table(
    "sittings",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("attendance_recorded_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
)

sitting_members = sa.Table(
    "sitting_members",
    metadata,
    sa.Column("sitting_id", sa.Uuid, sa.ForeignKey("sittings.id"), primary_key=True),
    sa.Column("member_id", sa.Uuid, sa.ForeignKey("committee_members.id"), primary_key=True),
    sa.Column("present", sa.Boolean, nullable=False, default=False),
)

conflicts = sa.Table(
    "conflicts",
    metadata,
    sa.Column("sitting_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, primary_key=True),
    sa.Column("member_id", sa.Uuid, primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
)

scores = sa.Table(
    "scores",
    metadata,
    sa.Column("sitting_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, primary_key=True),
    sa.Column("member_id", sa.Uuid, primary_key=True),
    sa.Column("achievements", sa.SmallInteger, nullable=False),
    sa.Column("renown", sa.SmallInteger, nullable=False),
    sa.Column("recognition", sa.SmallInteger, nullable=False),
    sa.Column("need", sa.SmallInteger, nullable=False),
    sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
)

votes = sa.Table(
    "votes",
    metadata,
    sa.Column("sitting_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, primary_key=True),
    sa.Column("member_id", sa.Uuid, primary_key=True),
    sa.Column("approve", sa.Boolean, nullable=False),
    sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    # Unique: a case is decided once (a second decision is refused, also under a race).
    sa.Column("application_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("sitting_id", sa.Uuid, nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("votes_for", sa.Integer, nullable=False),
    sa.Column("votes_against", sa.Integer, nullable=False),
    sa.Column("recused", sa.Integer, nullable=False),
    sa.Column("average_scores", JSON, nullable=False),
    sa.Column("reasons", JSON, nullable=False),
    sa.Column("funding_plan", JSON),
    sa.Column("cap_exception", JSON),
    sa.Column("wage_bill_note", sa.Text),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_by", sa.String(200), nullable=False),
)
