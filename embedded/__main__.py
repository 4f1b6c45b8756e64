"""``python -m embedded``: migrate, then serve all five services on http://127.0.0.1:8000."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from shared.observability import configure_logging


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded")
    parser.add_argument("--host", default=os.environ.get("EMBEDDED_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("EMBEDDED_PORT", "8000")))
    parser.add_argument("--var-dir", type=Path, default=Path(os.environ.get("EMBEDDED_VAR_DIR", "var")))
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data set")
    parser.add_argument("--no-console-build", action="store_true",
                        help="serve console/dist as it is, without building it when missing or stale "
                             "(also EMBEDDED_CONSOLE_BUILD=0)")
    args = parser.parse_args()

    import uvicorn

    from embedded.app import create_embedded_app, migrate_all, service_settings
    from embedded.console import (
        BUILD_HELP, CONSOLE_DIR, ConsoleSettings, ConsoleSite, build_enabled, console_config, prepare,
    )
    from embedded.demo import load_demo_data

    settings = service_settings(args.var_dir, host=args.host, port=args.port)
    configure_logging(settings["directory"].log_level)
    migrate_all(settings)
    # The console's build: made here when missing or stale (Node and npm on the machine), never a reason for the
    # APIs not to start; /console/ says how to build it while there is none.
    console_ready = prepare(CONSOLE_DIR, enabled=build_enabled(args.no_console_build))
    console = ConsoleSite(dist=CONSOLE_DIR / "dist", config=console_config(ConsoleSettings(), development=True))

    async def on_started(apps):
        if not args.no_demo:
            await load_demo_data(apps, settings["directory"])
        base = f"http://{args.host}:{args.port}"
        print("\nForeign-expert platform, embedded: all five services in this process", flush=True)
        if console_ready:
            print(f"  console    {base}/console/", flush=True)
        else:
            print(f"  console    not built: {BUILD_HELP} ({base}/console/ says so meanwhile)", flush=True)
        print(f"  openapi    {base}/openapi.json (the five services in one document)", flush=True)
        for name in apps:
            print(f"  {name:<10} {base}/{name}/docs", flush=True)
        print(f"  entry-exit bureau simulator (webhook receiver): {base}/entry-exit/docs", flush=True)
        print("  a token:   make token ROLE=bureau_officer   (then: Authorization: Bearer <token>)", flush=True)

    app = create_embedded_app(args.var_dir, settings=settings, on_started=on_started, console=console)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
