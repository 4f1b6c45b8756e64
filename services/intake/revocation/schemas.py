"""What an application shows of the breaches of its contract (R-SUPERVISE)."""

from __future__ import annotations

import uuid
from datetime import date

from shared.events.common import BreachAttribution
from shared.schemas import Output, UtcDateTime


class BreachNoticeRead(Output):
    """A breach of the application's contract as intake was told of it (R-SUPERVISE); review owns the breach."""

    breach_id: uuid.UUID
    breach_date: date | None = None
    attributable_to: BreachAttribution | None = None
    withdrawn: bool
    withdrawn_at: UtcDateTime | None = None


class RevocationRead(Output):
    benefits_revoked: bool
    since: date | None = None
    """The earliest breach date of the expert-attributable breaches that stand."""
    breaches: list[BreachNoticeRead]
