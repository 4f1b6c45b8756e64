"""Disbursements to municipal finance: instructions within what is due, and what finance says of each
payment (its answer, a callback, a poll)."""
