"""Request and response models of the employer registry."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, field_validator

from services.directory.employers.domain import District, credit_code_problem
from shared.schemas import Input, Output, UtcDateTime


class EmployerCreate(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    credit_code: Annotated[str, Field(description="Unified social credit code (18 characters, GB 32100-2015)")]
    district: District
    competent_department: Annotated[str | None, Field(max_length=200)] = None
    municipal_state_owned: bool = Field(
        description="R-WAGE-TOTAL: a municipal state-owned enterprise or institution"
    )

    @field_validator("credit_code")
    @classmethod
    def _valid_credit_code(cls, value: str) -> str:
        value = value.upper()
        problem = credit_code_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class EmployerRead(Output):
    id: uuid.UUID
    name: str
    credit_code: str
    district: District
    competent_department: str | None
    municipal_state_owned: bool
    registered_at: UtcDateTime
