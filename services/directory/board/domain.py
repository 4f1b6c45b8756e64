"""Rules of the job board that need no I/O (R-PLATFORM (2)): a posting's states and who may act on it."""

from __future__ import annotations

from enum import StrEnum

from shared.auth import Principal, Role
from shared.errors import Forbidden


class PostingStatus(StrEnum):
    # (No docstring: it would become the enum's description in the OpenAPI document.)
    open = "open"  # from its posting, until its employer or an officer closes it
    closed = "closed"


def require_posting_owner(principal: Principal, posting) -> None:
    """The posting's employer or a bureau officer; Forbidden for anyone else."""
    if principal.is_officer or principal.acts_for(Role.employer, posting.employer_id):
        return
    raise Forbidden("only the posting's employer or a bureau officer may do this")
