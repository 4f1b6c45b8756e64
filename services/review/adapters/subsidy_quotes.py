"""The funding-plan quote: a synchronous call to subsidy with a timeout (R-COMMITTEE, 资助方案)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from services.review.settings import ReviewSettings
from shared.auth import issue_token
from shared.events.review import FundingPlan, FundingPlanItem

log = logging.getLogger(__name__)

SERVICE_SUBJECT = "service:review"


class SubsidyQuotes:
    """Asks ``POST /subsidy/v1/quotes``; any failure or a timeout yields None, never an exception.

    ``transport`` routes the call to an in-process subsidy app (the embedded platform, the in-process
    tests: see ``use_transport``); by default the call is real HTTP to ``subsidy_url``.
    """

    def __init__(self, settings: ReviewSettings, *, base_url: str | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.base_url = (base_url or settings.subsidy_url).rstrip("/")
        self.transport = transport
        self.timeout = settings.quote_timeout_seconds

    def use_transport(self, transport: httpx.AsyncBaseTransport, base_url: str | None = None) -> None:
        """Ask an in-process subsidy (the embedded platform mounts it) instead of over the network, so the
        quote needs no port and leaves no process: ``subsidy_url`` is then not used."""
        self.transport = transport
        if base_url:
            self.base_url = base_url.rstrip("/")

    def _token(self) -> str:
        if self.settings.subsidy_token:
            return self.settings.subsidy_token
        # A short-lived token from this service's own key; it carries no role, which a quote does not need.
        return issue_token(secret=self.settings.jwt_secret, issuer=self.settings.jwt_issuer,
                           audience=self.settings.jwt_audience, subject=SERVICE_SUBJECT, roles=[],
                           ttl_seconds=300)

    async def plan(self, request: dict[str, Any], *, request_id: str | None = None) -> FundingPlan:
        """The plan from a quote, or a plan marked ``to_be_quoted`` when subsidy did not answer in time."""
        headers = {"Authorization": f"Bearer {self._token()}"}
        if request_id:
            headers["X-Request-ID"] = request_id
        try:
            # asyncio.timeout bounds the whole exchange, also where the transport has no timeouts of its own.
            async with asyncio.timeout(self.timeout):
                async with httpx.AsyncClient(base_url=self.base_url, transport=self.transport,
                                             timeout=self.timeout) as client:
                    response = await client.post("/subsidy/v1/quotes", json=request, headers=headers)
            response.raise_for_status()
            body = response.json()
            # The amount as written (a 2-place string): the plan's money type parses it (a ValueError if not).
            items = [FundingPlanItem(code=i["code"], article=i["article"], estimated_yearly_amount=i["amount"])
                     for i in body["items"]]
        except (TimeoutError, httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.warning("subsidy quote failed (%s: %s); the funding plan is marked to be quoted",
                        type(exc).__name__, exc)
            return FundingPlan(items=[], to_be_quoted=True)
        return FundingPlan(items=items, to_be_quoted=False)
