"""Revocation (R-SUPERVISE, Art. 16): the breaches review announces, and the case they revoke or reinstate."""
