"""Alembic environment of the intake service (the body is shared)."""

from services.intake.models import metadata
from shared.migrations import run_env

run_env(metadata)
