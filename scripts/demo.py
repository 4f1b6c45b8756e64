"""``make demo``: one application from catalogue entry to the committee's approval, through the public REST API.

    make demo                              starts the embedded platform itself (SQLite, embedded bus) on a
                                           free port, runs the flow, stops it
    make demo URL=http://127.0.0.1:8000    against a running platform: `make run`, or the multi-process
                                           gateway (docker compose)
    python scripts/demo.py --service intake=http://... --service review=http://...   one URL per service

Every step prints what it sent and what came back. Tokens are development tokens from the local issuer
(JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE as `make token` reads them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from services.directory.employers.domain import CREDIT_CODE_CHARSET, credit_code_check_character  # noqa: E402
from shared.auth import issue_token  # noqa: E402
from shared.settings import DEV_JWT_SECRET  # noqa: E402

SERVICES = ("directory", "intake", "review", "subsidy", "permits")
SEATS = ("expert", "organization", "development_reform", "science_technology", "industry")


class DemoFailed(Exception):
    """A step did not answer as the flow needs; the message says which and what came back."""


def token(role: str, org: str | None = None, *, subject: str | None = None) -> dict[str, str]:
    value = issue_token(
        secret=os.environ.get("JWT_SECRET", DEV_JWT_SECRET),
        issuer=os.environ.get("JWT_ISSUER", "https://auth.platform.local"),
        audience=os.environ.get("JWT_AUDIENCE", "foreign-expert-platform"),
        subject=subject or f"demo-{role}", roles=[role], organisation=org, ttl_seconds=3600)
    return {"Authorization": f"Bearer {value}"}


def credit_code(rng: random.Random) -> str:
    """A valid unified social credit code (GB 32100-2015), so directory accepts the demo employer."""
    body = "91" + "110108" + "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(9))
    return body + credit_code_check_character(body)


class Flow:
    """The selection flow (R-CATALOGUE .. R-COMMITTEE) over one client per service."""

    def __init__(self, clients: dict[str, httpx.AsyncClient], *, say: Callable[[str], None] = print,
                 timeout: float = 60.0) -> None:
        self.clients = clients
        self.say = say
        self.timeout = timeout
        self.step = 0
        self.officer = token("bureau_officer", subject="demo-bureau-officer")

    async def call(self, service: str, method: str, path: str, *, headers: dict, expect: int | tuple = 200,
                   json: dict | None = None, note: str | None = None, quiet: bool = False) -> httpx.Response:
        response = await self.clients[service].request(method, path, json=json, headers=headers)
        expected = (expect,) if isinstance(expect, int) else expect
        if not quiet:
            self.say(f"       {method} {path} -> {response.status_code}" + (f"  {note}" if note else ""))
        if response.status_code not in expected:
            raise DemoFailed(f"{method} {path}: expected {expected}, got {response.status_code}: {response.text}")
        return response

    def title(self, text: str) -> None:
        self.step += 1
        self.say(f"\n[{self.step:2}] {text}")

    async def until(self, what: str, probe: Callable[[], Awaitable]):
        """Poll ``probe`` until it returns something truthy: events travel asynchronously."""
        deadline = time.monotonic() + self.timeout
        started = time.monotonic()
        while time.monotonic() < deadline:
            result = await probe()
            if result:
                self.say(f"       ... {what} after {time.monotonic() - started:.2f}s")
                return result
            await asyncio.sleep(0.1)
        raise DemoFailed(f"timed out after {self.timeout}s waiting for {what}")

    async def run(self) -> dict:
        rng = random.Random()
        run_id = uuid.uuid4().hex[:6]
        officer = self.officer

        self.title("R-FIELD: the taxonomy of focus areas, fields and zones (public)")
        taxonomy = (await self.call("directory", "GET", "/directory/v1/taxonomy", headers={})).json()
        self.say(f"       {len(taxonomy['focus_areas'])} focus areas, {len(taxonomy['zones'])} zones")

        self.title("A bureau officer registers the employer (a municipal state-owned unit in Haidian)")
        employer = (await self.call("directory", "POST", "/directory/v1/employers", headers=officer, expect=201, json={
            "name": f"Zhongguancun Photonics Institute {run_id}", "credit_code": credit_code(rng),
            "district": "haidian", "competent_department": None, "municipal_state_owned": True,
        })).json()
        employer_id = employer["id"]
        self.say(f"       employer {employer_id}")

        self.title("R-CATALOGUE: the officer drafts a catalogue edition, adds an entry and publishes it")
        edition = (await self.call("directory", "POST", "/directory/v1/catalogue-editions", headers=officer,
                                   expect=201, json={"title": f"Introduction catalogue {run_id}",
                                                     "valid_from": "2024-01-01", "valid_until": "2030-12-31"})).json()
        entry = (await self.call("directory", "POST", f"/directory/v1/catalogue-editions/{edition['id']}/entries",
                                 headers=officer, expect=201, json={
                                     "focus_area": "strategic_emerging_industries", "field": "new_generation_it",
                                     "zone": "zgc_science_city", "demand": "Photonic chip design for data centres",
                                     "number_sought": 3})).json()
        await self.call("directory", "POST", f"/directory/v1/catalogue-editions/{edition['id']}/publish",
                        headers=officer, note="CatalogueEntryPublished")
        public = (await self.call("directory", "GET", f"/directory/v1/catalogue-entries/{entry['id']}",
                                  headers={})).json()
        self.say(f"       entry {entry['id']}: {public['field']} in {public['zone']}, {public['status']}")

        employer_auth = token("employer", employer_id, subject=f"hr-{run_id}")
        reviewer_auth = token("preliminary_reviewer", "district:haidian", subject=f"haidian-bureau-{run_id}")

        self.title("Intake learns the employer and the entry from directory's events")

        async def employer_known():
            r = await self.clients["intake"].get(f"/intake/v1/employers/{employer_id}", headers=officer)
            return r.status_code == 200
        await self.until("employer replicated into intake", employer_known)

        self.title("R-APPLY: the employer drafts the application, with a peer recommendation")
        body = {
            "catalogue_entry_id": entry["id"],
            "candidate": {"name": "Ada Example", "nationality": "GB", "passport_number": f"K{rng.randrange(10**7):07d}",
                          "date_of_birth": "1975-04-02", "field": "Integrated photonics",
                          "achievements": "Led the design of three generations of silicon photonic transceivers.",
                          "current_post": "Principal engineer, Example Photonics Ltd"},
            "position": "Chief scientist, photonics laboratory",
            "contract": {"start": "2025-01-01", "end": "2027-12-31", "annual_salary": "850000.00"},
            "track": "haiju_long_term",
            "intent_date": "2024-11-15",
        }

        async def drafted():
            r = await self.clients["intake"].post("/intake/v1/applications", json=body, headers=employer_auth)
            if r.status_code == 422 and "catalogue_entry_id" in r.text:
                return None  # the published entry has not reached intake yet
            if r.status_code != 201:
                raise DemoFailed(f"POST /intake/v1/applications: {r.status_code} {r.text}")
            return r
        created = await self.until("catalogue entry replicated; draft created", drafted)
        application = created.json()
        app_id = application["id"]
        self.say(f"       POST /intake/v1/applications -> 201  application {app_id}, state {application['state']}")
        await self.call("intake", "POST", f"/intake/v1/applications/{app_id}/recommendations",
                        headers=employer_auth, expect=201, json={
                            "recommender_name": "Prof. Grace Peer", "title": "Professor of Electrical Engineering",
                            "institution": "Example Institute of Technology", "relation": "Former collaborator",
                            "statement": "An outstanding engineer, widely recognised in the field."})

        self.title("The employer submits; the application goes to the Haidian district bureau")
        r = await self.call("intake", "POST", f"/intake/v1/applications/{app_id}/submit", headers=employer_auth)
        self.say(f"       state {r.json()['state']}, reviewer {r.json()['preliminary_reviewer']}")

        self.title("Preliminary review (初审): the bureau returns it for correction")
        r = await self.call("intake", "POST", f"/intake/v1/applications/{app_id}/preliminary-review",
                            headers=reviewer_auth, json={"outcome": "return",
                                                         "reason": "State the laboratory the expert will lead."})
        self.say(f"       state {r.json()['state']}")

        self.title("The employer corrects the returned application (If-Match) and resubmits")
        current = await self.call("intake", "GET", f"/intake/v1/applications/{app_id}", headers=employer_auth)
        etag = current.headers["etag"]
        await self.call("intake", "PATCH", f"/intake/v1/applications/{app_id}",
                        headers={**employer_auth, "If-Match": etag},
                        json={"position": "Chief scientist, integrated photonics laboratory (Haidian campus)"},
                        note=f"If-Match {etag}")
        r = await self.call("intake", "POST", f"/intake/v1/applications/{app_id}/submit", headers=employer_auth)
        self.say(f"       state {r.json()['state']}, submission {r.json()['submissions']}")

        self.title("Preliminary review passes; the bureau's formal review (形式审查) passes")
        r = await self.call("intake", "POST", f"/intake/v1/applications/{app_id}/preliminary-review",
                            headers=reviewer_auth, json={"outcome": "pass", "reason": "Complete, within the catalogue."})
        self.say(f"       state {r.json()['state']}")
        r = await self.call("intake", "POST", f"/intake/v1/applications/{app_id}/formal-review", headers=officer,
                            json={"outcome": "pass", "reason": "Complete.", "checklist": {
                                "application_form": True, "passport_copy": True, "contract_terms": True,
                                "peer_recommendation": True, "intent_record": True, "catalogue_entry": True}},
                            note="FormalReviewPassed")
        self.say(f"       state {r.json()['state']}")

        self.title("Review receives the case from FormalReviewPassed")

        async def case_known():
            r = await self.clients["review"].get(f"/review/v1/cases/{app_id}", headers=officer)
            return r.json() if r.status_code == 200 else None
        case = await self.until("case awaiting a sitting in review", case_known)
        self.say(f"       case state {case['state']}")

        self.title("R-COMMITTEE: the roster, one member per seat type and a second expert")
        members: dict[str, dict] = {}
        for seat, name in [(s, s) for s in SEATS] + [("expert", "expert-2")]:
            subject = f"{name}-{run_id}"
            r = await self.call("review", "POST", "/review/v1/committee-members", headers=officer, expect=201,
                                json={"subject": subject, "name": f"Member {name}", "seat_type": seat},
                                note=f"{seat}")
            members[subject] = r.json()

        self.title("The officer convenes a sitting with the case on its agenda and records attendance")
        sitting = (await self.call("review", "POST", "/review/v1/sittings", headers=officer, expect=201, json={
            "held_on": "2024-12-10", "member_ids": [m["id"] for m in members.values()],
            "application_ids": [app_id]})).json()
        sitting_id = sitting["id"]
        r = await self.call("review", "POST", f"/review/v1/sittings/{sitting_id}/attendance", headers=officer,
                            json={"present_member_ids": [m["id"] for m in members.values()]})
        self.say(f"       sitting {sitting_id}: {len(members)} present, missing seat types: "
                 f"{r.json()['missing_seat_types'] or 'none'}")

        case_path = f"/review/v1/sittings/{sitting_id}/cases/{app_id}"
        recused = f"expert-2-{run_id}"
        against = f"industry-{run_id}"
        self.title(f"{recused} declares a conflict of interest; it neither scores nor votes")
        await self.call("review", "POST", f"{case_path}/conflicts", headers=token("committee_member", subject=recused),
                        expect=201, json={"reason": "Co-authored two papers with the candidate."})
        refused = await self.call("review", "POST", f"{case_path}/votes", expect=409,
                                  headers=token("committee_member", subject=recused), json={"approve": True})
        self.say(f"       its vote is refused: state {refused.json()['state']!r}")

        self.title("The other five members score the R-ELIG criteria (0-10) and vote")
        for subject in members:
            if subject == recused:
                continue
            member = token("committee_member", subject=subject)
            sheet = {"achievements": 9, "renown": 8, "recognition": 8, "need": 9}
            await self.call("review", "POST", f"{case_path}/scores", headers=member, expect=201, json=sheet,
                            quiet=True)
            await self.call("review", "POST", f"{case_path}/votes", headers=member, expect=201,
                            json={"approve": subject != against}, quiet=True)
            self.say(f"       {subject}: scored {sheet}, votes {'for' if subject != against else 'against'}")

        self.title("The officer records the decision; review asks subsidy for the funding plan")
        decision = (await self.call("review", "POST", f"{case_path}/decision", headers=officer, expect=201,
                                    json={}, note="ApplicationApproved")).json()
        self.say(f"       outcome {decision['outcome']}: {decision['votes_for']} for, {decision['votes_against']} "
                 f"against, {decision['recused']} recused (majority of the non-recused)")
        plan = decision["funding_plan"]
        if plan["to_be_quoted"]:
            self.say("       funding plan: to be quoted (subsidy did not answer in time)")
        for item in plan["items"]:
            self.say(f"       funding plan: {item['code']} ({item['article']}) {item['estimated_yearly_amount']} a year")
        if decision["wage_bill_note"]:
            self.say(f"       {decision['wage_bill_note']}")
        again = await self.call("review", "POST", f"{case_path}/decision", headers=officer, expect=409, json={})
        self.say(f"       a second decision is refused: state {again.json()['state']!r}")

        self.title("The decision flows back: intake shows the employer the outcome")

        async def intake_decided():
            r = await self.clients["intake"].get(f"/intake/v1/applications/{app_id}", headers=employer_auth)
            return r.json() if r.status_code == 200 and r.json()["state"] == "approved" else None
        shown = await self.until("intake shows the approval", intake_decided)
        self.say(f"       application {app_id}: state {shown['state']}, decision {shown.get('decision')}")

        self.title("Subsidy opened the entitlement from ApplicationApproved")

        async def entitled():
            r = await self.clients["subsidy"].get("/subsidy/v1/entitlements",
                                                  params={"expert_id": case["expert_id"]}, headers=officer)
            return r.json()["items"] if r.status_code == 200 and r.json()["items"] else None
        [entitlement] = await self.until("entitlement opened", entitled)
        self.say(f"       entitlement {entitlement['id']}: {entitlement['track']}, status {entitlement['status']}")

        self.say("\nDone: catalogue entry -> application -> returned and resubmitted -> preliminary and formal "
                 "review -> committee sitting with one recusal -> approved.")
        return {"application_id": app_id, "sitting_id": sitting_id, "decision": decision, "intake": shown,
                "entitlement": entitlement, "employer_id": employer_id}


async def drive(urls: dict[str, str], *, timeout: float = 60.0) -> dict:
    clients = {name: httpx.AsyncClient(base_url=url, timeout=30) for name, url in urls.items()}
    try:
        return await Flow(clients, timeout=timeout).run()
    finally:
        for client in clients.values():
            await client.aclose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_embedded(var_dir: Path) -> tuple[subprocess.Popen, str]:
    """The embedded platform in a child process on a free port; review quotes subsidy on the same port."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "REVIEW_SUBSIDY_URL": base, "LOG_LEVEL": "WARNING"}
    log = open(var_dir / "embedded.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "embedded", "--port", str(port), "--var-dir", str(var_dir),
                             "--no-demo"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DemoFailed(f"the embedded platform exited with {proc.returncode}; see {var_dir / 'embedded.log'}")
        try:
            if all(httpx.get(f"{base}/{s}/readyz", timeout=1).status_code == 200 for s in SERVICES):
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise DemoFailed("the embedded platform was not ready after 60s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make demo [URL=http://...]", description=__doc__.split("\n")[0])
    parser.add_argument("url", nargs="?", default=os.environ.get("URL") or None,
                        help="base URL of a running platform (make run, or the gateway); default: start one")
    parser.add_argument("--service", action="append", default=[], metavar="NAME=URL",
                        help="the URL of one service, for services on separate ports without a gateway")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each event to travel")
    args = parser.parse_args(argv)

    proc = None
    tmp = None
    try:
        if args.service:
            urls = dict(s.split("=", 1) for s in args.service)
            missing = [s for s in SERVICES if s not in urls and s != "permits"]
            if missing:
                parser.error(f"--service needs a URL for: {', '.join(missing)}")
        else:
            base = args.url
            if not base:
                tmp = tempfile.TemporaryDirectory(prefix="platform-demo-")
                print("Starting the embedded platform (SQLite, embedded bus) ...", flush=True)
                proc, base = start_embedded(Path(tmp.name))
                print(f"Embedded platform on {base} (data in {tmp.name})", flush=True)
            urls = {s: base.rstrip("/") for s in SERVICES}
        print("Services: " + ", ".join(f"{k} {v}" for k, v in sorted(urls.items())), flush=True)
        asyncio.run(drive(urls, timeout=args.timeout))
        return 0
    except DemoFailed as exc:
        print(f"\nDEMO FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
