"""The capture guard's decisions, without any network: names are resolved by stubs.

These tests run without CAPTURE_ALLOWED_LOOPBACK, as production does, and never fetch:
every spelling of a private, local or public address is judged by check_url alone.
"""

import ipaddress

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from claims.evidence.archiving import (
    CaptureRefused,
    HostNotFound,
    check_url,
    loopback_allowance,
    parse_ipv4,
    refusal_reason,
)

PUBLIC = ipaddress.ip_address("93.184.215.14")


def no_dns(host, port):
    raise AssertionError(f"{host} is an address literal and must not be resolved")


def resolves_to(*addresses):
    def resolve(host, port):
        return [ipaddress.ip_address(address) for address in addresses]

    return resolve


def test_the_loopback_allowance_is_empty_by_default():
    # Production settings do not define the allowance at all; only tests set it.
    assert not hasattr(settings, "CAPTURE_ALLOWED_LOOPBACK")
    assert loopback_allowance() == set()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8000/admin/",
        "http://127.1/",  # short form
        "http://127.0.1/",
        "http://2130706433/",  # decimal integer
        "http://0x7f000001/",  # hex integer
        "http://0X7F000001/",
        "http://0x7f.0x0.0x0.0x1/",  # hex parts
        "http://0177.0.0.1/",  # octal
        "http://0177.1/",
        "http://017700000001/",  # octal integer
        "http://127.0.0.1./",  # trailing dot
        "http://[::1]/",  # IPv6 loopback in brackets
        "http://[0:0:0:0:0:0:0:1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
        "http://[::ffff:7f00:1]/",
        "http://0.0.0.0/",  # unspecified
        "http://0/",
        "http://[::]/",
        "http://10.0.0.1/",  # private
        "http://10.255.255.255/",
        "http://167772161/",  # 10.0.0.1 as an integer
        "http://172.16.0.1/",
        "http://172.31.255.254/",
        "http://192.168.1.1/",
        "http://0xc0a80101/",  # 192.168.1.1 in hex
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://2852039166/",  # 169.254.169.254 as an integer
        "http://0xa9fea9fe/",
        "http://0251.0376.0251.0376/",  # 169.254.169.254 in octal
        "http://[fe80::1]/",  # IPv6 link-local
        "http://[fe80::1%25eth0]/",  # with a zone id
        "http://[fc00::1]/",  # unique-local
        "http://[fd12:3456:789a::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://100.127.255.254/",
        "http://224.0.0.1/",  # multicast
        "http://239.255.255.250/",
        "http://[ff02::1]/",
        "http://240.0.0.1/",  # reserved
        "http://255.255.255.255/",
        "http://192.0.2.1/",  # documentation ranges
        "http://198.18.0.1/",  # benchmarking
        "http://[2001:db8::1]/",
        "http://[2002:7f00:1::]/",  # 6to4 carrying 127.0.0.1
        "http://[2002:a00:1::]/",  # 6to4 carrying 10.0.0.1
        "http://[64:ff9b::7f00:1]/",  # NAT64 carrying 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 carrying 169.254.169.254
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo
        "HTTP://127.0.0.1/",  # scheme case
    ],
)
def test_non_public_addresses_are_refused_in_every_spelling(url):
    with pytest.raises(CaptureRefused, match="Refused"):
        check_url(url, resolve=no_dns)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("localhost", "127.0.0.1"),
        ("localhost.", "127.0.0.1"),  # trailing dot, resolver sees "localhost"
        ("LOCALHOST", "127.0.0.1"),
        ("internal.example", "10.1.2.3"),
        ("metadata.example", "169.254.169.254"),
        ("v6.example", "fd00::5"),
        ("mapped.example", "::ffff:192.168.0.1"),
    ],
)
def test_names_resolving_to_private_addresses_are_refused(host, address):
    seen = []

    def resolve(name, port):
        seen.append(name)
        return [ipaddress.ip_address(address)]

    with pytest.raises(CaptureRefused) as refused:
        check_url(f"http://{host}/page", resolve=resolve)
    assert seen == [host.rstrip(".").lower()]
    assert address in str(refused.value)


def test_a_name_is_refused_when_any_of_its_addresses_is_private():
    with pytest.raises(CaptureRefused):
        check_url("https://mixed.example/", resolve=resolves_to("93.184.215.14", "10.0.0.7"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.org@127.0.0.1/", "user name or password"),  # userinfo trick
        ("http://user:pw@example.org/", "user name or password"),
        ("http://127.0.0.1\\@example.org/", "user name or password"),
        ("ftp://example.org/file", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://127.0.0.1:6379/_INFO", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("//example.org/", "only http and https"),
        ("http:///path", "no host"),
        ("http://exa mple.org/", "spaces or control"),
        ("http://example.org/\r\nHost: evil", "spaces or control"),
        ("http://[::1/", "not a valid URL"),
        ("http://example.org:99999/", "not a valid URL"),
        ("http://256.256.256.256/", "not a valid IPv4"),
        ("http://1.2.3.4.5/", "not a valid IPv4"),
        ("http://0x/", "Refused"),
        ("http://example..org/", "not valid"),
        ("", "empty"),
    ],
)
def test_malformed_and_disguised_links_get_a_clear_refusal(url, message):
    with pytest.raises(CaptureRefused, match=message):
        check_url(url, resolve=resolves_to("93.184.215.14"))


@pytest.mark.parametrize(
    ("url", "host", "port", "path"),
    [
        ("https://Example.ORG/a?b=1#frag", "example.org", 443, "/a?b=1"),
        ("http://example.org./", "example.org", 80, "/"),
        ("http://example.org:8080", "example.org", 8080, "/"),
        ("https://bücher.example/", "xn--bcher-kva.example", 443, "/"),
    ],
)
def test_public_names_pass_and_keep_the_checked_address(url, host, port, path):
    target = check_url(url, resolve=resolves_to("93.184.215.14"))
    assert (target.host, target.port, target.path) == (host, port, path)
    assert target.address == PUBLIC
    assert target.connect_url.startswith(f"{target.scheme}://93.184.215.14:{port}/")


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.215.14/",
        "http://1572395790/",
        "http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/",
    ],
)
def test_public_address_literals_pass_without_resolution(url):
    assert check_url(url, resolve=no_dns).address.is_global


def test_6to4_is_refused_even_when_it_carries_a_public_address():
    # 6to4 relays are deprecated (RFC 7526) and Python counts 2002::/16 as not global.
    assert refusal_reason(ipaddress.ip_address("2002:5db8:d70e::1")) is not None


def test_a_name_that_does_not_resolve_is_reported_as_not_found():
    with pytest.raises(HostNotFound, match="could not be found"):
        check_url("https://gone.example/", resolve=resolves_to())


def test_the_allowance_covers_only_the_named_loopback_port():
    allowed = {(ipaddress.ip_address("127.0.0.1"), 8123)}
    assert check_url("http://127.0.0.1:8123/x", resolve=no_dns, allowed=allowed)
    for url in [
        "http://127.0.0.1:8124/",
        "http://127.0.0.2:8123/",
        "http://10.0.0.1:8123/",
        "http://169.254.169.254:8123/",
        "http://[::ffff:127.0.0.1]:8123/",
    ]:
        with pytest.raises(CaptureRefused):
            check_url(url, resolve=no_dns, allowed=allowed)


def test_the_allowance_refuses_non_loopback_entries(settings):
    settings.CAPTURE_ALLOWED_LOOPBACK = ["10.0.0.1:80"]
    with pytest.raises(ImproperlyConfigured, match="loopback"):
        check_url("http://10.0.0.1/", resolve=no_dns)


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("1.2.3.4.", "1.2.3.4"),
        ("0", "0.0.0.0"),  # noqa: S104 (an expected value, nothing binds here)
        ("4294967295", "255.255.255.255"),
    ],
)
def test_ipv4_spellings_are_read_as_browsers_read_them(spelling, address):
    assert parse_ipv4(spelling.rstrip(".")) == ipaddress.ip_address(address)


@pytest.mark.parametrize("spelling", ["4294967296", "1.2.3.256", "1.2.65536", "08.1.1.1", "1.x"])
def test_impossible_ipv4_spellings_are_rejected(spelling):
    assert parse_ipv4(spelling) is None


def test_refusal_names_the_reason():
    assert "metadata" in refusal_reason(ipaddress.ip_address("169.254.169.254"))
    assert "loopback" in refusal_reason(ipaddress.ip_address("127.0.0.1"))
    assert "carrier-grade" in refusal_reason(ipaddress.ip_address("100.64.0.1"))
    assert "unique-local" in refusal_reason(ipaddress.ip_address("fd00::1"))
    assert "IPv4-mapped" in refusal_reason(ipaddress.ip_address("::ffff:8.8.8.8"))
    assert refusal_reason(PUBLIC) is None
