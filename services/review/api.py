"""REST routes of the review service under /review/v1."""

from fastapi import APIRouter

router = APIRouter(prefix="/review/v1", tags=["review"])
