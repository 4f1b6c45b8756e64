"""What a caller may read of the subsidy records, for every sub-domain's reads.

Officers (and admins) read everything. An employer reads what concerns its own entitlements; an expert
what concerns them (their token's subject is their expert id). Anything else of theirs is "not found"
(404), never "forbidden", so that an id cannot be probed; lists simply leave it out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from services.subsidy.entitlements.models import entitlements
from shared.auth import Principal, Role
from shared.errors import Forbidden

PARTIES = ("Bureau officers read every record; an employer the records of its own entitlements; an expert "
           "their own (the token's subject is the expert id). Anyone else's is not found (404) and left out "
           "of lists.")
"""The rule above, as the API's descriptions say it."""


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Scope:
    """What a caller may read: everything, or the entitlements of some employers and experts."""

    everything: bool = False
    employer_id: uuid.UUID | None = None
    expert_id: uuid.UUID | None = None

    def entitlements(self) -> sa.ColumnElement[bool]:
        """The condition on ``entitlements`` rows this caller may read."""
        if self.everything:
            return sa.true()
        parties = []
        if self.employer_id is not None:
            parties.append(entitlements.c.employer_id == self.employer_id)
        if self.expert_id is not None:
            parties.append(entitlements.c.expert_id == self.expert_id)
        return sa.or_(*parties) if parties else sa.false()

    def entitlement_ids(self):
        """A subquery of the entitlement ids this caller may read (for rows that hang off an entitlement)."""
        return sa.select(entitlements.c.id).where(self.entitlements())

    def limits(self, column) -> sa.ColumnElement[bool]:
        return sa.true() if self.everything else column.in_(self.entitlement_ids())


EVERYTHING = Scope(everything=True)
"""The scope of an officer, and of a handler reading back what it just wrote."""


def scope_of(principal: Principal) -> Scope:
    """Officers everything; an employer its organisation's entitlements; an expert their own; others nothing."""
    if principal.is_officer:
        return EVERYTHING
    if not principal.has_any(Role.employer, Role.expert):
        raise Forbidden("subsidy records are read by bureau officers, the entitlement's employer and the expert")
    # A malformed organisation or subject identifies nobody: it reads nothing (and is found nowhere).
    return Scope(employer_id=_uuid(principal.organisation) if principal.has_any(Role.employer) else None,
                 expert_id=_uuid(principal.subject) if principal.has_any(Role.expert) else None)
