"""``python -m chaos [--events N] [--rate R] [--broker-restarts N] [--consumer-kills N] [--output PATH]``.

Exits 1 when an event was lost or an effect duplicated (or the platform did not converge).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "latest.json"


def main(argv: list[str] | None = None) -> int:
    from bench import machine
    from bench.report import render, write_json
    from chaos.run import Scenario, run, table

    defaults = Scenario()
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=defaults.events)
    parser.add_argument("--rate", type=float, default=defaults.rate, help="events committed per second")
    parser.add_argument("--broker-restarts", type=int, default=defaults.broker_restarts)
    parser.add_argument("--consumer-kills", type=int, default=defaults.consumer_kills)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    scenario = Scenario(events=args.events, rate=args.rate, broker_restarts=args.broker_restarts,
                        consumer_kills=args.consumer_kills)
    signal.signal(signal.SIGTERM, _interrupt)  # unwind: stop the services, drop the databases
    document = {"machine": machine.describe()}
    try:
        result = asyncio.run(run(scenario))
    except KeyboardInterrupt:
        print("chaos: interrupted", file=sys.stderr)
        return 130
    document["machine"]["load_average_at_end"] = machine.load_average()
    document["chaos"] = result
    print()
    print(render(table(result)))
    write_json(args.output, document)
    totals = result["totals"]
    ok = result["converged"] and totals["lost"] == 0 and totals["duplicated"] == 0 and totals["unexpected"] == 0
    print(f"chaos: {'PASS' if ok else 'FAIL'}: lost={totals['lost']} duplicated={totals['duplicated']} "
          f"unexpected={totals['unexpected']}; figures in {args.output}", flush=True)
    return 0 if ok else 1


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
