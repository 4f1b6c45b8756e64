"""The expert's timeline's table, on the directory's metadata (migration directory_0020)."""

import sqlalchemy as sa

from services.directory.metadata import metadata

expert_timeline = sa.Table(
    "expert_timeline",
    metadata,
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("expert_id", sa.Uuid),
    sa.Column("application_id", sa.Uuid),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("type", sa.String(60), nullable=False),
    sa.Column("service", sa.String(20), nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
"""One row per event concerning an expert; ``expert_id`` empty until the application is known."""

sa.Index("ix_expert_timeline_expert", expert_timeline.c.expert_id, expert_timeline.c.occurred_at,
         expert_timeline.c.event_id)
sa.Index("ix_expert_timeline_application", expert_timeline.c.application_id)
