"""Outward calls of the review service, one module each."""
