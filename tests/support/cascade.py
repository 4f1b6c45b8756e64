"""The whole platform as separate processes for the revocation cascade (R-SUPERVISE): the five services on
PostgreSQL and RabbitMQ, the finance simulator (subsidy's payments) and the entry-exit simulator (permits'
partner webhooks), and the selection flow driven over their HTTP APIs."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import httpx

from services.permits.domain import add_years
from shared.webhooks import generate_secret
from tests.support import infra
from tests.support.infra import REPO
from tests.support.processes import ServiceProcess, migrate, service_env
from tests.support.tokens import auth

SERVICES = ("directory", "intake", "review", "subsidy", "permits")
OFFICER = auth("bureau_officer", subject="officer-li")
OTHER_OFFICER = auth("bureau_officer", subject="officer-wang")
SEATS = ("expert", "organization", "development_reform", "science_technology", "industry")
CONTRACT = {"start": "2025-01-01", "end": "2029-12-31", "annual_salary": "850000.00"}
"""Long enough for a work permit issued today (at least 2 years, R-PERMIT) and a claim for 2025."""
FINANCE_SECRET = "cascade-finance-callback-secret-" + "0123456789" * 3


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Simulator:
    """``python -m simulators.<name> --port``, configured by environment variables."""

    def __init__(self, module: str, *, env: dict[str, str], health: str, log_dir: Path) -> None:
        self.module, self.env, self.port = module, env, free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.health = health
        self.log_path = log_dir / f"{module.rsplit('.', 1)[-1]}-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module, "--port", str(self.port)], cwd=REPO,
            env={**os.environ, **self.env}, stdout=open(self.log_path, "ab"), stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.module} exited; see {self.log_path}")
            try:
                if httpx.get(self.base_url + self.health, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.module} not ready; see {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class CascadePlatform:
    def __init__(self, tmp_path: Path, urls: dict[str, str], namespace: str) -> None:
        self.urls, self.namespace = urls, namespace
        self.ports = {s: free_port() for s in SERVICES}
        base = {s: f"http://127.0.0.1:{p}" for s, p in self.ports.items()}
        self.webhook_secret = generate_secret()
        self.finance = Simulator("simulators.finance", health="/finance/healthz", log_dir=tmp_path, env={
            "FINANCE_SIM_LATENCY_SECONDS": "0.01", "FINANCE_SIM_SETTLE_DELAY_SECONDS": "0.2",
            "FINANCE_SIM_CALLBACK_URL": f"{base['subsidy']}/subsidy/v1/finance/callbacks",
            "FINANCE_SIM_CALLBACK_SECRET": FINANCE_SECRET})
        self.entry_exit = Simulator("simulators.entry_exit", health="/entry-exit/healthz", log_dir=tmp_path, env={
            "ENTRY_EXIT_SIM_WEBHOOK_SECRETS": json.dumps([self.webhook_secret]),
            "ENTRY_EXIT_SIM_STATE_PATH": str(tmp_path / "entry-exit-received.jsonl")})
        extra = {
            "review": {"subsidy_url": base["subsidy"]},
            "subsidy": {"finance_base_url": self.finance.base_url, "finance_callback_secret": FINANCE_SECRET,
                        "finance_timeout_seconds": "2",
                        "finance_backoff_seconds": "0.05", "disbursement_lease_seconds": "2",
                        "disbursement_status_poll_after_seconds": "2"},
            "permits": {"webhook_allowed_cidrs": json.dumps(["127.0.0.1/32"]), "webhook_poll_seconds": "0.1",
                        "webhook_retry_schedule_seconds": json.dumps([0.2, 0.5] + [1.0] * 30),
                        "webhook_retry_jitter": "0.1"},
        }
        self.procs = {
            s: ServiceProcess(s, service_env(s, database_url=urls[s], amqp_url=infra.AMQP_URL, namespace=namespace,
                                             **extra.get(s, {})), port=self.ports[s], log_dir=tmp_path)
            for s in SERVICES
        }
        self.http = httpx.AsyncClient(timeout=15)

    async def start(self, *, migrate_first: bool = True) -> None:
        if migrate_first:  # the deployment's prestart step (`python -m services.<name> migrate`)
            await asyncio.gather(*(asyncio.to_thread(migrate, s, p.env) for s, p in self.procs.items()))
        self.finance.start()
        self.entry_exit.start()
        for proc in self.procs.values():
            proc.start()
        for waiter in [self.finance.wait_ready, self.entry_exit.wait_ready,
                       *[(lambda p=p: p.wait_ready(120)) for p in self.procs.values()]]:
            await asyncio.to_thread(waiter)

    async def close(self) -> None:
        await self.http.aclose()
        for proc in self.procs.values():
            proc.stop()
        self.finance.stop()
        self.entry_exit.stop()

    def url(self, service: str, path: str) -> str:
        return f"{self.procs[service].base_url}/{service}/v1{path}"

    async def call(self, service: str, method: str, path: str, *, headers: dict = OFFICER, expect=(200, 201),
                   **kwargs) -> dict:
        response = await self.http.request(method, self.url(service, path), headers=headers, **kwargs)
        expected = (expect,) if isinstance(expect, int) else expect
        assert response.status_code in expected, f"{method} {service}{path}: {response.status_code} {response.text}"
        return response.json() if response.content else {}

    async def get(self, service: str, path: str, *, headers: dict = OFFICER, **params) -> httpx.Response:
        return await self.http.get(self.url(service, path), headers=headers, params=params)

    async def until(self, probe, *, timeout: float = 30, what: str = "condition"):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = await probe()
            except (httpx.HTTPError, AssertionError, KeyError, ValueError) as exc:
                last = exc
            if last and not isinstance(last, Exception):
                return last
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")

    # ------------------------------------------------------------------ the flow over HTTP

    async def approve(self) -> dict:
        """R-APPLY .. R-COMMITTEE over the APIs: one approved application; returns its ids and auths."""
        rng = random.Random()
        run = uuid.uuid4().hex[:6]
        employer = await self.call("directory", "POST", "/employers", json={
            "name": f"Zhongguancun Photonics {run}", "credit_code": _credit_code(rng), "district": "haidian",
            "competent_department": None, "municipal_state_owned": False})
        edition = await self.call("directory", "POST", "/catalogue-editions", json={
            "title": f"Catalogue {run}", "valid_from": "2024-01-01", "valid_until": "2030-12-31"})
        entry = await self.call("directory", "POST", f"/catalogue-editions/{edition['id']}/entries", json={
            "focus_area": "strategic_emerging_industries", "field": "new_generation_it", "zone": "zgc_science_city",
            "demand": "Photonic chip design", "number_sought": 3})
        await self.call("directory", "POST", f"/catalogue-editions/{edition['id']}/publish")
        employer_auth = auth("employer", employer["id"], subject=f"hr-{run}")
        reviewer = auth("preliminary_reviewer", "district:haidian", subject=f"haidian-{run}")
        body = {
            "catalogue_entry_id": entry["id"],
            "candidate": {"name": "Ada Example", "nationality": "GB", "passport_number": f"K{rng.randrange(10**7):07d}",
                          "date_of_birth": "1975-04-02", "field": "Integrated photonics",
                          "achievements": "Led three generations of photonic transceivers.",
                          "current_post": "Principal engineer"},
            "position": "Chief scientist", "contract": CONTRACT, "track": "haiju_long_term",
            "intent_date": "2024-11-15",
        }

        async def drafted():
            r = await self.http.post(self.url("intake", "/applications"), json=body, headers=employer_auth)
            return r.json() if r.status_code == 201 else None
        application = await self.until(drafted, what="employer and entry replicated; draft created")
        app_id = application["id"]
        await self.call("intake", "POST", f"/applications/{app_id}/recommendations", headers=employer_auth, json={
            "recommender_name": "Prof. Grace Peer", "title": "Professor", "institution": "Example Institute",
            "relation": "Former collaborator", "statement": "Outstanding."})
        await self.call("intake", "POST", f"/applications/{app_id}/submit", headers=employer_auth)
        await self.call("intake", "POST", f"/applications/{app_id}/preliminary-review", headers=reviewer,
                        json={"outcome": "pass", "reason": "Complete."})
        await self.call("intake", "POST", f"/applications/{app_id}/formal-review", json={
            "outcome": "pass", "reason": "Complete.", "checklist": {
                "application_form": True, "passport_copy": True, "contract_terms": True, "peer_recommendation": True,
                "intent_record": True, "catalogue_entry": True}})

        async def case_known():
            r = await self.get("review", f"/cases/{app_id}")
            return r.json() if r.status_code == 200 else None
        case = await self.until(case_known, what="case in review")
        members = [await self.call("review", "POST", "/committee-members", json={
            "subject": f"{seat}-{run}", "name": f"Member {seat}", "seat_type": seat}) for seat in SEATS]
        sitting = await self.call("review", "POST", "/sittings", json={
            "held_on": "2024-12-10", "member_ids": [m["id"] for m in members], "application_ids": [app_id]})
        await self.call("review", "POST", f"/sittings/{sitting['id']}/attendance",
                        json={"present_member_ids": [m["id"] for m in members]})
        case_path = f"/sittings/{sitting['id']}/cases/{app_id}"
        for member in members:
            as_member = auth("committee_member", subject=member["subject"])
            await self.call("review", "POST", f"{case_path}/scores", headers=as_member,
                            json={"achievements": 9, "renown": 8, "recognition": 8, "need": 9})
            await self.call("review", "POST", f"{case_path}/votes", headers=as_member, json={"approve": True})
        decision = await self.call("review", "POST", f"{case_path}/decision", json={})
        assert decision["outcome"] == "approved", decision
        return {"application_id": app_id, "expert_id": case["expert_id"], "employer_id": employer["id"],
                "employer_auth": employer_auth}

    async def entitlement(self, expert_id: str) -> dict:
        async def opened():
            items = (await self.get("subsidy", "/entitlements", expert_id=expert_id)).json()["items"]
            return items[0] if items else None
        return await self.until(opened, what="entitlement opened")

    async def pay(self, selected: dict, *, amount: str) -> dict:
        """A 2025 claim granted, then a disbursement of ``amount`` instructed to finance."""
        entitlement = await self.entitlement(selected["expert_id"])
        await self.call("subsidy", "POST", f"/entitlements/{entitlement['id']}/claims", json={
            "track": "haiju_long_term", "period_end": "2025-12-31", "evidence_reference": "payroll-2025",
            "salary_paid": "600000.00", "medical_premium_paid": "18000.00", "thousand_talents_salary_subsidy": False,
            "salary_funded_by_municipal_finance": False, "contract_fulfilled": True}, expect=(201, 409))
        return await self.call("subsidy", "POST", f"/entitlements/{entitlement['id']}/disbursements",
                               json={"funding_year": 2025, "amount": amount})

    async def disbursement(self, disbursement_id: str) -> dict:
        return (await self.get("subsidy", f"/disbursements/{disbursement_id}")).json()

    async def subscribe_partner(self) -> dict:
        """The entry-exit bureau subscribes to revocations and reinstatements (signed webhooks)."""
        body = {"url": f"{self.entry_exit.base_url}/entry-exit/webhooks",
                "event_types": ["PermitRevocationRequested", "PermitCaseReinstated"], "description": "entry-exit"}
        subscription = await self.call("permits", "POST", "/webhook-subscriptions", json=body)
        await self.http.post(f"{self.entry_exit.base_url}/entry-exit/control",
                             json={"secrets": [subscription["secret"]]})
        return subscription

    async def permits(self, selected: dict) -> dict:
        """A work permit issued and a work-type residence permit filed and submitted, in the case approval opened."""
        async def case():
            items = (await self.get("permits", "/cases", application_id=selected["application_id"])).json()["items"]
            return items[0] if items else None
        opened = await self.until(case, what="green-channel case opened")
        start = date.today()
        applications = {}
        for kind in ("work_permit", "work_residence_permit"):
            applications[kind] = await self.call("permits", "POST", f"/cases/{opened['id']}/applications", json={
                "kind": kind, "valid_from": start.isoformat(), "valid_until": add_years(start, 3).isoformat(),
                "entry_visa": "Z"})
            await self.call("permits", "POST", f"/permit-applications/{applications[kind]['id']}/submit", json={})
        await self.call("permits", "POST", f"/permit-applications/{applications['work_permit']['id']}/issue",
                        json={"permit_number": "WP-2026-0001"})
        return {"case": opened, **applications}

    async def case(self, case_id: str) -> dict:
        return (await self.get("permits", f"/cases/{case_id}")).json()

    async def report_breach(self, selected: dict, *, attributable_to: str = "expert",
                            breach_date: str = "2026-03-01") -> dict:
        reported = await self.call("review", "POST", f"/selections/{selected['application_id']}/breaches",
                                   headers=selected["employer_auth"], json={
                                       "breach_date": breach_date, "facts": "left Beijing and stopped working",
                                       "attributable_to": attributable_to})
        return await self.call("review", "POST", f"/breaches/{reported['id']}/confirm", headers=OTHER_OFFICER,
                               json={})

    async def withdraw_breach(self, breach_id: str) -> dict:
        return await self.call("review", "POST", f"/breaches/{breach_id}/withdraw",
                               json={"reason": "the absence was authorised sick leave"})

    async def received(self) -> dict:
        return (await self.http.get(f"{self.entry_exit.base_url}/entry-exit/received")).json()

    async def payments(self) -> list[dict]:
        return (await self.http.get(f"{self.finance.base_url}/finance/v1/payments")).json()

    async def finance_control(self, **body) -> None:
        response = await self.http.post(f"{self.finance.base_url}/finance/control", json=body)
        assert response.status_code == 200, response.text

    async def expert(self, expert_id: str) -> dict:
        return (await self.get("directory", f"/experts/{expert_id}")).json()

    async def timeline(self, expert_id: str) -> list[dict]:
        items, cursor = [], None
        while True:
            r = await self.get("directory", f"/experts/{expert_id}/timeline", limit=200,
                               **({"cursor": cursor} if cursor else {}))
            if r.status_code == 404:
                return []
            body = r.json()
            items += body["items"]
            cursor = body["next_cursor"]
            if not cursor:
                return items

    async def unsent(self) -> dict[str, int]:
        """Each service's outbox rows not yet confirmed by the broker (a refused publish stays there)."""
        admin = auth("admin", subject="admin-1")
        return {s: (await self.get(s, "/admin/outbox", headers=admin)).json()["unsent"] for s in SERVICES}

    async def application(self, selected: dict) -> dict:
        return (await self.get("intake", f"/applications/{selected['application_id']}",
                               headers=selected["employer_auth"])).json()


def _credit_code(rng: random.Random) -> str:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from demo import credit_code
    finally:
        sys.path.pop(0)
    return credit_code(rng)


async def cascade_platform(tmp_path: Path):
    await infra.check_rabbit()
    namespace = f"c{uuid.uuid4().hex[:8]}."
    # Databases copied from this session's migrated templates: the prestart step is shown by the other
    # multi-process tests; here the four cascades would only pay five interpreter starts each for it.
    urls = await infra.create_migrated_databases({s: REPO / "services" / s / "migrations" for s in SERVICES})
    platform = CascadePlatform(tmp_path, urls, namespace)
    try:
        await platform.start(migrate_first=False)
        yield platform
    finally:
        await platform.close()
        await infra.drop_databases(urls)
        await infra.delete_namespace(namespace)
