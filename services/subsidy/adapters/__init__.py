"""Outward calls of the subsidy service: municipal finance."""
