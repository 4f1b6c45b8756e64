"""Expiry reminders (R-PERMIT): PermitExpiring before an issued permit expires, once per threshold."""
