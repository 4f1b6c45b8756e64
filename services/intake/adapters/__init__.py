"""Outward calls of the intake service, one module each."""
