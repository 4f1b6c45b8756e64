"""Tables of the directory service: its one metadata with the plumbing (outbox, inbox, audit log), and every
sub-domain's tables, imported here so that Alembic (env.py targets this metadata) and every query see them all."""

from services.directory.board.models import event_registrations, matchmaking_events, postings
from services.directory.catalogue.models import (
    catalogue_editions, catalogue_entries, taxonomy_fields, taxonomy_focus_areas, taxonomy_zones,
)
from services.directory.employers.models import employers
from services.directory.engagement.models import (
    award_nominations, consultation_responses, consultations, course_enrolments, courses, guide_sections, notices,
)
from services.directory.experts.models import expert_breaches, expert_tags, experts
from services.directory.metadata import metadata
from services.directory.timeline.models import expert_timeline
from shared.tables import plumbing_tables

plumbing = plumbing_tables(metadata)

__all__ = [
    "award_nominations", "catalogue_editions", "catalogue_entries", "consultation_responses", "consultations",
    "course_enrolments", "courses", "employers", "event_registrations", "expert_breaches", "expert_tags",
    "expert_timeline", "experts", "guide_sections", "matchmaking_events", "metadata", "notices", "plumbing",
    "postings", "taxonomy_fields", "taxonomy_focus_areas", "taxonomy_zones",
]
