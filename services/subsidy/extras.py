"""What the subsidy service adds to its runtime: the municipal finance client, the disbursement sender and
the annual runner (``runtime.extras``), built with the runtime (no I/O) and started and closed by it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.subsidy.adapters.finance import FinanceClient
from services.subsidy.workers.annual_runner import AnnualRunner
from services.subsidy.workers.disbursement_sender import DisbursementSender
from shared.runtime import Extras, ServiceRuntime
from shared.workers import Worker


@dataclass
class SubsidyExtras(Extras):
    finance: FinanceClient
    """Connected on first use; closed with the service."""
    sender: DisbursementSender
    annual_runner: AnnualRunner

    @classmethod
    def build(cls, runtime: ServiceRuntime) -> "SubsidyExtras":
        settings = runtime.settings
        finance = FinanceClient(
            settings.finance_base_url, timeout=settings.finance_timeout_seconds, attempts=settings.finance_attempts,
            backoff=settings.finance_backoff_seconds)
        return cls(finance=finance, sender=DisbursementSender(runtime, finance), annual_runner=AnnualRunner(runtime))

    def workers(self) -> Sequence[Worker]:
        return (self.sender, self.annual_runner)

    async def close(self) -> None:
        await self.finance.close()


SubsidyRuntime = ServiceRuntime[SubsidyExtras]
"""The subsidy service's runtime, for annotations above the sub-domains (they annotate ``ServiceRuntime``:
importing this module would bring the workers, which import them)."""
