"""REST routes of the subsidy service under /subsidy/v1."""

from fastapi import APIRouter

router = APIRouter(prefix="/subsidy/v1", tags=["subsidy"])
