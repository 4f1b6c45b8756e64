"""Alembic environment of the subsidy service (the body is shared)."""

from services.subsidy.models import metadata
from shared.migrations import run_env

run_env(metadata)
