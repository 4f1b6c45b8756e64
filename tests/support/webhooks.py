"""Webhook subscriptions of the permits service as an officer creates them."""

from __future__ import annotations

from tests.support.tokens import auth

OFFICER = auth("bureau_officer")

URL = "/permits/v1/webhook-subscriptions"

PUBLIC_URL = "https://93.184.215.14/entry-exit/webhooks"  # a globally routable literal: no DNS needed


def subscription(**overrides) -> dict:
    body = {"url": PUBLIC_URL, "event_types": ["PermitRevocationRequested"], "description": "Entry-exit bureau"}
    body.update(overrides)
    return body


async def create(platform, body=None, headers=OFFICER):
    async with platform.client("permits", headers) as client:
        return await client.post(URL, json=body or subscription())
