"""The passport vault (shared/passports.py: AES-GCM, versioned keys, keyed hash), its settings in intake and
directory, and the ISO 3166 list."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from cryptography.exceptions import InvalidTag
from pydantic import ValidationError

from services.intake.applications.countries import ISO_3166_ALPHA_2
from services.intake.applications.domain import catalogue_entry_problem, preliminary_reviewer_of, today_in_beijing
from services.intake.adapters.passports import ASSOCIATED_DATA, PassportVault, mask, normalise
from services.directory.settings import DirectorySettings
from services.intake.settings import IntakeSettings

pytestmark = pytest.mark.unit

KEY_1, KEY_2, HASH_KEY = b"1" * 32, b"2" * 32, b"h" * 32


def vault(current=1, keys=None, hash_key=HASH_KEY) -> PassportVault:
    return PassportVault(keys=keys or {1: KEY_1, 2: KEY_2}, current_version=current, hash_key=hash_key,
                         associated_data=ASSOCIATED_DATA)


def test_sealed_number_opens_again_and_does_not_contain_the_plaintext():
    sealed = vault().seal("K1234567")
    assert b"K1234567" not in sealed.ciphertext
    assert vault().open(sealed.key_version, sealed.ciphertext) == "K1234567"


def test_each_seal_uses_a_fresh_nonce_but_the_lookup_hash_is_stable():
    a, b = vault().seal("K1234567"), vault().seal("k 123-4567")
    assert a.ciphertext != b.ciphertext
    assert a.lookup_hash == b.lookup_hash == vault().lookup_hash("K1234567")


def test_the_lookup_hash_is_keyed():
    assert vault().lookup_hash("K1234567") != vault(hash_key=b"x" * 32).lookup_hash("K1234567")


def test_key_rotation_new_numbers_take_the_new_version_old_ones_still_open():
    old = vault(current=1).seal("K1234567")
    new = vault(current=2).seal("K1234567")
    assert (old.key_version, new.key_version) == (1, 2)
    assert vault(current=2).open(1, old.ciphertext) == "K1234567"
    with pytest.raises(LookupError):
        vault(current=2, keys={2: KEY_2}).open(1, old.ciphertext)


def test_tampered_ciphertext_is_refused():
    sealed = vault().seal("K1234567")
    with pytest.raises(InvalidTag):
        vault().open(1, sealed.ciphertext[:-1] + bytes([sealed.ciphertext[-1] ^ 1]))


def test_mask_and_normalise():
    assert mask("K1234567") == "******67"
    assert normalise(" e9876-5432 ") == "E98765432"


def test_vault_refuses_a_missing_current_version_and_short_keys():
    with pytest.raises(ValueError):
        vault(current=3)
    with pytest.raises(ValueError):
        PassportVault(keys={1: b"short"}, current_version=1, hash_key=HASH_KEY, associated_data=ASSOCIATED_DATA)


SERVICES_WITH_PASSPORTS = [IntakeSettings, DirectorySettings]
"""Every service that keeps passport numbers, each with its own ring in shared/passports.py's settings."""


@pytest.mark.parametrize("settings_class", SERVICES_WITH_PASSPORTS)
def test_production_refuses_the_development_passport_keys(settings_class):
    common = {"environment": "production", "bus": "rabbitmq", "jwt_secret": "s" * 40, "database_url": "postgresql+asyncpg://db/i"}
    prefix = settings_class.env_prefix()
    with pytest.raises(ValidationError, match=f"{prefix}PASSPORT_KEYS"):
        settings_class(**common)
    real_keys = json.dumps({"1": base64.b64encode(KEY_1).decode(), "2": base64.b64encode(KEY_2).decode()})
    with pytest.raises(ValidationError, match=f"{prefix}PASSPORT_HASH_KEY"):
        settings_class(**common, passport_keys=real_keys)
    settings = settings_class(**common, passport_keys=real_keys, passport_key_version=2,
                              passport_hash_key=base64.b64encode(HASH_KEY).decode())
    assert settings.passport_vault().seal("K1").key_version == 2
    assert settings.passport_vault() is settings.passport_vault()  # read once per settings object


@pytest.mark.parametrize("settings_class", SERVICES_WITH_PASSPORTS)
def test_malformed_passport_keys_are_refused_at_start(settings_class):
    with pytest.raises(ValidationError):
        settings_class(passport_keys="not json")
    with pytest.raises(ValidationError):
        settings_class(passport_key_version=9)
    with pytest.raises(ValidationError):
        settings_class(passport_hash_key="%%%")


def test_directory_and_intake_seal_with_their_own_keys_one_opens_none_of_the_others():
    intake, directory = IntakeSettings().passport_vault(), DirectorySettings().passport_vault()
    from_intake, from_directory = intake.seal("K1234567"), directory.seal("K1234567")
    assert intake.open(1, from_intake.ciphertext) == directory.open(1, from_directory.ciphertext) == "K1234567"
    for vault_, ciphertext in ((directory, from_intake.ciphertext), (intake, from_directory.ciphertext)):
        with pytest.raises(InvalidTag):
            vault_.open(1, ciphertext)
    assert from_intake.lookup_hash != from_directory.lookup_hash  # a hash from one service finds nothing in the other


def test_the_same_keys_under_another_associated_data_do_not_open():
    sealed = vault().seal("K1234567")
    other = PassportVault(keys={1: KEY_1, 2: KEY_2}, current_version=1, hash_key=HASH_KEY,
                          associated_data=b"directory/passport-number/v1")
    with pytest.raises(InvalidTag):
        other.open(1, sealed.ciphertext)


def test_iso_3166_alpha_2_has_the_249_assigned_codes():
    assert len(ISO_3166_ALPHA_2) == 249
    assert {"CN", "GB", "US", "DE", "SS", "XK"} & ISO_3166_ALPHA_2 == {"CN", "GB", "US", "DE", "SS"}


def test_r_apply_routing_competent_department_else_district_bureau():
    assert preliminary_reviewer_of(district="haidian", competent_department_name=None) == "district:haidian"
    assert preliminary_reviewer_of(district="haidian", competent_department_name="Municipal Education Commission") \
        == "department:Municipal Education Commission"


def test_r_catalogue_entry_must_be_published_unwithdrawn_and_valid_on_the_submission_date():
    entry = SimpleNamespace(published_at=datetime(2024, 1, 1), withdrawn_at=None, withdrawal_reason=None,
                            valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31))
    assert catalogue_entry_problem(entry, date(2024, 1, 1)) is None
    assert catalogue_entry_problem(entry, date(2024, 12, 31)) is None
    assert "expired" in catalogue_entry_problem(entry, date(2025, 1, 1))
    assert "not yet" in catalogue_entry_problem(entry, date(2023, 12, 31))
    assert "withdrawn" in catalogue_entry_problem(SimpleNamespace(**{**vars(entry), "withdrawn_at": datetime(2024, 5, 1),
                                                                     "withdrawal_reason": "met"}), date(2024, 6, 1))
    assert "no published" in catalogue_entry_problem(None, date(2024, 6, 1))


def test_submission_date_is_the_beijing_date():
    assert today_in_beijing(datetime.fromisoformat("2024-12-31T16:30:00+00:00")) == date(2025, 1, 1)
