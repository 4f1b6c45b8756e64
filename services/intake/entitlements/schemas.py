"""What an application shows of its entitlements."""

from __future__ import annotations

import uuid

from shared.events.common import Track
from shared.schemas import Output, UtcDateTime


class EntitlementRef(Output):
    entitlement_id: uuid.UUID
    track: Track
    opened_at: UtcDateTime
