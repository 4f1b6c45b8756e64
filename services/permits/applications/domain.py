"""Rules of permit applications that need no I/O: R-PERMIT (Art. 10(3)) validity, contracts, dependants,
and the officer's steps at the issuing authority (the calendar is the service's: ``services.permits.domain``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from services.permits.domain import ApplicationStatus, add_years
from shared.errors import Unprocessable

RULE = "R-PERMIT"


class Relation(StrEnum):
    """Who may get a dependant's residence permit with the expert (Art. 10(3): 外籍配偶及未满18岁子女)."""

    spouse = "spouse"
    child = "child"


class Holder(StrEnum):
    """Whose permit an application is for: the expert's own, or a dependant's (named by the relation)."""

    expert = "expert"
    spouse = Relation.spouse.value
    child = Relation.child.value


class EntryVisa(StrEnum):
    """The ordinary visa categories of the PRC Exit-Entry Administration Law (2013).

    R-PERMIT: an expert in this channel may apply directly whatever visa he or she entered
    on; a Z (work) visa is not required, so no value here is ever refused.
    """

    c = "C"
    d = "D"
    f = "F"
    g = "G"
    j1 = "J1"
    j2 = "J2"
    l = "L"  # noqa: E741 - the visa's own letter
    m = "M"
    q1 = "Q1"
    q2 = "Q2"
    r = "R"
    s1 = "S1"
    s2 = "S2"
    x1 = "X1"
    x2 = "X2"
    z = "Z"


@dataclass(frozen=True)
class PermitPolicy:
    """The R-PERMIT parameters of a policy version (the Interpretation lines of RULES.md)."""

    min_validity_years: int = 2
    max_validity_years: int = 5
    min_contract_years: int = 2
    """A contract shorter than this does not qualify for the green channel."""
    child_age_limit_years: int = 18
    """A child must be under this age on the application date."""
    dependant_relations: frozenset[str] = field(
        default_factory=lambda: frozenset({Relation.spouse.value, Relation.child.value})
    )


POLICY_2014 = PermitPolicy()
"""R-PERMIT as in force from 2014-03-01 (R-EFFECTIVE)."""


@dataclass(frozen=True)
class PermitTerm:
    """A permit's validity: from ``valid_from`` to the expiry date ``valid_until``."""

    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class DependantTerm(PermitTerm):
    relation: Relation
    turns_adult_on: date | None = None
    """For a child: the day he or she turns 18."""
    turns_adult_within_validity: bool = False
    """R-PERMIT flag: the child turns 18 before the permit expires (on or before ``valid_until``)."""


def _refuse(detail: str, field_name: str, **extensions) -> Unprocessable:
    return Unprocessable(f"{RULE} (Art. 10(3)): {detail}", field=field_name, rule=RULE, **extensions)


def check_contract_qualifies(contract_start: date, contract_end: date, policy: PermitPolicy = POLICY_2014) -> None:
    """R-PERMIT: a contract shorter than ``min_contract_years`` does not qualify for this channel."""
    if contract_end <= contract_start:
        raise _refuse("the contract ends before it starts", "contract_end")
    shortest_end = add_years(contract_start, policy.min_contract_years)
    if contract_end < shortest_end:
        raise _refuse(
            f"a contract shorter than {policy.min_contract_years} years does not qualify for the green-channel "
            f"permit (contract {contract_start} to {contract_end}; it would have to run to {shortest_end})",
            "contract_end",
        )


def check_validity(valid_from: date, valid_until: date, policy: PermitPolicy = POLICY_2014) -> None:
    """R-PERMIT: the validity is chosen within [min, max] calendar years."""
    shortest = add_years(valid_from, policy.min_validity_years)
    longest = add_years(valid_from, policy.max_validity_years)
    if valid_until < shortest:
        raise _refuse(
            f"validity shorter than {policy.min_validity_years} years: from {valid_from} it must run "
            f"at least to {shortest}", "valid_until",
        )
    if valid_until > longest:
        raise _refuse(
            f"validity longer than {policy.max_validity_years} years: from {valid_from} it may run "
            f"at most to {longest}", "valid_until",
        )


def principal_term(
    *,
    contract_start: date,
    contract_end: date,
    valid_from: date,
    valid_until: date,
    entry_visa: EntryVisa | str,
    policy: PermitPolicy = POLICY_2014,
) -> PermitTerm:
    """The expert's work permit or work-type residence permit term, or an R-PERMIT refusal.

    ``entry_visa`` is recorded, never refused: any visa type may apply directly (non-Z included).
    """
    if entry_visa not in EntryVisa.__members__.values():
        # A malformed request (the schema catches it first), not a refusal under R-PERMIT.
        raise Unprocessable(f"unknown visa category {entry_visa!r}", field="entry_visa")
    check_contract_qualifies(contract_start, contract_end, policy)
    check_validity(valid_from, valid_until, policy)
    if valid_until > contract_end:
        raise _refuse(f"the permit may not outlast the contract (ends {contract_end})", "valid_until")
    return PermitTerm(valid_from=valid_from, valid_until=valid_until)


def dependant_term(
    *,
    relation: Relation | str,
    application_date: date,
    valid_from: date,
    valid_until: date,
    principal_valid_until: date,
    date_of_birth: date | None = None,
    policy: PermitPolicy = POLICY_2014,
) -> DependantTerm:
    """A spouse's or child's residence permit term, or an R-PERMIT refusal.

    Art. 10(3) gives dependants the same 2-to-5-year validity, and the Interpretation bounds it
    by the principal's permit: a dependant applying when the principal's permit has less than
    the minimum left cannot use this channel, and is told so.
    """
    if relation not in policy.dependant_relations:
        raise _refuse(
            f"only the spouse and children may get a dependant's permit, not {relation!r}", "relation"
        )
    relation = Relation(relation)
    turns_adult_on = None
    if relation is Relation.child:
        if date_of_birth is None:
            raise _refuse("a child's date of birth is required", "date_of_birth")
        turns_adult_on = add_years(date_of_birth, policy.child_age_limit_years)
        if application_date >= turns_adult_on:
            raise _refuse(
                f"a child must be under {policy.child_age_limit_years} on the application date "
                f"({application_date}); this child turned {policy.child_age_limit_years} on {turns_adult_on}",
                "date_of_birth",
            )
    if valid_until > principal_valid_until:
        raise _refuse(
            f"a dependant's permit may not outlast the principal's (expires {principal_valid_until})",
            "valid_until",
        )
    check_validity(valid_from, valid_until, policy)
    return DependantTerm(
        valid_from=valid_from,
        valid_until=valid_until,
        relation=relation,
        turns_adult_on=turns_adult_on,
        turns_adult_within_validity=turns_adult_on is not None and turns_adult_on <= valid_until,
    )


class PermitKind(StrEnum):
    work_permit = "work_permit"
    """工作许可: the expert's work permit."""
    work_residence_permit = "work_residence_permit"
    """工作类居留证件: the expert's work-type residence permit."""
    dependant_residence_permit = "dependant_residence_permit"
    """The foreign spouse's or a child's residence permit (Art. 10(3))."""


PRINCIPAL_KINDS = frozenset({PermitKind.work_permit, PermitKind.work_residence_permit})


TRANSITIONS: dict[str, frozenset[ApplicationStatus]] = {
    "submit": frozenset({ApplicationStatus.filed}),
    "issue": frozenset({ApplicationStatus.submitted}),
    "refuse": frozenset({ApplicationStatus.submitted}),
}
"""From which states the officer may take each step."""


def application_date_of(given: date | None, *, today: date) -> date:
    """The day an application is made: ``today`` (Beijing) unless given, and never in the future."""
    if given is None:
        return today
    if given > today:
        raise Unprocessable("the application date may not be in the future", field="application_date")
    return given


def policy_in_force() -> PermitPolicy:
    """The R-PERMIT parameters applications are judged by (R-EFFECTIVE: the 2014 version, the only one so far)."""
    return POLICY_2014
