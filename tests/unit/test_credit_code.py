"""Unified social credit codes (统一社会信用代码, GB 32100-2015): the employer's identity in the registry."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.directory.employers.domain import CREDIT_CODE_CHARSET, credit_code_check_character, credit_code_problem
from services.directory.employers.schemas import EmployerCreate

pytestmark = pytest.mark.unit

# Codes published by their holders; each was checked against the standard's algorithm independently.
PUBLISHED = [
    "91350100M000100Y43",  # the worked example of GB 32100-2015
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "9144030071526726XG",  # Shenzhen Tencent Computer Systems Co., Ltd.
]
FORBIDDEN_LETTERS = "IOZSV"


def reference_check_character(first17: str) -> str:
    """GB 32100-2015 computed from its definition: weight of position i is 3**i mod 31."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return alphabet[-total % 31]


COMPUTED = [
    body + reference_check_character(body)
    for body in ("91110108MA01A2B3C", "12100000400000624", "91110000000000000", "931101050000000YY")
]


def test_charset_excludes_the_five_letters_the_standard_forbids():
    assert len(CREDIT_CODE_CHARSET) == 31
    assert not set(FORBIDDEN_LETTERS) & set(CREDIT_CODE_CHARSET)


@pytest.mark.parametrize("code", PUBLISHED + COMPUTED)
def test_valid_code_has_no_problem(code):
    assert credit_code_problem(code) is None
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", PUBLISHED + COMPUTED)
def test_check_character_agrees_with_the_standards_definition(code):
    assert credit_code_check_character(code[:17]) == reference_check_character(code[:17])


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y4", "91350100M000100Y433", "91350100M000100Y43 "])
def test_code_of_wrong_length_is_refused(code):
    assert "18 characters" in credit_code_problem(code)


@pytest.mark.parametrize("letter", FORBIDDEN_LETTERS)
def test_code_with_forbidden_letter_is_refused(letter):
    code = PUBLISHED[0][:8] + letter + PUBLISHED[0][9:]

    assert repr(letter) in credit_code_problem(code)


def test_lowercase_code_is_refused_by_the_domain_rule():
    assert credit_code_problem(PUBLISHED[0].lower()) is not None


@pytest.mark.parametrize("code", PUBLISHED)
def test_code_with_wrong_check_character_is_refused(code):
    for wrong in CREDIT_CODE_CHARSET.replace(code[17], ""):
        assert "check character" in credit_code_problem(code[:17] + wrong), wrong


@pytest.mark.parametrize("position", range(17))
def test_any_single_mistyped_character_is_caught(position):
    code = PUBLISHED[1]
    for other in CREDIT_CODE_CHARSET.replace(code[position], ""):
        mistyped = code[:position] + other + code[position + 1 :]
        assert credit_code_problem(mistyped) is not None, mistyped


def employer(**overrides) -> dict:
    return {
        "name": "Haidian Photonics",
        "credit_code": PUBLISHED[0],
        "district": "haidian",
        "municipal_state_owned": False,
        **overrides,
    }


def test_employer_with_valid_code_is_accepted_and_code_upper_cased():
    created = EmployerCreate(**employer(credit_code=f"  {PUBLISHED[0].lower()} "))

    assert created.credit_code == PUBLISHED[0]


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100I000100Y43"])
def test_employer_with_bad_code_is_refused_at_credit_code(code):
    with pytest.raises(ValidationError) as refused:
        EmployerCreate(**employer(credit_code=code))

    assert [e["loc"] for e in refused.value.errors()] == [("credit_code",)]
