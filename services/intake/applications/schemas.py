"""Request and response models of applications."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator

from services.intake.applications.countries import ISO_3166_ALPHA_2
from services.intake.applications.domain import Outcome, State
from services.intake.entitlements.schemas import EntitlementRef
from services.intake.revocation.schemas import RevocationRead
from shared import clock
from shared.events.common import Track
from shared.money import PositiveMoney
from shared.schemas import Input, Output, UtcDateTime

Text = Annotated[str, Field(min_length=1, max_length=300)]
LongText = Annotated[str, Field(min_length=1, max_length=10000)]


class Candidate(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    nationality: Annotated[str, Field(description="ISO 3166-1 alpha-2, e.g. GB")]
    passport_number: Annotated[str, Field(min_length=5, max_length=20, pattern=r"^[A-Za-z0-9 -]+$",
                                          description="Stored encrypted; shown only to the roles that need it")]
    date_of_birth: date
    field: Annotated[str, Field(min_length=1, max_length=200, description="The candidate's professional field")]
    achievements: LongText
    current_post: Text

    @field_validator("nationality")
    @classmethod
    def _iso_3166(cls, value: str) -> str:
        value = value.upper()
        if value not in ISO_3166_ALPHA_2:
            raise ValueError("not an ISO 3166-1 alpha-2 country code")
        return value

    @field_validator("date_of_birth")
    @classmethod
    def _born(cls, value: date) -> date:
        if value >= clock.beijing_today():
            raise ValueError("the date of birth is not in the past")
        return value


class Contract(Input):
    start: date
    end: date
    annual_salary: PositiveMoney = Field(description="CNY a year")

    @field_validator("end")
    @classmethod
    def _after_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and value < start:
            raise ValueError("the contract ends before it starts")
        return value


class ApplicationCreate(Input):
    """An application draft (R-APPLY)."""

    catalogue_entry_id: uuid.UUID
    candidate: Candidate
    position: Text
    contract: Contract
    track: Track
    intent_date: Annotated[date, Field(description="When employer and candidate reached a preliminary intent")]


class ApplicationPatch(Input):
    """Top-level keys replace the draft's; ``candidate`` and ``contract`` are replaced whole."""

    catalogue_entry_id: uuid.UUID | None = None
    candidate: Candidate | None = None
    position: Text | None = None
    contract: Contract | None = None
    track: Track | None = None
    intent_date: date | None = None


class RecommendationCreate(Input):
    """A peer-expert recommendation (同行业专家推荐, R-APPLY)."""

    recommender_name: Annotated[str, Field(min_length=1, max_length=200)]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    institution: Text
    relation: Text
    statement: LongText


class RecommendationRead(Output):
    id: uuid.UUID
    recommender_name: str
    title: str
    institution: str
    relation: str
    statement: str
    created_at: UtcDateTime


class PreliminaryReviewCreate(Input):
    """Preliminary review (初审) by the district HR bureau or the competent department (R-APPLY)."""

    outcome: Outcome
    reason: LongText


class FormalChecklist(Input):
    """R-FORMAL (形式审查): the completeness checklist; a pass needs every item ticked."""

    application_form: bool
    passport_copy: bool
    contract_terms: bool
    peer_recommendation: bool
    intent_record: bool
    catalogue_entry: bool


class FormalReviewCreate(Input):
    outcome: Outcome
    reason: LongText
    checklist: FormalChecklist


class CandidateRead(Output):
    name: str
    nationality: str
    passport_number: str = Field(description="In full for the owning employer, its preliminary reviewer and "
                                             "bureau officers; masked otherwise")
    passport_masked: bool
    date_of_birth: date
    field: str
    achievements: str
    current_post: str


class ContractTermsRead(Output):
    """The contract terms the application proposes (review records the contract as signed)."""

    start: date
    end: date
    annual_salary: PositiveMoney


class ApplicationRead(Output):
    id: uuid.UUID
    state: State
    version: int
    employer_id: uuid.UUID
    expert_id: uuid.UUID | None = Field(
        description="The expert (one id per person, however many employers apply for them). Null to an employer "
                    "with no relation to the expert: the candidate's first application is another employer's "
                    "and no application of this employer was selected (R-APPLY)")
    catalogue_entry_id: uuid.UUID
    candidate: CandidateRead
    position: str
    contract: ContractTermsRead
    track: Track
    intent_date: date
    preliminary_reviewer: str | None
    submissions: int
    recommendations: list[RecommendationRead]
    possible_duplicate: bool | None = Field(
        default=None, description="For reviewers and officers: another live application has the same passport number")
    decision: dict[str, Any] | None = None
    revocation: RevocationRead | None = Field(
        default=None, description="R-SUPERVISE: the contract breaches announced for it; benefits revoked since when")
    entitlements: list[EntitlementRef] = Field(
        default=[], description="The entitlements subsidy opened on this application's approval (R-SUB-*): read "
                                "each at GET /subsidy/v1/entitlements/{entitlement_id}")
    created_at: UtcDateTime
    updated_at: UtcDateTime
    submitted_at: UtcDateTime | None = None


class ApplicationSummary(Output):
    id: uuid.UUID
    state: State
    employer_id: uuid.UUID
    candidate_name: str
    catalogue_entry_id: uuid.UUID
    track: Track
    preliminary_reviewer: str | None
    possible_duplicate: bool | None = Field(default=None, description="For reviewers and officers (R-APPLY)")
    created_at: UtcDateTime
    updated_at: UtcDateTime


class HistoryEntryRead(Output):
    at: UtcDateTime
    actor: str
    role: str
    organisation: str | None
    action: str
    from_state: State | None
    to_state: State
    reason: str | None
    detail: dict[str, Any] | None = None
