"""The expert's timeline in directory (R-SUPERVISE): publish any event as its producer does, read the timeline."""

from __future__ import annotations

import uuid

from shared.events import Event
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")


async def publish(platform, event: Event) -> None:
    """The event leaves through its producing service's outbox, as that service would publish it."""
    async with platform.runtime(event.producer).uow() as uow:
        uow.publish(event)
        await uow.commit()


async def read_timeline(client, expert_id: uuid.UUID | str, *, limit: int = 200) -> list[dict]:
    """Every entry of the expert's timeline, following the cursor; [] when directory knows nothing yet."""
    items: list[dict] = []
    cursor = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get(f"/directory/v1/experts/{expert_id}/timeline", params=params, headers=OFFICER)
        if response.status_code == 404:
            return []
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items
