"""Rules of school placement that need no I/O (R-SCHOOL, Art. 10(4)): school types, a request's path,
and who may be placed."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from services.permits.domain import add_years
from shared.errors import Unprocessable

RULE = "R-SCHOOL"


class SchoolType(StrEnum):
    qualified_public = "qualified_public"
    """A public school qualified to admit foreign children."""
    private = "private"
    international = "international"


class PlacementStatus(StrEnum):
    """requested → coordinating (the bureau contacts schools) → placed; or withdrawn."""

    requested = "requested"
    coordinating = "coordinating"
    placed = "placed"
    withdrawn = "withdrawn"


PLACEMENT_TRANSITIONS: dict[str, frozenset[PlacementStatus]] = {
    "coordinate": frozenset({PlacementStatus.requested}),
    "place": frozenset({PlacementStatus.requested, PlacementStatus.coordinating}),
    "withdraw": frozenset({PlacementStatus.requested, PlacementStatus.coordinating}),
}
"""From which states each step may be taken."""

PLACEMENT_TARGETS: dict[str, PlacementStatus] = {
    "coordinate": PlacementStatus.coordinating,
    "place": PlacementStatus.placed,
    "withdraw": PlacementStatus.withdrawn,
}
"""Where each step takes a placement request."""


def check_child(date_of_birth: date, *, today: date, age_limit_years: int) -> None:
    """R-SCHOOL: a placement is for one of the expert's children, born by today and under the age limit."""
    if date_of_birth > today:
        raise Unprocessable("the date of birth may not be in the future", field="date_of_birth")
    if today >= add_years(date_of_birth, age_limit_years):
        raise Unprocessable(f"R-SCHOOL (Art. 10(4)): placement is for the expert's children under {age_limit_years}",
                            field="date_of_birth", rule=RULE)
