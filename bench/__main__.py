"""``python -m bench [names...] [--quick] [-p key=value ...] [--output PATH] [--list]``."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
import traceback
from pathlib import Path

from bench import machine
from bench.registry import Options, Progress, load_all
from bench.report import render, write_json

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "latest.json"


def parse_args(argv: list[str] | None, names: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmarks of the platform.")
    parser.add_argument("names", nargs="*", metavar="name", help=f"benchmarks to run (default: all): {', '.join(names)}")
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke check")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                        help="a benchmark parameter override (see each module's docstring)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"results file (default {DEFAULT_OUTPUT})")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in names]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}")
    for item in args.param:
        if "=" not in item:
            parser.error(f"--param wants KEY=VALUE, got {item!r}")
    return args


async def run(args: argparse.Namespace, registry) -> int:
    from tests.support import infra

    selected = args.names or list(registry)
    params = dict(item.split("=", 1) for item in args.param)
    options = Options(quick=args.quick, params=params)
    started = time.monotonic()
    document = {
        "machine": machine.describe(),
        "servers": await machine.server_versions(infra.DATABASE_URL_BASE, infra.AMQP_URL),
        "quick": args.quick,
        "params": params,
        "benchmarks": {},
    }
    m = document["machine"]
    print(f"bench: {', '.join(selected)}{' (quick)' if args.quick else ''} on {m['nproc']} CPU(s) "
          f"{m['cpu_model']}, {m['memory_gib']} GiB, Python {m['python']}, "
          f"PostgreSQL {document['servers']['postgresql']}, RabbitMQ {document['servers']['rabbitmq']}", flush=True)
    load = m.get("load_average_at_start")
    if load and m.get("nproc") and load[0] > 0.5 * m["nproc"]:
        print(f"bench: warning: load average {load[0]} on {m['nproc']} CPU(s) before starting; "
              "other work on this machine will skew the figures", flush=True)
    tables = []
    failures = 0
    for name in selected:
        bench = registry[name]
        progress = Progress(name, started)
        began = time.monotonic()
        try:
            outcome = await bench.run(options, progress)
        except Exception as exc:
            failures += 1
            traceback.print_exc()
            progress(f"FAILED: {type(exc).__name__}: {exc}")
            document["benchmarks"][name] = {
                "status": "error", "error": f"{type(exc).__name__}: {exc}",
                "seconds": round(time.monotonic() - began, 1),
            }
            continue
        document["benchmarks"][name] = {
            "status": "ok", "description": bench.description,
            "seconds": round(time.monotonic() - began, 1), "figures": outcome.figures,
        }
        tables.extend(outcome.tables)
    document["duration_seconds"] = round(time.monotonic() - started, 1)
    document["machine"]["load_average_at_end"] = machine.load_average()
    print()
    for table in tables:
        print(render(table))
        print()
    write_json(args.output, document)
    print(f"bench: {document['duration_seconds']} s in all; figures in {args.output}", flush=True)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    registry = load_all()
    args = parse_args(argv, list(registry))
    if args.list:
        for bench in registry.values():
            print(f"{bench.name:20} {bench.description}")
        return 0
    # SIGTERM (a killed `make bench`) unwinds like Ctrl-C, so every benchmark's finally stops
    # its service processes and drops its databases.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return asyncio.run(run(args, registry))
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
