"""Every table of the review service, on its one metadata (Alembic's env.py targets it): the plumbing, the
committee's and supervision's."""

from services.review.committee.models import (
    cases, committee_members, conflicts, decisions, scores, sitting_members, sittings, votes,
)
from services.review.metadata import metadata
from services.review.supervision.models import (
    breach_appeals, contract_breaches, performance_evaluations, signed_contracts, supervised_selections,
)
from shared.tables import plumbing_tables

plumbing = plumbing_tables(metadata)

__all__ = [
    "breach_appeals", "cases", "committee_members", "conflicts", "contract_breaches", "decisions", "metadata",
    "performance_evaluations", "plumbing", "scores", "signed_contracts", "sitting_members", "sittings",
    "supervised_selections", "votes",
]
