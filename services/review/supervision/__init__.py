"""Supervision after selection (R-SUPERVISE, Art. 16): signed contracts, performance evaluations, breaches."""
