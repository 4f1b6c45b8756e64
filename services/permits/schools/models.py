"""Tables of school placement (R-SCHOOL): the requests for the expert's children."""

import sqlalchemy as sa

from services.permits.metadata import metadata


school_placements = sa.Table(
    "school_placements",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("green_channel_cases.id"), nullable=False),
    sa.Column("child_name", sa.String(200), nullable=False),
    sa.Column("date_of_birth", sa.Date, nullable=False),
    sa.Column("preferred_school_type", sa.String(40), nullable=False),
    sa.Column("preferred_district", sa.String(40)),
    sa.Column("grade", sa.String(40)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("school_name", sa.String(300)),
    sa.Column("school_type", sa.String(40)),
    sa.Column("note", sa.String(1000)),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("requested_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_school_placements_case", "case_id", "requested_at"),
)
