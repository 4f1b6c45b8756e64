"""`python -m services.permits migrate|serve|relay|consume`."""

from services.permits.app import MIGRATIONS_DIR, create_app
from services.permits.settings import PermitsSettings
from shared.cli import run_service_cli

if __name__ == "__main__":
    run_service_cli(settings_class=PermitsSettings, create_app=create_app, migrations_dir=MIGRATIONS_DIR)
