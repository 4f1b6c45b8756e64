"""review: Selection committee and supervision (R-COMMITTEE, R-SUPERVISE)."""
