"""REST routes of the permits service under /permits/v1."""

from fastapi import APIRouter

router = APIRouter(prefix="/permits/v1", tags=["permits"])
