"""The reconciliation of a day's disbursements with municipal finance's statement, and of its repayments
with the ledger."""
