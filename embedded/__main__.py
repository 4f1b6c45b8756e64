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
    args = parser.parse_args()

    import uvicorn

    from embedded.app import create_embedded_app, migrate_all, service_settings
    from embedded.demo import load_demo_data

    settings = service_settings(args.var_dir, host=args.host, port=args.port)
    configure_logging(settings["directory"].log_level)
    migrate_all(settings)

    async def on_started(apps):
        if not args.no_demo:
            await load_demo_data(apps, settings["directory"])
        base = f"http://{args.host}:{args.port}"
        print("\nForeign-expert platform, embedded: all five services in this process", flush=True)
        for name in apps:
            print(f"  {name:<10} {base}/{name}/docs", flush=True)
        print(f"  entry-exit bureau simulator (webhook receiver): {base}/entry-exit/docs", flush=True)
        print("  a token:   make token ROLE=bureau_officer   (then: Authorization: Bearer <token>)", flush=True)

    app = create_embedded_app(args.var_dir, settings=settings, on_started=on_started)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
