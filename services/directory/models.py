"""Tables of the directory service: its one metadata with the plumbing (outbox, inbox, audit log), and every
sub-domain's tables, imported here so that Alembic (env.py targets this metadata) and every query see them all."""

from services.directory import platform_tables, timeline  # noqa: F401
from services.directory.catalogue.models import (
    catalogue_editions, catalogue_entries, taxonomy_fields, taxonomy_focus_areas, taxonomy_zones,
)
from services.directory.employers.models import employers
from services.directory.metadata import metadata
from shared.tables import plumbing_tables

plumbing = plumbing_tables(metadata)

__all__ = [
    "catalogue_editions", "catalogue_entries", "employers", "metadata", "plumbing", "taxonomy_fields",
    "taxonomy_focus_areas", "taxonomy_zones",
]
