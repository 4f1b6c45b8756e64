"""Request and response models of school placement (R-SCHOOL)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import Field

from services.permits.schools.domain import PlacementStatus, SchoolType
from shared.schemas import Input, Output, UtcDateTime


class SchoolPlacementCreate(Input):
    child_name: Annotated[str, Field(min_length=1, max_length=200)]
    date_of_birth: date
    preferred_school_type: SchoolType
    preferred_district: Annotated[str | None, Field(max_length=40)] = None
    grade: Annotated[str | None, Field(max_length=40)] = None
    note: Annotated[str | None, Field(max_length=1000)] = None


class SchoolPlacementStep(Input):
    note: Annotated[str | None, Field(max_length=1000)] = None


class SchoolPlaced(Input):
    school_name: Annotated[str, Field(min_length=1, max_length=300)]
    school_type: SchoolType
    note: Annotated[str | None, Field(max_length=1000)] = None


class SchoolPlacementRead(Output):
    id: uuid.UUID
    case_id: uuid.UUID
    child_name: str
    date_of_birth: date
    preferred_school_type: SchoolType
    preferred_district: str | None
    grade: str | None
    status: PlacementStatus
    school_name: str | None
    school_type: SchoolType | None
    note: str | None
    requested_at: UtcDateTime
    requested_by: str
    updated_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "SchoolPlacementRead":
        """A placement's row as read, or as a handler wrote it (a dict)."""
        return cls.model_validate(row._mapping if hasattr(row, "_mapping") else row)
