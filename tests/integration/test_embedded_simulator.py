"""The embedded process mounts the entry-exit simulator beside the services, and permits may subscribe it."""

from __future__ import annotations

import json

import httpx

from embedded.app import create_embedded_app, service_settings
from shared.webhooks import generate_secret, webhook_headers


async def test_embedded_app_routes_entry_exit_to_the_simulator(tmp_path):
    dispatcher = create_embedded_app(tmp_path, settings=service_settings(tmp_path))
    secret = generate_secret()
    body = json.dumps({"type": "PermitRevocationRequested", "data": {"case_id": "c-1"}}).encode()

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=dispatcher), base_url="http://embedded") as client:
        health = await client.get("/entry-exit/healthz")
        await client.post("/entry-exit/control", json={"secrets": [secret]})
        delivered = await client.post("/entry-exit/webhooks", content=body,
                                      headers=webhook_headers(secret, msg_id="msg_e", body=body))
        log = (await client.get("/entry-exit/received")).json()

    assert health.json()["service"] == "entry-exit-simulator"
    assert delivered.status_code == 200
    assert [r["webhook_id"] for r in log["items"]] == ["msg_e"]
    assert "entry-exit" not in dispatcher.apps  # not a service: the token sweep and lifespans skip it


def test_embedded_permits_may_subscribe_the_local_simulator(tmp_path):
    settings = service_settings(tmp_path)

    assert settings["permits"].webhook_allow_private_urls is True
