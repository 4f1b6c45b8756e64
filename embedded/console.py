"""The console in the embedded platform: built when missing or stale, served at ``/console/``, configured by settings.

``python -m embedded`` calls ``prepare`` before serving; ``python -m embedded.console`` (``make console``) builds
it whatever its state. The gateway of a deployment serves the same ``console/dist`` (deploy/nginx.conf).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

CONSOLE_DIR = Path(__file__).resolve().parent.parent / "console"
HASH_FILE = ".source-hash"
"""In ``dist/``: the ``source_hash`` of the sources it was built from (written by ``build``)."""
SOURCE_FILES = ("package.json", "package-lock.json", "index.html")
SOURCE_PATTERNS = ("vite.config.*", "tsconfig*.json")
SOURCE_TREES = ("src", "public")
INSTALLED_MARK = Path("node_modules") / ".installed"
"""Touched after ``npm ci`` (as scripts/console.sh does): the install is as new as this, not as its directory."""

IMMUTABLE = "public, max-age=31536000, immutable"
"""Vite names every file under ``assets/`` by a hash of its content: a new build is new names, never new bytes."""
REVALIDATE = "no-cache"
"""``index.html`` (and every other unhashed file) is asked again each time, so a new build is seen at once."""

BUILD_HELP = "install Node 20 and npm, then `make console` (npm ci && npm run build in console/)"


class ConsoleSettings(BaseSettings):
    """How the console signs its users in (``/console/config.json``): env ``CONSOLE_OIDC_*``."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore", env_file=None)

    oidc_authority: str = ""
    """The OpenID provider (its issuer URL). Empty: the development sign-in of the local issuer."""
    oidc_client_id: str = ""
    oidc_scope: str = "openid profile"

    @model_validator(mode="after")
    def _client_of_the_authority(self) -> "ConsoleSettings":
        if self.oidc_authority and not self.oidc_client_id:
            raise ValueError("CONSOLE_OIDC_CLIENT_ID must be set with CONSOLE_OIDC_AUTHORITY")
        return self


def console_config(settings: ConsoleSettings, *, development: bool) -> dict:
    """``/console/config.json``: OpenID Connect (authorization code with PKCE) when a provider is configured, the
    local issuer's sign-in page otherwise, which only development offers (the directory refuses it elsewhere)."""
    if settings.oidc_authority:
        return {"sign_in": "oidc", "oidc": {"authority": settings.oidc_authority,
                                            "client_id": settings.oidc_client_id, "scope": settings.oidc_scope}}
    if not development:
        raise ValueError("CONSOLE_OIDC_AUTHORITY and CONSOLE_OIDC_CLIENT_ID must be set outside development")
    return {"sign_in": "local"}



def source_files(console_dir: Path) -> list[Path]:
    """What a build is made from, in a stable order (``node_modules`` and ``dist`` are not sources)."""
    found = {console_dir / name for name in SOURCE_FILES}
    for pattern in SOURCE_PATTERNS:
        found.update(console_dir.glob(pattern))
    for tree in SOURCE_TREES:
        found.update(path for path in (console_dir / tree).rglob("*") if path.is_file())
    return sorted((path for path in found if path.is_file()), key=lambda path: path.relative_to(console_dir).as_posix())


def source_hash(console_dir: Path) -> str:
    """SHA-256 over the sources' paths and contents: another file, a renamed one or a changed byte changes it."""
    digest = hashlib.sha256()
    for path in source_files(console_dir):
        name = path.relative_to(console_dir).as_posix().encode()
        content = path.read_bytes()
        digest.update(b"%d:%s%d:" % (len(name), name, len(content)))
        digest.update(content)
    return digest.hexdigest()


def staleness(console_dir: Path, dist: Path | None = None) -> str | None:
    """Why ``dist`` must be built again (``"missing"``, ``"stale"``), or None when it is of the sources today."""
    dist = dist or console_dir / "dist"
    if not (dist / "index.html").is_file():
        return "missing"
    stamp = dist / HASH_FILE
    if not stamp.is_file() or stamp.read_text().strip() != source_hash(console_dir):
        return "stale"
    return None


def needs_install(console_dir: Path) -> bool:
    """``npm ci`` is due: ``node_modules`` is missing, or older than ``package-lock.json``."""
    modules = console_dir / "node_modules"
    if not modules.is_dir():
        return True
    mark = console_dir / INSTALLED_MARK
    installed = (mark if mark.is_file() else modules).stat().st_mtime
    return (console_dir / "package-lock.json").stat().st_mtime > installed



class ConsoleBuildFailed(Exception):
    """A step of the build failed; the message holds the end of its output."""


Run = Callable[[list[str], Path], subprocess.CompletedProcess]


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)


def npm_available() -> bool:
    return shutil.which("node") is not None and shutil.which("npm") is not None


def build(console_dir: Path = CONSOLE_DIR, *, out: Callable[[str], None] = print, run: Run = _run) -> float:
    """``npm ci`` (when due) and ``npm run build``, then the sources' hash into ``dist/``; the seconds it took.
    Says what it does on ``out``. ``ConsoleBuildFailed`` with the end of the failing step's output."""
    started = time.monotonic()
    install = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    steps = [("npm ci", install)] if needs_install(console_dir) else []
    steps.append(("npm run build", ["npm", "run", "build"]))
    out(f"  building the console ... ({' && '.join(name for name, _ in steps)}) in {console_dir}")
    source = source_hash(console_dir)  # of what the build reads: a file changed meanwhile is seen next time
    for name, argv in steps:
        result = run(argv, console_dir)
        if result.returncode != 0:
            tail = "\n".join(f"    {line}" for line in (result.stdout + result.stderr).strip().splitlines()[-25:])
            raise ConsoleBuildFailed(f"`{name}` failed (exit {result.returncode}):\n{tail}")
        if name == "npm ci":
            (console_dir / INSTALLED_MARK).touch()
    (console_dir / "dist" / HASH_FILE).write_text(source + "\n")
    took = time.monotonic() - started
    out(f"  console built in {took:.1f} s: {console_dir / 'dist'}")
    return took


def prepare(console_dir: Path = CONSOLE_DIR, *, enabled: bool = True, out: Callable[[str], None] = print,
            run: Run = _run, npm: Callable[[], bool] = npm_available) -> bool:
    """Before the platform serves: build the console when missing or stale (``enabled``), say so, and never stop the
    APIs from starting. True when ``dist`` holds a console to serve (perhaps a stale one, which is said)."""
    if not (console_dir / "package.json").is_file():
        out(f"  console: no sources at {console_dir}; the APIs start without it")
        return False
    reason = staleness(console_dir)
    if reason is None:
        return True
    if not enabled:
        out(f"  console: {reason} in {console_dir / 'dist'}, not built (--no-console-build / "
            f"EMBEDDED_CONSOLE_BUILD=0): `make console` builds it")
        return reason == "stale"
    if not npm():
        out(f"  console: {reason}, and no node/npm here; the APIs start without it. To get the console: {BUILD_HELP}")
        return reason == "stale"
    try:
        build(console_dir, out=out, run=run)
    except (ConsoleBuildFailed, OSError) as exc:
        out(f"  console: the build failed, the APIs start without it ({BUILD_HELP}):\n{exc}")
        return reason == "stale" and (console_dir / "dist" / "index.html").is_file()
    return True


def build_enabled(flag_off: bool, environ: dict[str, str] | None = None) -> bool:
    """The build before serving is on unless ``--no-console-build`` or ``EMBEDDED_CONSOLE_BUILD=0``."""
    value = (environ if environ is not None else os.environ).get("EMBEDDED_CONSOLE_BUILD", "1").strip().lower()
    return not flag_off and value not in ("0", "false", "no", "off")



def not_built_response(dist: Path, accept: str) -> Response:
    """What ``/console/`` answers while there is no build: how to make one (HTML for a browser, else a problem)."""
    detail = f"the console is not built ({dist} has no index.html): {BUILD_HELP}, or restart `make run`"
    if "text/html" in accept:
        page = (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Console not built</title></head>"
            "<body><main><h1>The console is not built yet</h1>"
            f"<p>{escape(str(dist))} has no <code>index.html</code>.</p>"
            "<p>Install Node 20 and npm, then run <code>make console</code> (<code>npm ci &amp;&amp; npm run build"
            "</code> in <code>console/</code>), or restart <code>make run</code>, which builds it when Node is "
            "there.</p><p>The REST APIs are served meanwhile: <a href=\"/\">/</a>, "
            "<a href=\"/openapi.json\">/openapi.json</a>.</p></main></body></html>")
        return HTMLResponse(page, status_code=503, headers={"Cache-Control": "no-store", "Retry-After": "60"})
    return JSONResponse({"type": "https://platform.local/problems/console-not-built", "title": "Console not built",
                         "status": 503, "detail": detail}, status_code=503, media_type="application/problem+json",
                        headers={"Cache-Control": "no-store", "Retry-After": "60"})


class ConsoleFiles(StaticFiles):
    """``dist`` under ``/console/``: hashed assets cached for a year, everything else revalidated, and every path that
    is not a file answers ``index.html`` (the console's router owns the paths under ``/console/``).

    A missing file under ``assets/`` stays a 404: a page of an older build asking for a script gone since must
    not be handed HTML in its place."""

    def __init__(self, dist: Path) -> None:
        super().__init__(directory=dist, check_dir=False)
        self.dist = dist

    async def check_config(self) -> None:
        """No check at the first request: a missing build is answered by ``not_built_response``, and a build made
        while the platform runs is served from then on."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not (self.dist / "index.html").is_file():
            headers = dict((k.decode().lower(), v.decode()) for k, v in scope.get("headers", []))
            return not_built_response(self.dist, headers.get("accept", ""))
        try:
            response = await super().get_response(path, scope)
            served = path
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            if path.startswith("assets/"):
                return JSONResponse({"type": "https://platform.local/problems/404", "title": "Not found",
                                     "status": 404, "detail": f"no file /console/{path} in this build"},
                                    status_code=404, media_type="application/problem+json")
            response = await super().get_response("index.html", scope)
            served = "index.html"
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE if served.startswith("assets/") else REVALIDATE
        return response


@dataclass(frozen=True)
class ConsoleSite:
    """Where the console's build is and what ``config.json`` says: what the embedded app needs to serve it."""

    dist: Path
    config: dict


def main(argv: list[str] | None = None) -> int:
    """``python -m embedded.console`` (``make console``): npm ci (when due) and the build, whatever dist's state."""
    parser = argparse.ArgumentParser(prog="python -m embedded.console", description=main.__doc__)
    parser.add_argument("--if-stale", action="store_true", help="build only when dist is missing or stale")
    args = parser.parse_args(argv)
    if not npm_available():
        print(f"console: no node/npm here: {BUILD_HELP}", file=sys.stderr)
        return 1
    if args.if_stale and staleness(CONSOLE_DIR) is None:
        print(f"console: {CONSOLE_DIR / 'dist'} is of today's sources")
        return 0
    try:
        build(CONSOLE_DIR)
    except ConsoleBuildFailed as exc:
        print(f"console: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
