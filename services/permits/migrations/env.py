"""Alembic environment of the permits service (the body is shared)."""

from services.permits.models import metadata
from shared.migrations import run_env

run_env(metadata)
