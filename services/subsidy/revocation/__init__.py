"""Revocation (R-SUPERVISE): the breach replica, revoked entitlements, recoveries and their repayments."""
