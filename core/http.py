"""Facts about the HTTP client that several apps need (login throttling, visitor counts, comments)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in spec)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: HttpRequest) -> str:
    """The visitor's address.  X-Forwarded-For is believed only when the direct peer is a trusted proxy
    (SULIEU_TRUSTED_PROXIES); then the right-most address that is not itself a trusted proxy is the client,
    so a visitor cannot choose their address by sending the header themselves."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: fall back to the proxy itself, never to a made-up string
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else remote
