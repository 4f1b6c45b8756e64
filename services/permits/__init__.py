"""permits: Green-channel permits and partner-agency webhooks (R-GREEN, R-PERMIT, R-SCHOOL)."""
