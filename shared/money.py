"""Money (CNY): the one type every service, event and table uses for an amount — exact, two places (R-ROUNDING).

On the way in an amount is a decimal string ("850000.50") or a JSON integer (850000); never a JSON number
with a fraction or an exponent (850000.5, 1e6), which a binary float carries inexactly, and never an
exponent string ("1e6"). It has at most 2 decimal places (more are refused, not rounded: rounding is the
computation's business, R-ROUNDING) and lies in one range, the one NUMERIC(14, 2) stores: 0 to
999,999,999,999.99. On the way out (JSON, events) it is a string with exactly 2 places. In the database it
is NUMERIC(14, 2), and text on SQLite, whose NUMERIC affinity would hand the value back through a float.

- ``Money``: a non-negative amount; ``PositiveMoney``: more than 0 (a salary, a payment, a cap);
  ``SignedMoney``: a ledger figure, where a correction or an overpaid balance is negative.
- ``MoneyColumn``: the SQLAlchemy column type; ``MONEY_DDL``: the type a migration creates for it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

CENT = Decimal("0.01")
PLACES = 2
INTEGER_DIGITS = 12
"""NUMERIC(14, 2): 14 digits, 2 of them after the point."""
MAX_AMOUNT = Decimal("999999999999.99")
MAX_INTEGER = 999_999_999_999

MONEY_RULES = (
    "An amount in CNY: a decimal string with at most 2 decimal places (\"850000.00\", \"0.5\") or a JSON "
    "integer, from 0 to 999999999999.99. JSON numbers with a fraction or an exponent (850000.5, 1e6) are "
    "refused, since a binary float cannot carry an exact amount; so are exponent strings (\"1e6\"), leading "
    "zeros, more than 2 decimal places and more than 12 integer digits. Every amount in a response is a "
    "decimal string with exactly 2 places."
)

_WRITTEN = re.compile(r"-?(?:0|[1-9][0-9]{0,%d})(?:\.[0-9]{1,%d})?" % (INTEGER_DIGITS - 1, PLACES), re.ASCII)
_UNSIGNED_PATTERN = r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$"
_POSITIVE_PATTERN = r"^(0\.([1-9][0-9]?|0[1-9])|[1-9][0-9]{0,11}(\.[0-9]{1,2})?)$"
_SIGNED_PATTERN = r"^-?(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$"


def _type_error() -> PydanticCustomError:
    return PydanticCustomError(
        "amount_type",
        "an amount is a decimal string such as \"850000.00\" or a JSON integer; a JSON number with a fraction "
        "or an exponent is not exact",
    )


def _format_error() -> PydanticCustomError:
    return PydanticCustomError(
        "amount_format",
        "an amount is a decimal string with at most 2 decimal places and 12 integer digits, such as "
        "\"850000.00\"; no exponent, no leading zero",
    )


def _range_error(lowest: str) -> PydanticCustomError:
    return PydanticCustomError("amount_range", "an amount is {lowest} and at most 999999999999.99",
                               {"lowest": lowest})


_LOWEST = {"signed": "at least -999999999999.99", "zero": "0 or more", "positive": "more than 0"}


def _parse(value: Any, *, lowest: str) -> Decimal:
    """The exact amount ``value`` writes, or a validation error; ``lowest`` is "signed", "zero" or "positive"."""
    if isinstance(value, bool):
        raise _type_error()
    if isinstance(value, str):
        written = _WRITTEN.fullmatch(value.strip())
        if written is None:
            raise _format_error()
        if lowest != "signed" and written.group(0).startswith("-"):
            raise _range_error(_LOWEST[lowest])  # "-0" too: the published pattern has no sign
        amount = Decimal(written.group(0)) + 0  # + 0: a signed "-0" is 0
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        # Built in code (a domain result, a database row): the same rules, for a value that never was text.
        if not value.is_finite():
            raise _format_error()
        amount = value + 0
        if abs(amount) <= MAX_AMOUNT and amount != amount.quantize(CENT):
            raise _format_error()
    else:  # float above all: 850000.5 and 1e6 arrive from JSON as floats
        raise _type_error()
    if abs(amount) > MAX_AMOUNT:
        raise _range_error(_LOWEST[lowest])
    if (lowest == "zero" and amount < 0) or (lowest == "positive" and amount <= 0):
        raise _range_error(_LOWEST[lowest])
    return amount


def money_text(value: Decimal) -> str:
    """An amount as the platform writes it: exactly 2 places ("850000.00"), never an exponent."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP) + 0:f}"


def _money_type(lowest: str, pattern: str, minimum: int | None, description: str) -> Any:
    integer = {"type": "integer", "minimum": -MAX_INTEGER if minimum is None else minimum, "maximum": MAX_INTEGER}
    written = r"^-?[0-9]{1,12}\.[0-9]{2}$" if lowest == "signed" else r"^[0-9]{1,12}\.[0-9]{2}$"
    return Annotated[
        Decimal,
        PlainValidator(lambda value: _parse(value, lowest=lowest)),
        PlainSerializer(money_text, return_type=str, when_used="json"),
        WithJsonSchema({"anyOf": [{"type": "string", "pattern": pattern}, integer],
                        "description": description, "examples": ["850000.00"], "x-money": "CNY"},
                       mode="validation"),
        WithJsonSchema({"type": "string", "pattern": written, "examples": ["850000.00"], "x-money": "CNY"},
                       mode="serialization"),
    ]


Money = _money_type("zero", _UNSIGNED_PATTERN, 0,
                    "CNY, 0 to 999999999999.99: a decimal string with at most 2 places or an integer; no float")
"""A non-negative amount of CNY: exact, at most 2 places, at most 999,999,999,999.99; never a float."""

PositiveMoney = _money_type("positive", _POSITIVE_PATTERN, 1,
                            "CNY, 0.01 to 999999999999.99: a decimal string with at most 2 places or an integer; "
                            "no float")
"""An amount that must be more than 0 (a salary, a payment, a cap); otherwise as ``Money``."""

SignedMoney = _money_type("signed", _SIGNED_PATTERN, None,
                          "CNY, may be negative: a decimal string with at most 2 places or an integer; no float")
"""A ledger figure: a correction or an overpaid balance may be negative; otherwise as ``Money``."""


class MoneyColumn(sa.types.TypeDecorator):
    """An amount column: NUMERIC(14, 2) on PostgreSQL, its exact text ("850000.50") on SQLite.

    Binding refuses what is not exact at 2 places (a float, a third place) rather than round it:
    R-ROUNDING rounds where the amount is computed, before it is stored.
    """

    impl = sa.Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(20))
        return dialect.type_descriptor(sa.Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, (float, bool)) or not isinstance(value, (Decimal, int, str)):
            raise TypeError(f"an amount is stored from a Decimal, an int or a decimal string, "
                            f"not {type(value).__name__}")
        try:
            amount = Decimal(value)
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not an amount") from exc
        if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
            raise ValueError(f"{value} does not fit NUMERIC(14, 2)")
        if amount != amount.quantize(CENT):
            raise ValueError(f"{value} has more than 2 decimal places (R-ROUNDING rounds before storing)")
        amount = amount.quantize(CENT) + 0
        return money_text(amount) if dialect.name == "sqlite" else amount

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value).quantize(CENT)


MONEY_DDL = sa.Numeric(14, 2).with_variant(sa.String(20), "sqlite")
"""The column type a migration creates for a ``MoneyColumn`` (what ``MoneyColumn`` declares on each database)."""
