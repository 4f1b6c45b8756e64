"""`python -m services.subsidy migrate|serve|relay|consume|annual-run`."""

import sys

from services.subsidy.app import MIGRATIONS_DIR, create_app
from services.subsidy.settings import SubsidySettings
from shared.cli import run_service_cli

if __name__ == "__main__":
    if sys.argv[1:2] == ["annual-run"]:
        from services.subsidy.cli import annual_run_main

        sys.exit(annual_run_main(sys.argv[2:]))
    run_service_cli(settings_class=SubsidySettings, create_app=create_app, migrations_dir=MIGRATIONS_DIR)
