"""Tables of the directory service."""

import sqlalchemy as sa

from shared.tables import plumbing_tables

metadata = sa.MetaData()
plumbing = plumbing_tables(metadata)

employers = sa.Table(
    "employers",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18), nullable=False, unique=True),
    sa.Column("district", sa.String(30), nullable=False),
    sa.Column("competent_department", sa.String(200)),
    sa.Column("municipal_state_owned", sa.Boolean, nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("registered_by", sa.String(200), nullable=False),
)
sa.Index("ix_employers_registered", employers.c.registered_at, employers.c.id)

# R-FIELD (Art. 5): reference data shipped by migration directory_0002.
taxonomy_focus_areas = sa.Table(
    "taxonomy_focus_areas",
    metadata,
    sa.Column("code", sa.String(50), primary_key=True),
    sa.Column("number", sa.Integer, nullable=False, unique=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("name_zh", sa.String(100), nullable=False),
)

taxonomy_fields = sa.Table(
    "taxonomy_fields",
    metadata,
    sa.Column("code", sa.String(50), primary_key=True),
    sa.Column("focus_area", sa.String(50), sa.ForeignKey("taxonomy_focus_areas.code"), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("name_zh", sa.String(100), nullable=False),
)

taxonomy_zones = sa.Table(
    "taxonomy_zones",
    metadata,
    sa.Column("code", sa.String(50), primary_key=True),
    sa.Column("zone_group", sa.String(50), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("name_zh", sa.String(100), nullable=False),
)

# R-CATALOGUE (Art. 6): editions with a validity period; entries published and withdrawn by officers.
catalogue_editions = sa.Table(
    "catalogue_editions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_until", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("published_by", sa.String(200)),
    sa.CheckConstraint("valid_until >= valid_from", name="ck_catalogue_editions_period"),
)

catalogue_entries = sa.Table(
    "catalogue_entries",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("edition_id", sa.Uuid, sa.ForeignKey("catalogue_editions.id"), nullable=False),
    sa.Column("focus_area", sa.String(50), sa.ForeignKey("taxonomy_focus_areas.code"), nullable=False),
    sa.Column("field", sa.String(50), sa.ForeignKey("taxonomy_fields.code"), nullable=False),
    sa.Column("zone", sa.String(50), sa.ForeignKey("taxonomy_zones.code")),
    sa.Column("demand", sa.Text, nullable=False),
    sa.Column("number_sought", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawn_by", sa.String(200)),
    sa.Column("withdrawal_reason", sa.Text),
    sa.CheckConstraint("number_sought >= 1", name="ck_catalogue_entries_number_sought"),
    sa.Index("ix_catalogue_entries_position", "created_at", "id"),
    sa.Index("ix_catalogue_entries_edition", "edition_id"),
)

# The expert database, job board and services, and the expert's timeline, live in their own
# modules on the same metadata.
from services.directory import platform_tables, timeline  # noqa: E402,F401
