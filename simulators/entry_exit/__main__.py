"""``python -m simulators.entry_exit``: the entry-exit bureau simulator on port 8102."""

from __future__ import annotations

import argparse


def main() -> None:
    from simulators.entry_exit.app import create_app
    from simulators.entry_exit.settings import EntryExitSimulatorSettings

    settings = EntryExitSimulatorSettings()
    parser = argparse.ArgumentParser(prog="python -m simulators.entry_exit")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args()

    import uvicorn

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
