"""The development sign-in (directory /v1/sign-in): the local issuer's token for a role and organisation picked from
the registry works on every service; one the services would refuse is a 422 naming the field; production refuses
both routes and leaves them out of its OpenAPI document."""

from __future__ import annotations

import httpx

from services.directory.app import create_app as directory_app
from services.directory.employers.domain import District
from shared.auth import Role
from shared.bus.embedded import EmbeddedBus
from shared.settings import Environment
from tests.support.data import employer
from tests.support.directory import OFFICER

OPTIONS = "/directory/v1/sign-in/options"
TOKEN = "/directory/v1/sign-in/token"


def bearer(token: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {token['access_token']}"}


async def test_r_apply_a_signed_in_employer_and_officer_are_accepted_by_the_other_services(platform):
    await platform.start()
    async with platform.client("directory") as directory:
        registered = await directory.post("/directory/v1/employers", headers=OFFICER, json=employer(
            "Sanlitun Optics Ltd.", district="chaoyang", competent_department="Chaoyang Science Commission"))
        assert registered.status_code == 201, registered.text
        options = (await directory.get(OPTIONS)).json()
        employer_id = registered.json()["id"]
        assert {"id": employer_id, "name": "Sanlitun Optics Ltd."} in options["employers"]
        assert "department:Chaoyang Science Commission" in [o["id"] for o in options["departments"]]
        signed_in = await directory.post(TOKEN, json={"role": "employer", "organisation": employer_id})
        officer = (await directory.post(TOKEN, json={"role": "bureau_officer"})).json()

    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.headers["cache-control"] == "no-store"
    token = signed_in.json()
    assert token | {"access_token": "…"} == {
        "access_token": "…", "token_type": "Bearer", "expires_in": 8 * 3600,
        "subject": f"dev-employer@{employer_id}", "roles": ["employer"], "organisation": employer_id}
    assert officer["subject"] == "dev-bureau_officer" and officer["organisation"] is None
    async with platform.client("intake", headers=bearer(token)) as intake:
        own = await intake.get("/intake/v1/applications")
        created = await intake.post("/intake/v1/applications", json={})  # an employer's action: past the role check
    async with platform.client("subsidy") as subsidy:
        statistics = await subsidy.get("/subsidy/v1/statistics", headers=bearer(officer))
        as_employer = await subsidy.get("/subsidy/v1/statistics", headers=bearer(token))
    assert own.status_code == 200 and own.json()["items"] == []
    assert created.status_code == 422, created.text
    assert statistics.status_code == 200, statistics.text
    assert as_employer.status_code == 403  # the token is verified, and its role is what it says


async def test_r_apply_options_offer_every_role_and_district_bureau_in_the_callers_language(platform):
    await platform.start()
    async with platform.client("directory") as directory:
        chinese = await directory.get(OPTIONS, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
        english = await directory.get(OPTIONS, headers={"Accept-Language": "en-GB, zh-CN;q=0.5"})
        default = await directory.get(OPTIONS)

    assert "Accept-Language" in [value.strip() for value in chinese.headers["vary"].split(",")]
    roles = {option["role"]: option for option in chinese.json()["roles"]}
    assert set(roles) == {role.value for role in Role}
    assert roles["employer"]["label"] == "用人单位" and roles["employer"]["labels"] == {"zh-CN": "用人单位", "en": "Employer"}
    assert all(option["labels"]["zh-CN"] and option["labels"]["en"] for option in roles.values())
    districts = {o["id"]: o for o in chinese.json()["districts"]}
    assert list(districts) == [f"district:{district.value}" for district in District]
    assert districts["district:haidian"]["name"] == "海淀区人力社保局"
    haidian = next(o for o in english.json()["districts"] if o["id"] == "district:haidian")
    assert haidian["name"] == "Haidian District HR and Social Security Bureau"
    assert default.json() == english.json()  # no Accept-Language: English, as every message


async def test_a_token_the_services_would_refuse_is_a_422_naming_the_field(platform):
    await platform.start()
    async with platform.client("directory") as directory:
        not_an_employer_id = await directory.post(TOKEN, json={"role": "employer", "organisation": "Acme Ltd."})
        no_employer = await directory.post(TOKEN, json={"role": "employer"})
        not_a_reviewer = await directory.post(TOKEN, json={"role": "preliminary_reviewer", "organisation": "haidian"})
        bad_subject = await directory.post(TOKEN, json={"role": "expert", "subject": "a\u2028b"})
        bad_role = await directory.post(TOKEN, json={"role": "mayor"})
        reviewer = await directory.post(TOKEN, json={"role": "preliminary_reviewer",
                                                     "organisation": "district:haidian"})

    for refused, field in ((not_an_employer_id, "organisation"), (no_employer, "organisation"),
                           (not_a_reviewer, "organisation"), (bad_subject, "subject")):
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["field"] == field
        assert refused.json()["detail"].startswith("the services would refuse this token: ")
    assert "employer id" in not_an_employer_id.json()["detail"]
    assert bad_role.status_code == 422 and [e["field"] for e in bad_role.json()["errors"]] == ["role"]
    assert reviewer.status_code == 200 and reviewer.json()["organisation"] == "district:haidian"


async def test_production_refuses_the_development_sign_in_and_does_not_document_it(platform):
    await platform.start()
    production = platform.settings["directory"].model_copy(update={"environment": Environment.production})
    development = directory_app(platform.settings["directory"], bus=platform.bus)
    app = directory_app(production, bus=EmbeddedBus(platform.tmp_path / "production-bus.db"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://production") as client:
        options = await client.get(OPTIONS)
        token = await client.post(TOKEN, json={"role": "bureau_officer"})
        malformed = await client.post(TOKEN, json={"role": "mayor"})

    for refused in (options, token, malformed):
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == "development sign-in is not available in production"
    assert OPTIONS in development.openapi()["paths"] and TOKEN in development.openapi()["paths"]
    assert not [path for path in app.openapi()["paths"] if "/sign-in/" in path]
    assert "SignInToken" not in app.openapi()["components"]["schemas"]
