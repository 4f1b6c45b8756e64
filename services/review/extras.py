"""What the review service adds to its runtime: its outward adapters (it runs no background worker)."""

from __future__ import annotations

from dataclasses import dataclass

from services.review.adapters.subsidy_quotes import SubsidyQuotes
from shared.runtime import Extras, ServiceRuntime


@dataclass
class ReviewExtras(Extras):
    subsidy_quotes: SubsidyQuotes
    """The funding-plan quote (R-COMMITTEE); the embedded platform and the in-process tests swap its transport."""

    @classmethod
    def of(cls, runtime: ServiceRuntime) -> "ReviewExtras":
        """Built with the runtime (no I/O)."""
        return cls(subsidy_quotes=SubsidyQuotes(runtime.settings))


ReviewRuntime = ServiceRuntime[ReviewExtras]
"""The review service's runtime, for annotations: ``runtime.extras`` is a ``ReviewExtras``."""
