"""Tables of the taxonomy and the introduction catalogue, on the directory's metadata (directory_0002, _0003)."""

import sqlalchemy as sa

from services.directory.metadata import metadata

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
