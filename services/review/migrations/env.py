"""Alembic environment of the review service (the body is shared)."""

import services.review.supervision.models  # noqa: F401  (declares supervision's tables on the metadata)
from services.review.models import metadata
from shared.migrations import run_env

run_env(metadata)
