"""The entitlements subsidy opened for an application (R-SUB-*), as the decision the employer reads names them.

Intake keeps each ``EntitlementOpened`` subsidy announces for one of its applications, keyed by the
entitlement, so a duplicate delivery or an event that arrives before the approval it follows changes
nothing but the one row. The employer goes from its decision to the entitlement it claims on
(``GET /subsidy/v1/entitlements/{id}``).
"""
