"""A small demo data set for the embedded default, loaded through the public API on first start."""

from __future__ import annotations

import logging

import httpx

from shared.auth import issue_token
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)

DEMO_EMPLOYERS = [
    {
        "name": "Zhongguancun Quantum Materials Institute",
        "credit_code": "12110000400000000A",
        "district": "haidian",
        "competent_department": "Beijing Municipal Science and Technology Commission",
        "municipal_state_owned": True,
    },
    {
        "name": "Yizhuang Biomedicine Co., Ltd.",
        "credit_code": "91110302000000000B",
        "district": "daxing",
        "competent_department": None,
        "municipal_state_owned": False,
    },
]


async def load_demo_data(apps: dict, settings: ServiceSettings) -> int:
    """Register the demo employers unless the registry already has employers; return how many."""
    from services.directory.employers.domain import credit_code_check_character

    token = issue_token(
        secret=settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
        subject="demo-loader", roles=["bureau_officer"],
    )
    headers = {"Authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=apps["directory"])
    async with httpx.AsyncClient(transport=transport, base_url="http://embedded", headers=headers) as client:
        existing = (await client.get("/directory/v1/employers", params={"limit": 1})).json()
        if existing.get("items"):
            return 0
        for employer in DEMO_EMPLOYERS:
            body = dict(employer)
            body["credit_code"] = body["credit_code"][:17] + credit_code_check_character(body["credit_code"][:17])
            response = await client.post("/directory/v1/employers", json=body)
            response.raise_for_status()
    return len(DEMO_EMPLOYERS)
