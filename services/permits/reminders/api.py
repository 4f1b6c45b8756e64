"""REST route of the expiry reminders under /permits/v1: the scheduled job, run now by an officer."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from services.permits.reminders import handlers
from services.permits.reminders.schemas import RemindersSent
from shared import clock
from shared.api import Officer, RuntimeDep

router = APIRouter(prefix="/permits/v1", tags=["green channel"])


@router.post("/expiry-reminders", summary="Run the expiry reminders now (the scheduled job; idempotent)")
async def send_expiry_reminders(runtime: RuntimeDep, _: Officer, today: date | None = None) -> RemindersSent:
    today = today or clock.beijing_today()
    return RemindersSent(today=today, sent=await handlers.send_expiry_reminders(runtime, today=today))
