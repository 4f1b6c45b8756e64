"""The one money type (shared/money.py): exact, 2 places, one range, no float, the same in JSON and in the database.

R-ROUNDING: money is exact decimal with 2 places; an amount given with more places is refused, never
rounded on the way in; JSON floats and exponents are refused; every amount leaves with exactly 2 places.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.dialects import postgresql, sqlite

from shared.money import MAX_AMOUNT, MONEY_DDL, Money, MoneyColumn, PositiveMoney, SignedMoney, money_text

pytestmark = pytest.mark.unit

MONEY = TypeAdapter(Money)
POSITIVE = TypeAdapter(PositiveMoney)
SIGNED = TypeAdapter(SignedMoney)


class Body(BaseModel):
    amount: Money


def refusal(adapter: TypeAdapter, value) -> str:
    with pytest.raises(ValidationError) as refused:
        adapter.validate_python(value)
    [error] = refused.value.errors()
    return error["type"]


ACCEPTED = {
    "decimal string": ("850000.50", Decimal("850000.50")),
    "one place": ("0.5", Decimal("0.5")),
    "no places": ("850000", Decimal("850000")),
    "zero": ("0", Decimal("0")),
    "surrounding spaces": (" 12.30 ", Decimal("12.30")),
    "JSON integer": (850000, Decimal("850000")),
    "Decimal built in code": (Decimal("1.10"), Decimal("1.10")),
    "Decimal with an exponent but 2 places of value": (Decimal("1E+3"), Decimal("1000")),
    "the largest NUMERIC(14, 2)": ("999999999999.99", MAX_AMOUNT),
    "the largest integer": (999_999_999_999, Decimal("999999999999")),
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_an_exact_amount_is_accepted_as_written(case):
    value, expected = ACCEPTED[case]

    amount = MONEY.validate_python(value)

    assert amount == expected and isinstance(amount, Decimal)


REFUSED = {
    "float": (850000.5, "amount_type"),
    "float with an integral value": (850000.0, "amount_type"),
    "float written with an exponent": (1e6, "amount_type"),
    "boolean": (True, "amount_type"),
    "null": (None, "amount_type"),
    "list": (["1"], "amount_type"),
    "exponent string": ("1e6", "amount_format"),
    "upper-case exponent string": ("1E6", "amount_format"),
    "signed exponent string": ("1e+6", "amount_format"),
    "three places": ("850000.005", "amount_format"),
    "three places, zero": ("850000.000", "amount_format"),
    "Decimal with three places": (Decimal("1.005"), "amount_format"),
    "NaN string": ("NaN", "amount_format"),
    "Infinity string": ("Infinity", "amount_format"),
    "Decimal NaN": (Decimal("NaN"), "amount_format"),
    "Decimal infinity": (Decimal("Infinity"), "amount_format"),
    "thousands separator": ("12,000", "amount_format"),
    "plus sign": ("+1", "amount_format"),
    "leading zero": ("01", "amount_format"),
    "no integer part": (".5", "amount_format"),
    "trailing point": ("1.", "amount_format"),
    "full-width digits": ("１２", "amount_format"),
    "empty": ("", "amount_format"),
    "currency sign": ("¥100", "amount_format"),
    "13 integer digits": ("1000000000000", "amount_format"),
    "integer above the range": (10**12, "amount_range"),
    "Decimal above the range": (Decimal("1000000000000.00"), "amount_range"),
    "negative string": ("-0.01", "amount_range"),
    "negative integer": (-1, "amount_range"),
    "negative Decimal": (Decimal("-5"), "amount_range"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_an_inexact_or_out_of_range_amount_is_refused_with_its_reason(case):
    value, reason = REFUSED[case]

    assert refusal(MONEY, value) == reason


@pytest.mark.parametrize("raw", ['{"amount": 850000.5}', '{"amount": 1e6}', '{"amount": 1E6}', '{"amount": 850000.0}',
                                 '{"amount": 8.5e5}'])
def test_a_json_number_with_a_fraction_or_an_exponent_is_refused_naming_the_field(raw):
    with pytest.raises(ValidationError) as refused:
        Body.model_validate_json(raw)

    assert [(e["loc"], e["type"]) for e in refused.value.errors()] == [(("amount",), "amount_type")]


def test_a_json_integer_and_a_json_string_are_exact():
    assert Body.model_validate_json('{"amount": 850000}').amount == Decimal("850000")
    assert Body.model_validate_json('{"amount": "850000.10"}').amount == Decimal("850000.10")
    # 12 integer digits and 2 places: more than a binary float holds exactly.
    assert Body.model_validate_json('{"amount": "999999999999.99"}').amount == MAX_AMOUNT


def test_positive_money_refuses_zero_and_keeps_the_same_range():
    assert [refusal(POSITIVE, v) for v in ("0", "0.00", 0, Decimal("0"))] == ["amount_range"] * 4
    assert POSITIVE.validate_python("0.01") == Decimal("0.01")
    assert POSITIVE.validate_python("999999999999.99") == MAX_AMOUNT
    assert refusal(POSITIVE, "1000000000000") == "amount_format"
    assert refusal(POSITIVE, 850000.5) == "amount_type"


def test_signed_money_takes_a_negative_ledger_figure_within_the_same_range():
    assert SIGNED.validate_python("-5000.50") == Decimal("-5000.50")
    assert SIGNED.validate_python(-999_999_999_999) == Decimal("-999999999999")
    assert SIGNED.validate_python("-0") == 0 and str(SIGNED.validate_python("-0")) == "0"
    assert refusal(SIGNED, "-1000000000000.00") == "amount_format"
    assert refusal(SIGNED, Decimal("-1000000000000")) == "amount_range"
    assert refusal(SIGNED, -1.5) == "amount_type"
    assert refusal(SIGNED, "-1e3") == "amount_format"


@pytest.mark.parametrize("value, written", [
    (Decimal("850000"), "850000.00"), (Decimal("0.5"), "0.50"), (Decimal("0"), "0.00"), (Decimal("1E+3"), "1000.00"),
    (MAX_AMOUNT, "999999999999.99"), (Decimal("-0.00"), "0.00"),
])
def test_an_amount_leaves_as_a_string_with_exactly_two_places(value, written):
    assert money_text(value) == written
    assert Body(amount=value).model_dump_json() == f'{{"amount":"{written}"}}'
    assert SIGNED.dump_json(-value if value else value) == f'"{"-" if value else ""}{written}"'.encode()


def test_in_python_an_amount_stays_a_decimal():
    assert Body(amount="0.5").model_dump() == {"amount": Decimal("0.5")}


@given(st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False))
def test_what_the_platform_writes_it_reads_back_unchanged(amount):
    assert SIGNED.validate_json(SIGNED.dump_json(amount)) == amount
    if amount >= 0:
        assert MONEY.validate_json(MONEY.dump_json(amount)) == amount


def _arms(schema: dict) -> dict:
    return {arm["type"]: arm for arm in schema["anyOf"]}


@pytest.mark.parametrize("adapter", [MONEY, POSITIVE, SIGNED], ids=["money", "positive", "signed"])
def test_the_published_schema_is_a_string_or_an_integer_in_and_a_two_place_string_out(adapter):
    wanted = adapter.json_schema(mode="validation")
    given_back = adapter.json_schema(mode="serialization")

    assert set(_arms(wanted)) == {"string", "integer"}  # never "number"
    assert _arms(wanted)["integer"]["maximum"] == 999_999_999_999
    assert given_back["type"] == "string"
    for example in wanted["examples"] + given_back["examples"]:
        assert re.search(_arms(wanted)["string"]["pattern"], example)
        assert re.search(given_back["pattern"], example)


@pytest.mark.parametrize("adapter, name", [(MONEY, "money"), (POSITIVE, "positive"), (SIGNED, "signed")])
@given(text=st.one_of(
    st.from_regex(r"\A-?[0-9]{1,14}(\.[0-9]{0,3})?\Z"),
    st.sampled_from(["0", "0.0", "0.00", "0.01", "00", "-0", "1e6", "1.", ".1"]),
))
def test_the_published_pattern_and_the_parser_agree_on_every_string(adapter, name, text):
    pattern = _arms(adapter.json_schema(mode="validation"))["string"]["pattern"]
    try:
        adapter.validate_python(text)
        accepted = True
    except ValidationError:
        accepted = False

    assert accepted == bool(re.search(pattern, text)), (name, text)


# -- the column type ---------------------------------------------------------------------------------

metadata = sa.MetaData()
amounts = sa.Table("amounts", metadata, sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("amount", MoneyColumn))


@pytest.fixture
def database():
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)  # a scratch table for the type alone; services' tables come from migrations
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_on_sqlite_an_amount_is_stored_as_its_exact_text_and_read_back_as_decimal(database):
    database.execute(amounts.insert(), [{"id": 1, "amount": Decimal("850000.1")}, {"id": 2, "amount": 850000},
                                        {"id": 3, "amount": "999999999999.99"}, {"id": 4, "amount": None}])

    stored = database.execute(sa.text("SELECT typeof(amount), amount FROM amounts ORDER BY id")).all()
    read = database.execute(sa.select(amounts.c.amount).order_by(amounts.c.id)).scalars().all()

    assert stored == [("text", "850000.10"), ("text", "850000.00"), ("text", "999999999999.99"), ("null", None)]
    assert read == [Decimal("850000.10"), Decimal("850000.00"), MAX_AMOUNT, None]


@pytest.mark.parametrize("value, error", [
    (850000.5, TypeError), (True, TypeError), (Decimal("1.005"), ValueError), (Decimal("1000000000000"), ValueError),
    (Decimal("NaN"), ValueError), ("lots", ValueError),
])
def test_the_column_refuses_what_is_not_exact_at_two_places_rather_than_round_it(database, value, error):
    with pytest.raises(sa.exc.StatementError) as refused:
        database.execute(amounts.insert(), {"id": 9, "amount": value})

    assert isinstance(refused.value.orig, error)


def test_the_column_is_numeric_14_2_on_postgresql_and_text_on_sqlite_as_the_migrations_create_it():
    column = sa.Column("amount", MoneyColumn)
    ddl = sa.Column("amount", MONEY_DDL)

    for dialect, expected in ((postgresql.dialect(), "NUMERIC(14, 2)"), (sqlite.dialect(), "VARCHAR(20)")):
        assert column.type.compile(dialect=dialect) == expected
        assert ddl.type.compile(dialect=dialect) == expected
