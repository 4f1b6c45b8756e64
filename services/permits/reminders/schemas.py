"""Response models of the expiry reminders."""

from __future__ import annotations

from datetime import date

from shared.schemas import Output


class RemindersSent(Output):
    today: date
    sent: list[dict]
