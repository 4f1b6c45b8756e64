"""``python -m simulators.finance``: the municipal finance simulator on port 8101."""

from __future__ import annotations

import argparse


def main() -> None:
    from simulators.finance.app import create_app
    from simulators.finance.settings import FinanceSimulatorSettings

    settings = FinanceSimulatorSettings()
    parser = argparse.ArgumentParser(prog="python -m simulators.finance")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args()

    import uvicorn

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_config=None, access_log=False)


if __name__ == "__main__":
    main()
