"""subsidy: Subsidies of Articles 11-13, paid through municipal finance (R-SUB-*)."""
