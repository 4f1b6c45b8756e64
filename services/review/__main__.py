"""`python -m services.review migrate|serve|relay|consume`."""

from services.review.app import MIGRATIONS_DIR, create_app
from services.review.settings import ReviewSettings
from shared.cli import run_service_cli

if __name__ == "__main__":
    run_service_cli(settings_class=ReviewSettings, create_app=create_app, migrations_dir=MIGRATIONS_DIR)
