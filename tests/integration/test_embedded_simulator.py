"""The embedded process mounts the entry-exit simulator beside the services, and permits may subscribe it (only it)."""

from __future__ import annotations

import json

import httpx

from embedded.app import SERVICES, create_embedded_app, service_settings
from shared.webhooks import generate_secret, webhook_headers
from tests.support.platform import copy_migrated_sqlite, eventually
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")


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


async def test_embedded_permits_may_subscribe_its_mounted_simulator_and_nothing_else_private(tmp_path):
    settings = service_settings(tmp_path, port=8123)
    settings["permits"] = settings["permits"].model_copy(update={"webhook_poll_seconds": 0.05})
    for entry in SERVICES:
        copy_migrated_sqlite(entry.name, entry.migrations_dir, settings[entry.name].resolved_database_url)
    dispatcher = create_embedded_app(tmp_path, settings=settings)
    # The process would listen on 127.0.0.1:8123; here permits' deliveries go through the dispatcher itself.
    dispatcher.apps["permits"].state.runtime.extras.dispatcher.transport = httpx.ASGITransport(app=dispatcher)
    subscriptions = "/permits/v1/webhook-subscriptions"

    async with dispatcher.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app=dispatcher),
                                                        base_url="http://embedded", headers=OFFICER) as client:
        async def subscribe(url: str) -> httpx.Response:
            return await client.post(subscriptions, json={"url": url, "event_types": ["PermitRevocationRequested"],
                                                          "description": "entry-exit"})

        simulator = await subscribe("http://127.0.0.1:8123/entry-exit/webhooks")
        refused = [await subscribe(url) for url in (
            "http://127.0.0.1:8123/intake/v1/applications",  # the same process, not the simulator
            "http://127.0.0.1:8000/entry-exit/webhooks",     # another port
            "http://127.0.0.1:5432/",
            "http://10.0.0.1/hooks",
            "http://169.254.169.254/latest/meta-data",
            "http://[::ffff:127.0.0.1]:8123/entry-exit/webhooks",
        )]
        assert simulator.status_code == 201, simulator.text
        await client.post("/entry-exit/control", json={"secrets": [simulator.json()["secret"]]})
        sent = await client.post(f"{subscriptions}/{simulator.json()['id']}/test")

        async def received():
            return (await client.get("/entry-exit/received")).json()["items"]

        log = await eventually(received, message="the test message at the mounted simulator")

    assert [r.status_code for r in refused] == [422] * len(refused), [r.text for r in refused]
    assert all(r.json()["field"] == "url" for r in refused)
    assert sent.status_code == 202, sent.text
    assert [item["webhook_id"] for item in log] == [sent.json()["webhook_id"]]
