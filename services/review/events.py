"""EVENT_HANDLERS: the one routing table of the review service (the events it consumes, and who handles each)."""

from __future__ import annotations

from services.review.committee import handlers as committee
from shared.events.intake import FormalReviewPassed
from shared.inbox import EventHandler

EVENT_HANDLERS: dict[type, EventHandler] = {FormalReviewPassed: committee.on_formal_review_passed}
