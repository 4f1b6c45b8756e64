"""The ledger: append-only money rows, corrections as new rows, an expert's balances per year and track."""
