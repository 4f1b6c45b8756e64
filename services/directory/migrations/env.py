"""Alembic environment of the directory service (the body is shared)."""

from services.directory.models import metadata
from shared.migrations import run_env

run_env(metadata)
