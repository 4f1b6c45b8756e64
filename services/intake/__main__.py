"""`python -m services.intake migrate|serve|relay|consume`."""

from services.intake.app import MIGRATIONS_DIR, create_app
from services.intake.settings import IntakeSettings
from shared.cli import run_service_cli

if __name__ == "__main__":
    run_service_cli(settings_class=IntakeSettings, create_app=create_app, migrations_dir=MIGRATIONS_DIR)
