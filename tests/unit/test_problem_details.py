"""Every error leaves as RFC 9457 application/problem+json, naming the field and never the traceback."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import Field
from sqlalchemy.exc import DBAPIError

from shared.errors import PROBLEM_BASE, PROBLEM_JSON, Conflict, NotFound, Unauthorized, install_error_handlers
from shared.schemas import Input

pytestmark = pytest.mark.unit


class Address(Input):
    city: str
    postcode: str = Field(pattern=r"^\d{6}$")


class Applicant(Input):
    name: str = Field(min_length=1)
    address: Address
    languages: list[str] = []


def build_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/applications")
    async def submit(body: Applicant) -> dict:
        if body.name == "already approved":
            raise Conflict("the application was already decided", current_state="approved")
        return {"name": body.name}

    @app.get("/applications/{application_id}")
    async def read(application_id: int) -> dict:
        if application_id == 401:
            raise Unauthorized("a bearer token is required")
        raise NotFound("no such application")

    @app.get("/boom")
    async def boom() -> dict:
        raise RuntimeError("database password is hunter2")

    @app.get("/database/{how}")
    async def database(how: str) -> dict:
        raise DBAPIError("INSERT INTO applications ...", {}, ConnectionResetError("connection reset by peer"),
                         connection_invalidated=how == "gone")

    return app


@pytest.fixture
async def client():
    # raise_app_exceptions=False: see the 500 the caller sees, not the exception the server logs.
    transport = httpx.ASGITransport(app=build_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def valid(**overrides) -> dict:
    return {"name": "Ada", "address": {"city": "Beijing", "postcode": "100080"}, **overrides}


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


async def test_valid_body_passes(client):
    response = await client.post("/applications", json=valid())

    assert response.status_code == 200, response.text
    assert response.json() == {"name": "Ada"}


async def test_validation_error_is_422_problem_naming_the_field(client):
    response = await client.post("/applications", json=valid(name=""))

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == PROBLEM_BASE + "validation"
    assert body["status"] == 422
    assert body["instance"] == "/applications"
    assert fields(response) == ["name"]
    assert "name" in body["detail"]


async def test_nested_field_is_named_with_dots(client):
    body = valid(address={"city": "Beijing", "postcode": "x"}, languages=["en", 7])

    response = await client.post("/applications", json=body)

    assert response.status_code == 422
    assert sorted(fields(response)) == ["address.postcode", "languages.1"]


async def test_missing_nested_field_is_named(client):
    response = await client.post("/applications", json=valid(address={"postcode": "100080"}))

    assert fields(response) == ["address.city"]
    assert response.json()["errors"][0]["type"] == "missing"


async def test_unknown_field_is_refused_not_dropped(client):
    response = await client.post("/applications", json=valid(salary_expectation="1000000"))

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["errors"] == [
        {"field": "salary_expectation", "message": "Extra inputs are not permitted", "type": "extra_forbidden"}
    ]


async def test_unknown_nested_field_is_refused(client):
    body = valid(address={"city": "Beijing", "postcode": "100080", "x": 1})

    response = await client.post("/applications", json=body)

    assert fields(response) == ["address.x"]


async def test_malformed_json_body_is_422_problem(client):
    response = await client.post(
        "/applications", content=b'{"name": "Ada", "address": ', headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert [e["type"] for e in response.json()["errors"]] == ["json_invalid"]


async def test_malformed_json_body_is_located_at_the_body_not_a_character_offset(client):
    response = await client.post(
        "/applications", content=b'{"name": "Ada", "address": ', headers={"content-type": "application/json"}
    )

    assert fields(response) == ["body"]


async def test_conflict_is_409_problem_with_current_state(client):
    response = await client.post("/applications", json=valid(name="already approved"))

    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == {
        "type": PROBLEM_BASE + "conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "the application was already decided",
        "instance": "/applications",
        "current_state": "approved",
    }


async def test_not_found_is_404_problem(client):
    response = await client.get("/applications/7")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["type"] == PROBLEM_BASE + "not-found"


async def test_unauthorized_is_401_problem_with_bearer_challenge(client):
    response = await client.get("/applications/401")

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_path_parameter_of_wrong_type_names_the_parameter(client):
    response = await client.get("/applications/not-a-number")

    assert response.status_code == 422
    assert fields(response) == ["application_id"]


async def test_unknown_route_is_404_problem(client):
    response = await client.get("/nowhere")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON


async def test_wrong_method_is_405_problem(client):
    response = await client.delete("/applications")

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM_JSON


async def test_unhandled_exception_is_500_problem_without_internals(client, caplog):
    response = await client.get("/boom")

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["status"] == 500
    for leak in ("Traceback", "RuntimeError", "hunter2", "test_problem_details.py"):
        assert leak not in response.text
    assert "hunter2" in caplog.text  # logged for the operator instead


async def test_a_database_connection_lost_under_a_request_is_503_with_retry_after(client):
    """The pool renewed itself; the caller may retry, after reading whether its write was stored."""
    gone = await client.get("/database/gone")
    assert gone.status_code == 503
    assert gone.headers["content-type"] == PROBLEM_JSON and gone.headers["retry-after"] == "1"
    assert gone.json()["type"] == PROBLEM_BASE + "unavailable" and "INSERT" not in gone.text
    other = await client.get("/database/error")  # any other database error stays an internal error
    assert other.status_code == 500 and "retry-after" not in other.headers


async def test_a_secured_endpoint_answers_401_to_a_bad_body_without_credentials():
    # FastAPI parses the body before the auth dependency runs; the caller must still learn it needs a token.
    from services.directory.app import create_app

    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        anonymous = await client.post("/directory/v1/employers", content=b"\x00",
                                      headers={"content-type": "application/json"})
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"


def test_text_with_a_nul_character_is_refused_naming_the_field():
    import pydantic

    from shared.schemas import Input

    class Note(Input):
        title: str
        tags: list[str] = []

    with pytest.raises(pydantic.ValidationError) as refused:
        Note(title="ok", tags=["a", "b\x00"])
    assert refused.value.errors()[0]["loc"] == ("tags",)
    assert Note(title="fine").title == "fine"
