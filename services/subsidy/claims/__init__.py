"""Annual claims: assessed at once under the policy in force, their items granted in the ledger."""
