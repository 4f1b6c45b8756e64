"""`python -m services.subsidy migrate|serve|relay|consume`."""

from services.subsidy.app import MIGRATIONS_DIR, create_app
from services.subsidy.settings import SubsidySettings
from shared.cli import run_service_cli

if __name__ == "__main__":
    run_service_cli(settings_class=SubsidySettings, create_app=create_app, migrations_dir=MIGRATIONS_DIR)
