"""Event contracts: routing keys, the CloudEvents envelope, tolerant readers, and the published schemas."""

from __future__ import annotations

import functools
import importlib.util
import json
import types
import typing
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path

import pytest
from pydantic import BaseModel

from shared.events import CloudEvent, Event, event_class, registered_events
from shared.events.directory import EmployerRegistered
from shared.events.review import ApplicationApproved, ContractTerms, ExpertSummary, FundingPlanItem
from tests.support.events import employer_registered, published

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"intake", "review", "subsidy", "permits", "directory"}
CONTRACTS = registered_events()


def contract_id(cls: type[Event]) -> str:
    return f"{cls.event_type}.v{cls.version}"


@functools.cache
def load_generator():
    spec = importlib.util.spec_from_file_location("gen_event_schemas", ROOT / "scripts" / "gen_event_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sample_value(annotation):
    """A valid value for a field type, so every contract (present and future) can be exercised."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return sample_value(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return sample_value(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin in (list, tuple, set, frozenset):
        return [sample_value(typing.get_args(annotation)[0])]
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return sample(annotation)
        if issubclass(annotation, Enum):
            return next(iter(annotation))
        for kind, value in (
            (bool, True), (uuid.UUID, uuid.uuid4()), (datetime, datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)),
            (date, date(2025, 3, 1)), (Decimal, Decimal("123456.78")), (int, 3), (str, "sample"),
        ):
            if issubclass(annotation, kind):
                return value
    raise NotImplementedError(f"no sample for {annotation!r}: teach sample_value this type")


def sample(model: type[BaseModel], **overrides):
    values = {name: sample_value(f.annotation) for name, f in model.model_fields.items()}
    return model(**{**values, **overrides})


def walk(node):
    """Every (key, value) pair in a JSON document, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def test_the_two_events_the_mission_names_are_registered():
    assert event_class("ApplicationApproved", 1) is ApplicationApproved
    assert event_class("ContractBreached", 1) is not None


@pytest.mark.parametrize("cls", CONTRACTS, ids=contract_id)
def test_routing_key_is_producer_event_type_and_version(cls):
    producer, event_type, version = cls.routing_key().split(".")

    assert producer in SERVICES
    assert (producer, event_type, version) == (cls.producer, cls.event_type, f"v{cls.version}")
    assert event_type.isidentifier() and event_type[0].isupper()


def test_each_event_type_has_exactly_one_producer():
    producers: dict[str, set[str]] = {}
    for cls in CONTRACTS:
        producers.setdefault(cls.event_type, set()).add(cls.producer)

    assert {t: p for t, p in producers.items() if len(p) != 1} == {}


def test_each_type_and_version_is_one_contract():
    counts = Counter((cls.event_type, cls.version) for cls in CONTRACTS)

    assert [key for key, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("cls", CONTRACTS, ids=contract_id)
def test_published_envelope_is_cloudevents_1_0_from_the_producer(cls):
    event = sample(cls)

    envelope = published(event, cls.producer)

    assert envelope.specversion == "1.0"
    assert isinstance(envelope.id, uuid.UUID) and envelope.id.version == 4
    assert envelope.source == f"/services/{cls.producer}"
    assert envelope.type == cls.event_type
    assert envelope.dataversion == cls.version
    assert envelope.subject == event.subject()
    assert envelope.time.tzinfo is not None
    assert envelope.routing_key() == cls.routing_key()


def test_each_envelope_gets_its_own_id():
    event = employer_registered()

    assert published(event, "directory").id != published(event, "directory").id


@pytest.mark.parametrize("cls", CONTRACTS, ids=contract_id)
def test_envelope_round_trips_through_json(cls):
    event = sample(cls)
    envelope = CloudEvent.wrap(event, source=f"/services/{cls.producer}", correlation_id="req-1", causation_id="ev-0")

    received = CloudEvent.model_validate_json(envelope.to_bytes())

    assert received == envelope
    assert json.loads(envelope.to_bytes())["specversion"] == "1.0"
    assert event_class(received.type, received.dataversion).model_validate(received.data) == event


def test_envelope_names_the_published_schema_of_its_data():
    generator = load_generator()

    envelope = CloudEvent.wrap(employer_registered(), source="/services/directory")

    assert envelope.dataschema == generator.event_schema(EmployerRegistered)["$id"]


def test_envelope_keeps_extension_attributes_it_does_not_know():
    wire = json.loads(CloudEvent.wrap(employer_registered(), source="/services/directory").to_bytes())
    wire["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    received = CloudEvent.model_validate(wire)

    assert received.model_extra == {"traceparent": wire["traceparent"]}


def test_reader_ignores_fields_added_to_data_within_a_version():
    data = employer_registered().model_dump(mode="json")
    data["chief_executive"] = "added in a later release of the producer"

    event = EmployerRegistered.model_validate(data)

    assert event == employer_registered()
    assert "chief_executive" not in event.model_dump()


@pytest.mark.parametrize("mode", ["validation", "serialization"])
def test_application_approved_schema_has_no_passport_anywhere(mode):
    schema = ApplicationApproved.model_json_schema(mode=mode)

    assert [key for key, _ in walk(schema) if "passport" in key.lower()] == []


def test_passport_number_given_to_expert_summary_is_not_carried():
    expert = sample(ExpertSummary, passport_number="E12345678")

    assert "passport" not in json.dumps(expert.model_dump(mode="json")).lower()


def test_money_survives_serialisation_as_an_exact_decimal_string():
    approved = sample(
        ApplicationApproved,
        contract=sample(ContractTerms, annual_salary=Decimal("123456.78")),
        funding_plan={"items": [sample(FundingPlanItem, estimated_yearly_amount=Decimal("200000.10"))]},
    )

    wire = approved.model_dump(mode="json")

    assert wire["contract"]["annual_salary"] == "123456.78"
    assert wire["funding_plan"]["items"][0]["estimated_yearly_amount"] == "200000.10"
    assert ApplicationApproved.model_validate(wire).contract.annual_salary == Decimal("123456.78")


def test_money_fields_are_decimal_in_the_contract_and_string_in_the_published_schema():
    schema = load_generator().event_schema(ApplicationApproved)
    defs = schema["$defs"]

    assert ContractTerms.model_fields["annual_salary"].annotation is Decimal
    assert defs["ContractTerms"]["properties"]["annual_salary"]["type"] == "string"
    amount = defs["FundingPlanItem"]["properties"]["estimated_yearly_amount"]
    assert {arm.get("type") for arm in amount["anyOf"]} == {"string", "null"}


@pytest.mark.parametrize("cls", CONTRACTS, ids=contract_id)
def test_no_contract_carries_a_json_number(cls):
    # Money is Decimal end to end; a float would round. Integers are fine.
    schema = load_generator().event_schema(cls)

    assert [value for key, value in walk(schema) if key == "type" and "number" in str(value)] == []


def test_published_event_catalogue_is_up_to_date():
    stale = load_generator().stale_files()

    assert stale == [], "run: uv run python scripts/gen_event_schemas.py"


def test_catalogue_check_reports_missing_changed_and_obsolete_files(tmp_path, capsys):
    generator = load_generator()
    assert generator.main(["--check", "--out", str(tmp_path)]) == 1

    generator.main(["--out", str(tmp_path)])
    assert generator.main(["--check", "--out", str(tmp_path)]) == 0

    (tmp_path / "EmployerRegistered.v1.schema.json").write_text("{}\n")
    (tmp_path / "Retired.v1.schema.json").write_text("{}\n")
    capsys.readouterr()
    assert generator.main(["--check", "--out", str(tmp_path)]) == 1
    reported = capsys.readouterr().err
    assert "EmployerRegistered.v1.schema.json" in reported and "Retired.v1.schema.json" in reported


def test_catalogue_is_deterministic_and_formatted(tmp_path):
    generator = load_generator()
    first = generator.expected_files()

    assert generator.expected_files() == first
    for name, content in first.items():
        assert content.endswith("\n") and not content.endswith("\n\n"), name
        if name.endswith(".json"):
            assert content == json.dumps(json.loads(content), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("cls", CONTRACTS, ids=contract_id)
def test_published_schema_names_the_contract(cls):
    schema = load_generator().event_schema(cls)

    assert schema["x-routing-key"] == cls.routing_key()
    assert schema["x-producer"] == cls.producer
    assert schema["$id"] == f"urn:platform:events:{cls.event_type}:v{cls.version}"
    assert set(schema["required"]) <= set(schema["properties"])
