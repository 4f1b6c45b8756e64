"""Where a partner-agency webhook may point: public addresses only, https in production (SSRF guard).

With the guard's default settings every non-public address is refused, and so is every IPv6 form that
carries a non-public IPv4 address (mapped, compatible, NAT64, 6to4, Teredo). The two exceptions are
explicit: CIDRs of a private partner network (production) and exact URL prefixes (development only).
"""

from __future__ import annotations

import ipaddress

import pytest
from pydantic import ValidationError

from embedded.app import entry_exit_simulator_urls, service_settings
from services.permits.settings import PermitsSettings
from shared.errors import Unprocessable
from shared.webhooks import address_refusal, check_target, embedded_ipv4, target_allowed

pytestmark = pytest.mark.unit

PRODUCTION = dict(environment="production", bus="rabbitmq", jwt_secret="x" * 48,
                  database_url="postgresql+asyncpg://db/permits")


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
    ("::", "private"),
    ("100.64.0.1", "not globally routable"),
    ("224.0.0.1", "not globally routable"),
])
def test_non_public_addresses_are_refused(address, reason):
    assert address_refusal(address) == reason


def nat64_local(ipv4: str, prefix_length: int) -> str:
    """``ipv4`` embedded under 64:ff9b:1::/``prefix_length`` the way RFC 6052 §2.2 places it (bits 64-71 zero)."""
    octets = bytearray(ipaddress.IPv6Address("64:ff9b:1::").packed)
    positions = [i for i in range(prefix_length // 8, 16) if i != 8][:4]
    for position, value in zip(positions, ipaddress.IPv4Address(ipv4).packed, strict=True):
        octets[position] = value
    return str(ipaddress.IPv6Address(bytes(octets)))


def teredo(client: str, server: str = "65.54.227.120") -> str:
    """A Teredo address (RFC 4380): 2001:0::/32, the server's IPv4, flags, port, the client's IPv4 inverted."""
    value = (0x20010000 << 96) | (int(ipaddress.IPv4Address(server)) << 64) | (0x8000 << 48) | (0x63BF << 32)
    return str(ipaddress.IPv6Address(value | (int(ipaddress.IPv4Address(client)) ^ 0xFFFFFFFF)))


def six_to_four(ipv4: str) -> str:
    """A host of the 6to4 network (RFC 3056) of ``ipv4``: 2002:<the IPv4 address>::1."""
    return str(ipaddress.IPv6Address((0x2002 << 112) | (int(ipaddress.IPv4Address(ipv4)) << 80) | 1))


EMBEDDED_FORMS = {
    "IPv4-mapped": lambda v4: f"::ffff:{v4}",
    "IPv4-compatible": lambda v4: f"::{v4}",
    "NAT64 64:ff9b::/96": lambda v4: f"64:ff9b::{v4}",
    "NAT64 64:ff9b:1::/48 (as /96)": lambda v4: f"64:ff9b:1::{v4}",
    "NAT64 64:ff9b:1::/48 (as /48)": lambda v4: nat64_local(v4, 48),
    "NAT64 64:ff9b:1::/48 (as /56)": lambda v4: nat64_local(v4, 56),
    "NAT64 64:ff9b:1::/48 (as /64)": lambda v4: nat64_local(v4, 64),
    "6to4 2002::/16": lambda v4: six_to_four(v4),
    "Teredo 2001::/32 (client)": teredo,
}
NON_PUBLIC_IPV4 = {
    "loopback": "127.0.0.1",
    "private 10/8": "10.1.2.3",
    "private 172.16/12": "172.16.0.5",
    "private 192.168/16": "192.168.1.10",
    "link-local (cloud metadata)": "169.254.169.254",
    "shared 100.64/10": "100.64.0.1",
    "unspecified": "0.0.0.0",
    "multicast": "224.0.0.1",
    "broadcast": "255.255.255.255",
}


@pytest.mark.parametrize("form", EMBEDDED_FORMS)
@pytest.mark.parametrize("kind", NON_PUBLIC_IPV4)
def test_every_ipv6_form_carrying_a_non_public_ipv4_is_refused_by_default(form, kind):
    ipv4 = NON_PUBLIC_IPV4[kind]
    address = EMBEDDED_FORMS[form](ipv4)
    if ipaddress.ip_address(address) != ipaddress.IPv6Address("::"):  # ::0.0.0.0 is the unspecified address
        assert ipaddress.IPv4Address(ipv4) in [v4 for _, v4 in embedded_ipv4(ipaddress.ip_address(address))], address

    assert address_refusal(address) is not None, address
    with pytest.raises(Unprocessable) as caught:
        check_target("https://partner.example/hooks", addresses={address}, require_https=True)
    assert caught.value.extensions == {"field": "url", "address": address}


def test_the_teredo_client_is_read_inverted_from_the_last_32_bits():
    assert embedded_ipv4(ipaddress.ip_address("2001:0:4136:e378:8000:63bf:f5ff:fffe"))[0] == (
        "Teredo client", ipaddress.IPv4Address("10.0.0.1"))


def test_the_reason_names_the_form_and_the_embedded_address():
    assert address_refusal("64:ff9b::a00:1") == "private (NAT64 of 10.0.0.1)"
    assert address_refusal("2002:7f00:1::1") == "loopback (6to4 of 127.0.0.1)"
    assert address_refusal("::10.0.0.1") == "private (IPv4-compatible of 10.0.0.1)"


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8",
                                     "64:ff9b::808:808", "2002:808:808::1"])
def test_public_addresses_are_allowed(address):
    # NAT64 and 6to4 of a public IPv4 are how IPv6-only networks reach public endpoints: not refused.
    assert address_refusal(address) is None


@pytest.mark.parametrize("address", ["::8.8.8.8", "64:ff9b:1::808:808"])
def test_deprecated_and_local_use_forms_are_refused_even_around_a_public_ipv4(address):
    assert address_refusal(address).startswith("not globally routable")


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    with pytest.raises(Unprocessable) as caught:
        check_target("https://partner.example/hooks", addresses={"93.184.215.14", "10.0.0.7"}, require_https=True)

    assert caught.value.extensions == {"field": "url", "address": "10.0.0.7"}


def test_https_is_required_when_asked():
    with pytest.raises(Unprocessable):
        check_target("http://partner.example/x", addresses={"93.184.215.14"}, require_https=True)
    check_target("http://partner.example/x", addresses={"93.184.215.14"}, require_https=False)


def test_credentials_in_the_url_are_refused():
    with pytest.raises(Unprocessable):
        check_target("https://user:pw@partner.example/x", addresses={"93.184.215.14"}, require_https=True)


# -- the operator's exceptions ------------------------------------------------------------------

EXTRANET = [ipaddress.ip_network("10.20.0.0/16"), ipaddress.ip_network("fd00:20::/32")]


@pytest.mark.parametrize("address", ["10.20.3.4", "::ffff:10.20.3.4", "fd00:20::5"])
def test_an_address_inside_an_allowed_cidr_is_accepted(address):
    check_target("https://hooks.egov.example/x", addresses={address}, require_https=True, allowed_networks=EXTRANET)


@pytest.mark.parametrize("address", ["10.21.0.1", "127.0.0.1", "169.254.169.254", "64:ff9b::a15:1", "fd00:21::1"])
def test_a_private_address_outside_the_allowed_cidrs_is_still_refused(address):
    with pytest.raises(Unprocessable):
        check_target("https://hooks.egov.example/x", addresses={address}, require_https=True,
                     allowed_networks=EXTRANET)


SIMULATOR = ["http://127.0.0.1:8000/entry-exit/"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/entry-exit/webhooks", "http://127.0.0.1:8000/entry-exit/"])
def test_an_allowed_target_is_accepted_whatever_it_resolves_to(url):
    check_target(url, addresses={"127.0.0.1"}, require_https=False, allowed_targets=SIMULATOR)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8001/entry-exit/webhooks",        # another port: another service
    "http://127.0.0.1:8000/intake/v1/applications",     # another path on the same port
    "http://127.0.0.1:8000/entry-exitx/webhooks",       # not on a segment boundary
    "http://127.0.0.1:8000/entry-exit/../intake/v1",    # climbing out of the prefix
    "http://127.0.0.1:8000/entry-exit/%2e%2e/intake/v1",
    "https://127.0.0.1:8000/entry-exit/webhooks",       # another scheme
    "http://10.0.0.1:8000/entry-exit/webhooks",         # another host
])
def test_anything_but_the_allowed_target_is_judged_by_its_address(url):
    assert not target_allowed(url, SIMULATOR)
    with pytest.raises(Unprocessable):
        check_target(url, addresses={"127.0.0.1"}, require_https=False, allowed_targets=SIMULATOR)


def test_the_allowed_cidrs_are_a_production_setting_and_empty_by_default():
    assert PermitsSettings().webhook_allowed_cidrs == []
    assert PermitsSettings().webhook_allowed_targets == []
    settings = PermitsSettings(**PRODUCTION, webhook_allowed_cidrs=["10.20.0.0/16"])
    assert settings.webhook_allowed_cidrs == [ipaddress.ip_network("10.20.0.0/16")]
    with pytest.raises(ValidationError):
        PermitsSettings(webhook_allowed_cidrs=["10.20.0.0/33"])


def test_production_refuses_allowed_targets():
    with pytest.raises(ValidationError, match="development only"):
        PermitsSettings(**PRODUCTION, webhook_allowed_targets=SIMULATOR)
    assert PermitsSettings(environment="development", webhook_allowed_targets=SIMULATOR).webhook_allowed_targets


def test_the_embedded_platform_allows_exactly_its_mounted_simulator(tmp_path):
    permits = service_settings(tmp_path, port=8123)["permits"]

    assert permits.webhook_allowed_targets == entry_exit_simulator_urls(port=8123)
    assert permits.webhook_allowed_targets == ["http://127.0.0.1:8123/entry-exit/", "http://localhost:8123/entry-exit/"]
    assert permits.webhook_allowed_cidrs == []
    assert not hasattr(permits, "webhook_allow_private_urls")
