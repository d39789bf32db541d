"""The client's address, behind trusted proxies or not.

``X-Forwarded-For`` is believed only when the request came from an address listed in
``COMPLAINTDESK_TRUSTED_PROXIES`` (IPs or CIDR networks). The header is read from the right: each hop
appended by a trusted proxy is skipped, and the first address that is not a trusted proxy is the
client. Anything to its left was written by the client itself and is never read, so a header a
client forges cannot choose the address that log-in throttling and the portal's rate limits count.
A request from any other address is keyed on ``REMOTE_ADDR`` whatever headers it carries.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:5050
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, proxies: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(request: HttpRequest | None, proxies: tuple[Network, ...] | None = None) -> str:
    """The address to count a client by (see the module's text)."""
    if request is None:
        return ""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if proxies is None:
        proxies = tuple(getattr(settings, "COMPLAINTDESK_TRUSTED_PROXIES", ()))
    if not proxies or not _trusted(_address(remote), proxies):
        return remote
    hops = [hop for hop in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # garbage in the header: stop at the last hop a trusted proxy vouched for
            return client
        client = str(address)
        if not _trusted(address, proxies):
            return client
    return client
