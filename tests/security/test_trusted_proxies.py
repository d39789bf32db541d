"""Behind a proxy: the client address of log-in throttling comes from X-Forwarded-For only when the
request arrives from a proxy in COMPLAINTDESK_TRUSTED_PROXIES (core/client.py); a forged header
neither picks the address counted nor escapes the lock."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from django.test import Client, RequestFactory

from complaintdesk.accounts.models import LoginThrottle
from complaintdesk.core.client import client_address
from orgkit import PASSWORD

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    # no proxy trusted: the connection's address, whatever the header says
    ("203.0.113.7", "1.2.3.4", "203.0.113.7"),
    # from a trusted proxy: the hop it appended
    ("10.0.0.5", "198.51.100.20", "198.51.100.20"),
    # a client forging the header in front of the proxy's hop: its own real address still counts
    ("10.0.0.5", "1.2.3.4, 198.51.100.20", "198.51.100.20"),
    # two trusted proxies in a row are skipped
    ("10.0.0.5", "1.2.3.4, 198.51.100.20, 10.1.1.1", "198.51.100.20"),
    # garbage in the header: the last hop a trusted proxy vouched for
    ("10.0.0.5", "198.51.100.20, not-an-ip", "10.0.0.5"),
    # only trusted hops: the leftmost of them
    ("10.0.0.5", "10.2.2.2", "10.2.2.2"),
    # a trusted proxy without the header
    ("10.0.0.5", None, "10.0.0.5"),
    # IPv6 and ports
    ("::1", "[2001:db8::7]:443", "2001:db8::7"),
    ("::1", "198.51.100.9:5050", "198.51.100.9"),
])
def test_the_client_address_is_read_from_the_right(remote: str, forwarded: str | None, expected: str) -> None:
    assert client_address(_request(remote, forwarded), PROXIES) == expected


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address(_request("203.0.113.7", "1.2.3.4"), ()) == "203.0.113.7"
    assert client_address(_request("10.0.0.5", "1.2.3.4"), ()) == "10.0.0.5"


def _login(client: Client, username: str, remote: str, forwarded: str) -> Any:
    return client.post("/login/", {"username": username, "password": "wrong-password-123"}, REMOTE_ADDR=remote,
                       HTTP_X_FORWARDED_FOR=forwarded, HTTP_ACCEPT_LANGUAGE="en")


def _addresses() -> set[str]:
    return set(LoginThrottle.objects.filter(scope="address").values_list("key", flat=True))


def test_a_spoofed_header_from_an_untrusted_address_is_counted_by_its_connection(org: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_TRUSTED_PROXIES = PROXIES
    settings.COMPLAINTDESK_LOGIN_MAX_FAILURES_ADDRESS = 3
    client = Client()
    for attempt, user in enumerate(("agent", "specialist", "supervisor")):
        _login(client, user, "203.0.113.7", f"192.0.2.{attempt}")  # a new made-up address each time
    assert _addresses() == {"203.0.113.7"}
    # the address is locked: another account from it is refused with the right password
    response = client.post("/login/", {"username": "qc_manager", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7",
                           HTTP_X_FORWARDED_FOR="192.0.2.99", HTTP_ACCEPT_LANGUAGE="en")
    assert "_auth_user_id" not in client.session
    assert "Too many failed log-ins" in response.content.decode()


def test_behind_a_trusted_proxy_each_client_is_counted_apart(org: Any, settings: Any) -> None:
    settings.COMPLAINTDESK_TRUSTED_PROXIES = PROXIES
    settings.COMPLAINTDESK_LOGIN_MAX_FAILURES_ADDRESS = 3
    client = Client()
    for user in ("agent", "specialist", "supervisor"):
        # the client forges a first hop; the proxy appends the address it really saw
        _login(client, user, "10.0.0.5", f"192.0.2.{len(user)}, 198.51.100.20")
    assert _addresses() == {"198.51.100.20"}
    assert LoginThrottle.objects.get(scope="address", key="198.51.100.20").locked_until is not None
    # another customer behind the same proxy is not locked out
    other = Client()
    response = other.post("/login/", {"username": "qc_manager", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5",
                          HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert response.status_code == 302 and "_auth_user_id" in other.session
