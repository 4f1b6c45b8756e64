"""`python -m services.directory migrate|serve|relay|consume`."""

from services.directory.app import MIGRATIONS_DIR, create_app
from services.directory.settings import DirectorySettings
from shared.cli import run_service_cli

if __name__ == "__main__":
    run_service_cli(settings_class=DirectorySettings, create_app=create_app, migrations_dir=MIGRATIONS_DIR)
