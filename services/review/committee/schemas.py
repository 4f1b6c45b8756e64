"""Request and response models of the selection committee."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from services.review.committee.domain import CaseState, SeatType
from shared.events.common import Track
from shared.money import Money, PositiveMoney
from shared.schemas import Input, UtcDateTime

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Score = Annotated[int, Field(ge=0, le=10, strict=True)]


class MemberCreate(Input):
    subject: Annotated[str, Field(min_length=1, max_length=200,
                                  description="The member's identity: the subject of its tokens")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    seat_type: SeatType


class MemberRead(BaseModel):
    id: uuid.UUID
    subject: str
    name: str
    seat_type: SeatType
    created_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "MemberRead":
        return cls(**row._mapping)


class CommitteeCaseRead(BaseModel):
    """A case on its way to the committee, from FormalReviewPassed."""

    application_id: uuid.UUID
    state: CaseState
    sitting_id: uuid.UUID | None
    employer_id: uuid.UUID
    expert_id: uuid.UUID
    track: Track
    dossier: dict[str, Any]
    received_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "CommitteeCaseRead":
        return cls(**{k: v for k, v in row._mapping.items() if k != "source_event_id"})


class SittingCreate(Input):
    held_on: date
    member_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=100)]
    application_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=100)]


class Attendance(Input):
    present_member_ids: Annotated[list[uuid.UUID], Field(max_length=100)]


class SittingMemberRead(BaseModel):
    member_id: uuid.UUID
    name: str
    seat_type: SeatType
    present: bool


class SittingRead(BaseModel):
    id: uuid.UUID
    held_on: date
    members: list[SittingMemberRead]
    agenda: list[uuid.UUID]
    attendance_recorded: bool
    missing_seat_types: list[str] = Field(description="Seat types not present (R-COMMITTEE); empty when complete")
    created_at: UtcDateTime

    @classmethod
    def of(cls, view: Any) -> "SittingRead":
        """From a sitting's view (``queries.SittingView``): the sitting, its members, its agenda."""
        s = view.sitting
        return cls(
            id=s.id, held_on=s.held_on, agenda=view.agenda, attendance_recorded=s.attendance_recorded_at is not None,
            members=[SittingMemberRead(member_id=m.member_id, name=m.name, seat_type=m.seat_type, present=m.present)
                     for m in view.members],
            missing_seat_types=view.missing_seat_types, created_at=s.created_at)


class SittingSummaryRead(BaseModel):
    """A sitting in a list: when, how many members and cases, whether its attendance is recorded."""

    id: uuid.UUID
    held_on: date
    member_count: int
    agenda_size: int
    attendance_recorded: bool
    created_at: UtcDateTime

    @classmethod
    def of(cls, row: Any) -> "SittingSummaryRead":
        m = row._mapping
        return cls(id=m["id"], held_on=m["held_on"], member_count=m["member_count"], agenda_size=m["agenda_size"],
                   attendance_recorded=m["attendance_recorded_at"] is not None, created_at=m["created_at"])


class ConflictDeclaration(Input):
    reason: Text


class ScoreSheet(Input):
    """R-ELIG (Art. 4) criteria, 0-10 each."""

    achievements: Score
    renown: Score
    recognition: Score
    need: Score


class Vote(Input):
    approve: bool


class CapExceptionInput(Input):
    """R-CAP-EXCEPTION: the committee's cap in place of 200,000, with its reason."""

    amount: PositiveMoney
    reason: Text


class DecisionRequest(Input):
    cap_exception: CapExceptionInput | None = None


class ActRead(BaseModel):
    """What a member recorded on a case: a declaration, a score sheet or a vote."""

    sitting_id: uuid.UUID
    application_id: uuid.UUID
    member_id: uuid.UUID
    kind: Literal["conflict", "score", "vote"]
    recorded_at: UtcDateTime


class ConflictRead(BaseModel):
    """A declared conflict of interest: the member recused from the case, and why (R-COMMITTEE)."""

    member_id: uuid.UUID
    reason: str
    declared_at: UtcDateTime


class CaseSheetRead(BaseModel):
    """A case at a sitting: who declared conflicts, who scored, who voted."""

    sitting_id: uuid.UUID
    application_id: uuid.UUID
    state: CaseState
    recused_member_ids: list[uuid.UUID]
    scored_member_ids: list[uuid.UUID]
    voted_member_ids: list[uuid.UUID]
    conflicts: list[ConflictRead] = Field(
        description="The declarations behind the recusals: every one for an officer, a member's own for a member")


class FundingPlanItemRead(BaseModel):
    code: str
    article: str
    estimated_yearly_amount: Money | None = None


class FundingPlanRead(BaseModel):
    items: list[FundingPlanItemRead] = []
    to_be_quoted: bool = False
    quoted_at: UtcDateTime | None = Field(default=None, description="When an officer had a plan recorded "
                                          "`to_be_quoted` quoted after the decision; absent when quoted with it")
    quoted_by: str | None = None


class CapExceptionRead(BaseModel):
    amount: PositiveMoney
    reason: str
    approved_by: str


class DecisionRead(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    sitting_id: uuid.UUID
    outcome: Literal["approved", "declined"]
    votes_for: int
    votes_against: int
    recused: int
    average_scores: dict[str, str]
    reasons: list[str]
    funding_plan: FundingPlanRead | None
    cap_exception: CapExceptionRead | None
    wage_bill_note: str | None = Field(description="R-WAGE-TOTAL, where the employer is a municipal state-owned unit")
    decided_at: UtcDateTime
    decided_by: str

    @classmethod
    def of(cls, row: Any) -> "DecisionRead":
        return cls(**row._mapping)
