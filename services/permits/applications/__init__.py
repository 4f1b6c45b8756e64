"""Permit applications (R-PERMIT, Art. 10(3)): the expert's work permit and residence permit, and the dependants'."""
