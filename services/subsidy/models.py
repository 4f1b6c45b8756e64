"""Every table of the subsidy service, on its one metadata (Alembic's env.py targets it): the plumbing (outbox,
inbox, audit log, idempotency keys), the tables several sub-domains share (``tables.py``), and each
sub-domain's own."""

from services.subsidy.annual_run.models import annual_runs
from services.subsidy.claims.models import claims
from services.subsidy.entitlements.models import policy_versions
from services.subsidy.evaluations.models import performance_evaluations, reported_evaluations
from services.subsidy.reconciliation.models import reconciliations
from services.subsidy.revocation.models import breaches, recoveries, recovery_repayments
from services.subsidy.disbursements.models import disbursements
from services.subsidy.entitlements.models import entitlements
from services.subsidy.ledger.models import ledger_entries
from services.subsidy.metadata import metadata
from shared.tables import plumbing_tables

plumbing = plumbing_tables(metadata)

__all__ = [
    "annual_runs",
    "breaches",
    "claims",
    "disbursements",
    "entitlements",
    "ledger_entries",
    "metadata",
    "performance_evaluations",
    "plumbing",
    "policy_versions",
    "reconciliations",
    "recoveries",
    "recovery_repayments",
    "reported_evaluations",
]
