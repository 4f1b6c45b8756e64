"""Who the caller acts as (shared/auth.py Principal) and the If-Match header (shared/api.py)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from shared.api import etag, if_match, parse_if_match
from shared.auth import Principal, Role
from shared.errors import Unprocessable, install_error_handlers
from shared.schemas import Input

pytestmark = pytest.mark.unit

EMPLOYER_ID = uuid.UUID("0b0e6a44-5c8e-4c53-a0a3-6d3f8f6f1a01")


def principal(*roles: Role, organisation: str | None = None, subject: str = "someone") -> Principal:
    return Principal(subject=subject, roles=frozenset(roles), organisation=organisation)


@pytest.mark.parametrize("roles, officer", [
    ((Role.bureau_officer,), True), ((Role.admin,), True), ((Role.employer,), False),
    ((Role.committee_member,), False), ((Role.expert, Role.admin), True), ((), False),
])
def test_is_officer_is_the_bureau_acting(roles, officer):
    assert principal(*roles).is_officer is officer


def test_acts_for_needs_the_role_and_the_organisation():
    employer = principal(Role.employer, organisation=str(EMPLOYER_ID))

    assert employer.acts_for(Role.employer, EMPLOYER_ID)
    assert employer.acts_for(Role.employer, str(EMPLOYER_ID))
    assert not employer.acts_for(Role.employer, uuid.uuid4())
    assert not employer.acts_for(Role.preliminary_reviewer, EMPLOYER_ID)
    assert not employer.acts_for(Role.employer, None)
    assert not principal(Role.bureau_officer, organisation=str(EMPLOYER_ID)).acts_for(Role.employer, EMPLOYER_ID)


def test_is_expert_compares_the_subject():
    expert_id = uuid.uuid4()

    assert principal(Role.expert, subject=str(expert_id)).is_expert(expert_id)
    assert not principal(Role.expert, subject=str(uuid.uuid4())).is_expert(expert_id)
    assert not principal(Role.employer, subject=str(expert_id)).is_expert(expert_id)


@pytest.mark.parametrize("header, version", [(None, None), ('"7"', 7), ('W/"7"', 7), (" 12 ", 12), ("*", None)])
def test_if_match_names_a_version(header, version):
    assert parse_if_match(header, "subscription") == version


def test_a_star_may_be_refused_where_an_edit_names_its_version():
    with pytest.raises(Unprocessable) as raised:
        parse_if_match("*", "application", any_version=False)
    assert raised.value.detail == "If-Match is the ETag of the application as read"
    assert raised.value.extensions == {"field": "If-Match"}


@pytest.mark.parametrize("header", ['"seven"', "", 'W/""'])
def test_an_if_match_that_is_no_etag_of_ours_is_a_422(header):
    with pytest.raises(Unprocessable):
        parse_if_match(header, "subscription")


def test_the_etag_reads_back_as_its_version():
    assert etag(3) == '"3"'
    assert parse_if_match(etag(3), "case") == 3



class Edit(Input):
    name: str


IfMatchThing = if_match("thing", any_version=False)


async def test_a_malformed_if_match_is_refused_after_the_body_is_validated():
    """As a check in the route would be: an invalid body is named first, then the header."""
    app = FastAPI()
    install_error_handlers(app)

    @app.patch("/things/1")
    async def edit(body: Edit, expected: IfMatchThing) -> dict:
        return {"version": expected.version, "name": body.name}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        bad_both = await client.patch("/things/1", json={"name": 1}, headers={"If-Match": '"x"'})
        bad_header = await client.patch("/things/1", json={"name": "a"}, headers={"If-Match": '"x"'})
        good = await client.patch("/things/1", json={"name": "a"}, headers={"If-Match": 'W/"4"'})

    assert bad_both.status_code == 422 and "If-Match" not in bad_both.text
    assert bad_header.status_code == 422 and "If-Match is the ETag of the thing as read" in bad_header.text
    assert good.json() == {"version": 4, "name": "a"}
