"""Events published by the subsidy service: entitlements, disbursements, revocation."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import ClassVar

from shared.events.base import Event
from shared.events.common import Track
from shared.money import Money, PositiveMoney


class EntitlementOpened(Event):
    event_type: ClassVar[str] = "EntitlementOpened"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "subsidy"

    entitlement_id: uuid.UUID
    application_id: uuid.UUID
    expert_id: uuid.UUID
    employer_id: uuid.UUID
    track: Track
    opened_at: datetime

    def subject(self) -> str:
        return f"entitlements/{self.entitlement_id}"


class DisbursementSettled(Event):
    """Municipal finance reported the disbursement paid."""

    event_type: ClassVar[str] = "DisbursementSettled"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "subsidy"

    disbursement_id: uuid.UUID
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    funding_year: int
    amount: PositiveMoney
    settled_at: datetime

    def subject(self) -> str:
        return f"disbursements/{self.disbursement_id}"


class DisbursementFailed(Event):
    event_type: ClassVar[str] = "DisbursementFailed"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "subsidy"

    disbursement_id: uuid.UUID
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    funding_year: int
    amount: PositiveMoney
    reason: str
    failed_at: datetime

    def subject(self) -> str:
        return f"disbursements/{self.disbursement_id}"


class BenefitsRevoked(Event):
    """R-SUPERVISE: subsidy stopped the expert's money after an expert-attributable breach."""

    event_type: ClassVar[str] = "BenefitsRevoked"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "subsidy"

    breach_id: uuid.UUID
    expert_id: uuid.UUID
    breach_date: date
    entitlements_revoked: int
    disbursements_cancelled: int
    recovery_amount: Money
    """Paid for periods after the breach date and now owed back."""
    revoked_at: datetime

    def subject(self) -> str:
        return f"experts/{self.expert_id}"


class BenefitsRestored(Event):
    """The breach was withdrawn on appeal: what subsidy restored, and what it could not."""

    event_type: ClassVar[str] = "BenefitsRestored"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "subsidy"

    breach_id: uuid.UUID
    expert_id: uuid.UUID
    entitlements_reopened: int
    recoveries_cancelled: int
    not_restored: list[str] = []
    restored_at: datetime

    def subject(self) -> str:
        return f"experts/{self.expert_id}"


class RecoveryRepaid(Event):
    """R-SUPERVISE: a bureau officer recorded money the expert paid back on a recovery (partly or in full)."""

    event_type: ClassVar[str] = "RecoveryRepaid"
    version: ClassVar[int] = 1
    producer: ClassVar[str] = "subsidy"

    repayment_id: uuid.UUID
    recovery_id: uuid.UUID
    breach_id: uuid.UUID
    entitlement_id: uuid.UUID
    expert_id: uuid.UUID
    funding_year: int
    amount: PositiveMoney
    """What this repayment brought back."""
    outstanding: Money
    """What is still owed on the recovery after it (0.00: repaid in full)."""
    received_on: date
    recorded_at: datetime

    def subject(self) -> str:
        return f"recoveries/{self.recovery_id}"
