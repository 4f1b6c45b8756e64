"""Where a partner-agency webhook may point: public addresses only, https in production (SSRF guard)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.permits.domain import check_webhook_target, webhook_address_refusal
from services.permits.settings import PermitsSettings
from shared.errors import Unprocessable

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),
    ("10.0.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.0.1", "private"),
    ("169.254.169.254", "private"),
    ("fd12:3456::1", "private"),
    ("fe80::1%eth0", "private"),
    ("0.0.0.0", "private"),
    ("100.64.0.1", "not globally routable"),
    ("224.0.0.1", "not globally routable"),
])
def test_non_public_addresses_are_refused(address, reason):
    assert webhook_address_refusal(address) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert webhook_address_refusal(address) is None


def target(**overrides) -> None:
    arguments = dict(scheme="https", has_credentials=False, addresses={"93.184.215.14"}, allow_private=False,
                     require_https=True)
    arguments.update(overrides)
    check_webhook_target(**arguments)


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    with pytest.raises(Unprocessable) as caught:
        target(addresses={"93.184.215.14", "10.0.0.7"})

    assert caught.value.extensions == {"field": "url", "address": "10.0.0.7"}


def test_allow_private_admits_loopback_for_the_local_simulator():
    target(scheme="http", addresses={"127.0.0.1"}, allow_private=True, require_https=False)


def test_https_is_required_when_asked():
    with pytest.raises(Unprocessable):
        target(scheme="http")
    target(scheme="http", require_https=False)


def test_credentials_in_the_url_are_refused():
    with pytest.raises(Unprocessable):
        target(has_credentials=True)


def test_production_refuses_the_private_url_setting():
    with pytest.raises(ValidationError, match="development only"):
        PermitsSettings(environment="production", bus="rabbitmq", jwt_secret="x" * 48, database_url="postgresql+asyncpg://db/permits",
                       webhook_allow_private_urls=True)
    assert PermitsSettings(environment="development", webhook_allow_private_urls=True).webhook_allow_private_urls
