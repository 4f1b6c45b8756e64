"""`make run` builds the console when missing or stale and says so; without Node it still starts the APIs."""

from __future__ import annotations

import subprocess

from embedded.console import HASH_FILE, build_enabled, prepare, source_hash, staleness


def _sources(tmp_path):
    console = tmp_path / "console"
    (console / "src").mkdir(parents=True)
    (console / "node_modules").mkdir()
    for name in ("package.json", "package-lock.json", "index.html"):
        (console / name).write_text(name)
    (console / "src" / "main.tsx").write_text("render()")
    return console


def _fake_build(calls):
    def run(argv, cwd):
        calls.append(argv)
        (cwd / "dist").mkdir(exist_ok=True)
        (cwd / "dist" / "index.html").write_text("<!doctype html>")
        return subprocess.CompletedProcess(argv, 0, "", "")
    return run


def test_missing_then_built_then_stale_after_a_source_changes(tmp_path):
    console, said, calls = _sources(tmp_path), [], []
    assert staleness(console) == "missing"
    assert prepare(console, out=said.append, run=_fake_build(calls), npm=lambda: True)
    assert calls[-1] == ["npm", "run", "build"]
    assert (console / "dist" / HASH_FILE).read_text().strip() == source_hash(console)
    assert staleness(console) is None
    assert any("building the console" in line for line in said)

    calls.clear()
    assert prepare(console, out=said.append, run=_fake_build(calls), npm=lambda: True)
    assert calls == []  # of today's sources: not built again

    (console / "src" / "main.tsx").write_text("render(<App />)")
    assert staleness(console) == "stale"
    (console / "src" / "new.ts").write_text("")
    assert prepare(console, out=said.append, run=_fake_build(calls), npm=lambda: True) and calls


def test_without_node_the_apis_start_and_the_message_says_how_to_get_the_console(tmp_path):
    console, said = _sources(tmp_path), []
    assert prepare(console, out=said.append, run=_fake_build([]), npm=lambda: False) is False
    assert any("no node/npm" in line and "make console" in line for line in said)


def test_a_failed_build_is_said_and_does_not_stop_the_apis(tmp_path):
    console, said = _sources(tmp_path), []

    def failing(argv, cwd):
        return subprocess.CompletedProcess(argv, 2, "", "error TS2304: Cannot find name 'x'")

    assert prepare(console, out=said.append, run=failing, npm=lambda: True) is False
    assert any("TS2304" in line for line in said)


def test_the_build_is_off_by_flag_or_environment():
    assert build_enabled(False, {}) and not build_enabled(True, {})
    assert not build_enabled(False, {"EMBEDDED_CONSOLE_BUILD": "0"})
    assert build_enabled(False, {"EMBEDDED_CONSOLE_BUILD": "1"})
