"""The employer's application shows the supervision's consequences (R-SUPERVISE).

Intake keeps each breach review announces for one of its applications: ``ContractBreached``
and ``ContractBreachWithdrawn`` write the same row (keyed by the breach), whichever comes first
and however often, so the view converges. The application reads "benefits revoked since <date>"
while an expert-attributable breach stands; an employer-attributable one is shown but revokes
nothing; a withdrawn one is shown as withdrawn.
"""
