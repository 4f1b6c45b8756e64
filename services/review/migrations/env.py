"""Alembic environment of the review service (the body is shared)."""

from services.review.models import metadata
from shared.migrations import run_env

run_env(metadata)
