"""The money of Articles 11-13 as pure functions of a policy version's parameters (R-SUB-*), and the states
of an entitlement.

No rate, cap, threshold or grade factor is written here: every figure comes from the
``PolicyParameters`` of the version in force (the 2014 figures are seeded by the migration
``subsidy_0002``), so a later policy changes data, not code. Each item carries an explanation
naming its article and rule id, so an officer can trace any amount back to the text.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events.review import Track

ZERO = Decimal("0")


class EntitlementStatus(StrEnum):
    """Open from the approval; revoked by a breach attributable to the expert (R-SUPERVISE), until the breach's
    withdrawal on appeal reopens it."""

    open = "open"
    revoked = "revoked"


@dataclass(frozen=True)
class Amounts:
    """An entitlement's money as its reader sees it."""

    granted: Decimal = ZERO
    """Granted in the ledger, every funding year."""
    disbursed: Decimal = ZERO
    """Paid out by municipal finance (the ledger's disbursements)."""
    in_payment: Decimal = ZERO
    """Instructed to finance and not yet paid."""
    to_disburse: Decimal = ZERO
    """What a new disbursement may instruct (``to_disburse``)."""


def to_disburse(status: str, due: Decimal) -> Decimal:
    """What a new disbursement may instruct on an entitlement: what is still due, never less than nothing; and
    nothing once it is revoked (R-SUPERVISE: nothing more is paid, whatever was granted before the breach)."""
    return max(due, ZERO) if status == EntitlementStatus.open else ZERO


class _Parameters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rounding(_Parameters):
    """R-ROUNDING: exact decimal, rounded at each item."""

    places: int = Field(ge=0)
    mode: Literal["half_up"]

    def apply(self, amount: Decimal) -> Decimal:
        return amount.quantize(Decimal(1).scaleb(-self.places), rounding=decimal.ROUND_HALF_UP)


class FundingYear(_Parameters):
    """R-YEAR-CAP: the year every "per expert per year" cap is counted over."""

    kind: Literal["calendar"]
    starts_month: int = Field(ge=1, le=12)
    starts_day: int = Field(ge=1, le=31)

    def of(self, day: date) -> int:
        """The funding year ``day`` falls in, named by the calendar year it starts in."""
        return day.year if (day.month, day.day) >= (self.starts_month, self.starts_day) else day.year - 1


class HaijuParameters(_Parameters):
    """Art. 11: Haiju programme long-term project (R-SUB-SALARY, R-SUB-MEDICAL)."""

    salary_article: str
    salary_rate: Decimal = Field(ge=0)
    salary_yearly_cap: Decimal = Field(ge=0)
    medical_article: str
    medical_yearly_cap: Decimal = Field(ge=0)


class RecurringParameters(_Parameters):
    """Art. 12: key-industry engagement, three consecutive years (R-SUB-RECURRING)."""

    article: str
    rate: Decimal = Field(ge=0)
    yearly_cap: Decimal = Field(ge=0)
    min_days_in_beijing: int = Field(ge=0)
    max_consecutive_years: int = Field(ge=1)
    grade_factors: dict[str, Decimal]
    """Performance evaluation grade (绩效考评) → factor on the funding; "unqualified" → 0."""


ShortTermCode = Literal["travel", "living", "salary_subsidy", "medical_insurance_subsidy"]


class ShortTermParameters(_Parameters):
    """Art. 13: short-term consulting, service or exchange (R-SUB-SHORT)."""

    article: str
    salary_rate: Decimal = Field(ge=0)
    yearly_cap: Decimal = Field(ge=0)
    travel_cap: Decimal | None = Field(default=None, ge=0)
    """National standard for international travel per claim; None funds the documented actual cost."""
    living_cap_per_day: Decimal | None = Field(default=None, ge=0)
    """National standard for living costs per day in Beijing; None funds the documented actual cost."""
    reduction_order: tuple[ShortTermCode, ...]
    """Which items give way first when the yearly cap binds."""


class PolicyParameters(_Parameters):
    """Everything a policy version decides: rates, caps, thresholds, grades, order, funding year."""

    currency: Literal["CNY"]
    rounding: Rounding
    funding_year: FundingYear
    haiju_long_term: HaijuParameters
    key_industry_recurring: RecurringParameters
    short_term: ShortTermParameters


@dataclass(frozen=True)
class HaijuInputs:
    """Art. 11 facts of one expert-year."""

    salary_paid: Decimal
    medical_premium_paid: Decimal
    thousand_talents_salary_subsidy: bool
    salary_funded_by_municipal_finance: bool
    contract_fulfilled: bool
    cap_exception_amount: Decimal | None = None
    already_granted_this_year: Decimal = ZERO
    """Salary subsidy already granted in the funding year (the quote's ``already_granted_this_year``)."""
    already_granted_medical_this_year: Decimal = ZERO
    """Medical insurance subsidy already granted in the funding year: its cap is cumulative too (R-YEAR-CAP)."""


@dataclass(frozen=True)
class RecurringInputs:
    """Art. 12 facts of one work year."""

    remuneration: Decimal
    days_in_beijing: int
    performance: str
    consecutive_year: int
    already_granted_this_year: Decimal = ZERO
    sequence_ended_in_year: int | None = None
    """An earlier work year of this engagement that failed the days test: no later year is funded."""


@dataclass(frozen=True)
class ShortTermInputs:
    """Art. 13 facts of one engagement."""

    days_in_beijing: int
    international_travel_cost: Decimal
    living_cost: Decimal
    agreed_salary: Decimal
    medical_premium_paid: Decimal
    already_granted_this_year: Decimal = ZERO


Inputs = HaijuInputs | RecurringInputs | ShortTermInputs


@dataclass(frozen=True)
class Item:
    code: str
    article: str
    amount: Decimal
    explanation: str


@dataclass(frozen=True)
class Quote:
    policy_version: str
    track: Track
    items: tuple[Item, ...]

    @property
    def total(self) -> Decimal:
        return sum((item.amount for item in self.items), ZERO)


class UnknownGrade(ValueError):
    """The policy version has no factor for this performance grade."""


def quote(parameters: PolicyParameters, inputs: Inputs, *, policy_version: str) -> Quote:
    """What one expert-year comes to under ``parameters``, item by item, explained."""
    if isinstance(inputs, HaijuInputs):
        track, items = Track.haiju_long_term, haiju_items(parameters, inputs)
    elif isinstance(inputs, RecurringInputs):
        track, items = Track.key_industry_recurring, recurring_items(parameters, inputs)
    elif isinstance(inputs, ShortTermInputs):
        track, items = Track.short_term, short_term_items(parameters, inputs)
    else:  # pragma: no cover - the type says it cannot happen
        raise TypeError(f"no track for {type(inputs).__name__}")
    return Quote(policy_version=policy_version, track=track, items=tuple(items))


def haiju_items(parameters: PolicyParameters, inputs: HaijuInputs) -> list[Item]:
    """Art. 11(1) salary subsidy and Art. 11(2) medical insurance subsidy, each under its own cap."""
    p = parameters.haiju_long_term
    rnd = parameters.rounding.apply

    # Art. 11 opens with "并能严格履行合同的": both items need the contract strictly performed.
    # The exclusions of Art. 11(1) ("不重复享受此待遇") touch the salary subsidy only.
    salary_zero = []
    if not inputs.contract_fulfilled:
        salary_zero.append("the contract was not strictly performed (Art. 11)")
    if inputs.thousand_talents_salary_subsidy:
        salary_zero.append("the expert already receives the Thousand Foreign Experts Plan matching salary subsidy")
    if inputs.salary_funded_by_municipal_finance:
        salary_zero.append("the expert's pay is guaranteed by municipal finance")
    if salary_zero:
        salary = Item("salary_subsidy", p.salary_article, rnd(ZERO),
                      f"{p.salary_article} R-SUB-SALARY: {money(ZERO)}, {'; '.join(salary_zero)}")
    else:
        computed = rnd(p.salary_rate * inputs.salary_paid)
        if inputs.cap_exception_amount is not None:
            cap = inputs.cap_exception_amount
            cap_text = (f"the {money(cap)} cap approved as an exception in place of "
                        f"{money(p.salary_yearly_cap)} (R-CAP-EXCEPTION)")
        else:
            cap, cap_text = p.salary_yearly_cap, f"the {money(p.salary_yearly_cap)} cap"
        amount, capping = _within_cap(computed, cap, cap_text, inputs.already_granted_this_year, rnd)
        salary = Item("salary_subsidy", p.salary_article, amount,
                      f"{p.salary_article} R-SUB-SALARY: {percent(p.salary_rate)} of "
                      f"{money(inputs.salary_paid)} = {money(computed)}, {capping}")

    if not inputs.contract_fulfilled:
        medical = Item("medical_insurance_subsidy", p.medical_article, rnd(ZERO),
                       f"{p.medical_article} R-SUB-MEDICAL: {money(ZERO)}, "
                       "the contract was not strictly performed (Art. 11)")
    else:
        premium = rnd(inputs.medical_premium_paid)
        if inputs.already_granted_medical_this_year:
            amount, capping = _within_cap(premium, p.medical_yearly_cap, f"the {money(p.medical_yearly_cap)} cap",
                                          inputs.already_granted_medical_this_year, rnd)
            text = f"premium paid {money(premium)}, {capping}"
        else:
            amount = rnd(min(premium, p.medical_yearly_cap))
            text = f"min(premium paid {money(premium)}, the {money(p.medical_yearly_cap)} cap) = {money(amount)}"
        medical = Item("medical_insurance_subsidy", p.medical_article, amount,
                       f"{p.medical_article} R-SUB-MEDICAL: {text}")
    return [salary, medical]


def recurring_items(parameters: PolicyParameters, inputs: RecurringInputs) -> list[Item]:
    """Art. 12: a share of the remuneration after each work year, by performance, for a few years."""
    p = parameters.key_industry_recurring
    rnd = parameters.rounding.apply
    if inputs.performance not in p.grade_factors:
        raise UnknownGrade(f"this policy version has no factor for the grade {inputs.performance!r}")
    factor = p.grade_factors[inputs.performance]

    zero = []
    if inputs.consecutive_year > p.max_consecutive_years:
        zero.append(f"year {inputs.consecutive_year} is beyond the {p.max_consecutive_years} consecutive "
                    "years that may be funded")
    if inputs.sequence_ended_in_year is not None:
        zero.append(f"the sequence ended in year {inputs.sequence_ended_in_year}, which had fewer than "
                    f"{p.min_days_in_beijing} days in Beijing")
    if inputs.days_in_beijing < p.min_days_in_beijing:
        zero.append(f"{inputs.days_in_beijing} days in Beijing is under the {p.min_days_in_beijing}-day "
                    "minimum (1 month) of the work year, which ends the sequence")
    if factor == 0:
        zero.append(f"the performance evaluation '{inputs.performance}' gives no funding")
    if zero:
        return [Item("recurring_funding", p.article, rnd(ZERO),
                     f"{p.article} R-SUB-RECURRING: {money(ZERO)}, {'; '.join(zero)}")]

    computed = rnd(p.rate * inputs.remuneration * factor)
    graded = "" if factor == 1 else f" × {factor.normalize():f} for '{inputs.performance}'"
    amount, capping = _within_cap(computed, p.yearly_cap, f"the {money(p.yearly_cap)} yearly cap",
                                  inputs.already_granted_this_year, rnd)
    return [Item("recurring_funding", p.article, amount,
                 f"{p.article} R-SUB-RECURRING: {percent(p.rate)} of {money(inputs.remuneration)}{graded} "
                 f"= {money(computed)} (performance '{inputs.performance}', year {inputs.consecutive_year}, "
                 f"{inputs.days_in_beijing} days in Beijing), {capping}")]


def short_term_items(parameters: PolicyParameters, inputs: ShortTermInputs) -> list[Item]:
    """Art. 13: travel, living, salary and medical insurance, together under one yearly cap."""
    p = parameters.short_term
    rnd = parameters.rounding.apply
    art = p.article

    travel = rnd(inputs.international_travel_cost)
    if p.travel_cap is None:
        travel_text = f"international travel at documented actual cost {money(travel)}"
    elif travel > p.travel_cap:
        travel, travel_text = rnd(p.travel_cap), (f"international travel {money(inputs.international_travel_cost)}"
                                                  f", capped at the national standard {money(p.travel_cap)}")
    else:
        travel_text = f"international travel {money(travel)}, within the national standard {money(p.travel_cap)}"

    living = rnd(inputs.living_cost)
    if p.living_cap_per_day is None:
        living_text = f"living costs at documented actual cost {money(living)}"
    else:
        standard = rnd(p.living_cap_per_day * inputs.days_in_beijing)
        standard_text = (f"the national standard {money(p.living_cap_per_day)} a day × "
                         f"{inputs.days_in_beijing} days = {money(standard)}")
        if living > standard:
            living, living_text = standard, f"living costs {money(inputs.living_cost)}, capped at {standard_text}"
        else:
            living_text = f"living costs {money(living)}, within {standard_text}"

    salary = rnd(p.salary_rate * inputs.agreed_salary)
    salary_text = f"{percent(p.salary_rate)} of the agreed salary {money(inputs.agreed_salary)} = {money(salary)}"
    medical = rnd(inputs.medical_premium_paid)
    medical_text = f"medical insurance premium paid {money(medical)}"

    items = {
        "travel": Item("travel", art, travel, f"{art} R-SUB-SHORT: {travel_text}"),
        "living": Item("living", art, living, f"{art} R-SUB-SHORT: {living_text}"),
        "salary_subsidy": Item("salary_subsidy", art, salary, f"{art} R-SUB-SHORT: {salary_text}"),
        "medical_insurance_subsidy": Item("medical_insurance_subsidy", art, medical,
                                          f"{art} R-SUB-SHORT: {medical_text}"),
    }

    # R-YEAR-CAP: what was granted earlier in the funding year uses up the same yearly cap.
    already = inputs.already_granted_this_year
    remaining = max(ZERO, p.yearly_cap - already)
    cap_text = f"the {money(p.yearly_cap)} yearly cap"
    if already:
        cap_text += f" less {money(already)} already granted this year (R-YEAR-CAP), {money(remaining)} left"
    excess = sum((i.amount for i in items.values()), ZERO) - remaining
    order = ", ".join(p.reduction_order)
    for code in p.reduction_order:
        if excess <= 0:
            break
        item = items[code]
        cut = min(item.amount, excess)
        excess -= cut
        if cut:
            items[code] = replace(item, amount=rnd(item.amount - cut), explanation=(
                f"{item.explanation}; reduced by {money(cut)} to {money(item.amount - cut)} to keep the total "
                f"within {cap_text} (reduction order: {order})"))
    for code, item in items.items():
        if item.amount == 0 and "reduced by" not in item.explanation:
            items[code] = replace(item, explanation=f"{item.explanation}: nothing to fund")
    return [items[code] for code in ("travel", "living", "salary_subsidy", "medical_insurance_subsidy")]


def _within_cap(computed: Decimal, cap: Decimal, cap_text: str, already: Decimal, rnd) -> tuple[Decimal, str]:
    """The computed amount under ``cap`` less what was already granted this year (R-YEAR-CAP)."""
    remaining = max(ZERO, cap - already)
    if already:
        cap_text = f"{cap_text} less {money(already)} already granted this year (R-YEAR-CAP), {money(remaining)} left"
    if computed < remaining:
        return rnd(computed), f"under {cap_text}"
    if computed == remaining:
        return rnd(computed), f"exactly at {cap_text}"
    if remaining == 0:
        return rnd(ZERO), f"{money(ZERO)}: nothing left under {cap_text}"
    return rnd(remaining), f"capped at {money(remaining)} by {cap_text}"


def money(amount: Decimal) -> str:
    """``1,234,567.50``: how an explanation writes an amount (never rounded: more places are shown)."""
    if amount.as_tuple().exponent >= -2:
        amount = amount.quantize(Decimal("0.01"))
    return f"{amount:,f}"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"
