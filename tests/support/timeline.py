"""The expert's timeline in directory (R-SUPERVISE): read it (events reach it through tests.support.events.publish)."""

from __future__ import annotations

import uuid

from tests.support.tokens import auth

OFFICER = auth("bureau_officer")


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
