"""Ledger arithmetic: balances per funding year and track, corrections as new rows, R-YEAR-CAP sums."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from services.subsidy.ledger.domain import (
    LedgerEntry, balances, correction_delta, effective_amount, granted_this_year,
)

pytestmark = pytest.mark.unit

ENTRIES = [
    LedgerEntry(1, 2024, "haiju_long_term", "grant", D("120000.00"), item_code="salary_subsidy"),
    LedgerEntry(2, 2024, "haiju_long_term", "grant", D("12000.00"), item_code="medical_insurance_subsidy"),
    LedgerEntry(3, 2024, "haiju_long_term", "disbursement", D("100000.00")),
    LedgerEntry(4, 2024, "haiju_long_term", "grant", D("-20000.00"), item_code="salary_subsidy", corrects=1),
    LedgerEntry(5, 2025, "haiju_long_term", "grant", D("50000.00"), item_code="salary_subsidy"),
    LedgerEntry(6, 2024, "haiju_long_term", "recovery", D("5000.00")),
]


def test_balances_per_funding_year_and_track_include_corrections():
    [y2024, y2025] = balances(ENTRIES)

    assert (y2024.funding_year, y2024.granted, y2024.disbursed, y2024.recovered) == (
        2024, D("112000.00"), D("100000.00"), D("5000.00"))
    assert y2024.to_disburse == D("12000.00")
    assert (y2025.funding_year, y2025.granted, y2025.to_disburse) == (2025, D("50000.00"), D("50000.00"))


def test_R_YEAR_CAP_granted_this_year_counts_one_item_or_the_whole_track_after_corrections():
    assert granted_this_year(ENTRIES, funding_year=2024, track="haiju_long_term",
                             item_code="salary_subsidy") == D("100000.00")
    assert granted_this_year(ENTRIES, funding_year=2024, track="haiju_long_term") == D("112000.00")
    assert granted_this_year(ENTRIES, funding_year=2024, track="short_term") == D("0")


def test_a_correction_appends_the_difference_to_reach_the_corrected_amount():
    assert effective_amount(ENTRIES, 1) == D("100000.00")
    assert correction_delta(ENTRIES, 1, D("90000.00")) == D("-10000.00")
    assert correction_delta(ENTRIES, 1, D("130000.00")) == D("30000.00")
    assert correction_delta(ENTRIES, 2, D("12000.00")) == D("0")
