"""Fetching a feed or an item's page for `watch`: http(s) only, at most :data:`MAX_FETCH`
bytes, and never an address on this machine or its network unless the feed itself is there.

The address is checked where the connection is made, from the one resolution that connection
uses: a name that resolves to a public address when the URL is checked and to a private one a
moment later (DNS rebinding) cannot reach a local service. No proxy is used.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from claimtrack.exc import InputError
from claimtrack.store.files import MAX_SEED_BYTES

MAX_FETCH = 4 * MAX_SEED_BYTES  # bytes of one feed or page


def internal(host: str) -> bool:
    """Whether ``host`` is this machine or a private network (or cannot be resolved)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return True
    return any(_not_public(info[4][0]) for info in infos)


def _not_public(address: object) -> bool:
    return not ipaddress.ip_address(str(address).split("%")[0]).is_global


def _pinned_socket(host: str, port: int, timeout: Any, private: bool) -> socket.socket:
    """A connection to ``host`` at an address checked as it is connected to: the addresses are
    resolved once, here, and a public page's are all public (a name that resolved to a public
    address when the URL was checked cannot resolve to a private one for the connection)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise OSError(f"cannot resolve {host}: {error}") from None
    if not private and (bad := next((i for i in infos if _not_public(i[4][0])), None)):
        raise OSError(f"{host} resolves to {bad[4][0]}, on a private or local network")
    last: OSError = OSError(f"cannot connect to {host}")
    for family, kind, proto, _, address in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)
            sock.connect(address)
        except OSError as error:
            sock.close()
            last = error
            continue
        return sock
    raise last


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address checked as it connects (:func:`_pinned_socket`)."""

    def __init__(self, *args: Any, private: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.private = private

    def connect(self) -> None:
        self.sock = _pinned_socket(self.host, self.port, self.timeout, self.private)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to an address checked as it connects; the certificate is checked
    against the host's name as usual."""

    def __init__(self, *args: Any, private: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.private = private

    def connect(self) -> None:
        sock = _pinned_socket(self.host, self.port, self.timeout, self.private)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, private: bool) -> None:
        super().__init__()
        self.private = private

    def http_open(self, req: Any) -> Any:
        return self.do_open(functools.partial(_PinnedHTTP, private=self.private), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, private: bool) -> None:
        super().__init__()
        self.private = private

    def https_open(self, req: Any) -> Any:
        connection = functools.partial(_PinnedHTTPS, private=self.private)
        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


def _check_url(url: str, private: bool) -> None:
    """An http(s) URL whose host is on the public internet, unless ``private`` (the feed
    itself is on this machine or its network): a feed cannot make `watch` read a file or
    reach an address it was not pointed at (a cloud's metadata service, say)."""
    try:
        parts = urllib.parse.urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        hostname = None
    if hostname is None or parts.scheme not in ("http", "https"):
        raise InputError(
            f"not an http(s) URL: {url}", hint="feeds and items are fetched over http(s) only"
        )
    if not private and internal(hostname):
        raise InputError(
            f"{url} is on a private or local network, and the feed is not",
            hint="a public feed's items are fetched from public addresses only",
        )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects checked as the first URL is: http(s), no private address unless allowed."""

    def __init__(self, private: bool) -> None:
        self.private = private

    def redirect_request(
        self, req: Any, fp: Any, code: Any, msg: Any, headers: Any, newurl: str
    ) -> Any:
        try:
            _check_url(newurl, self.private)
        except InputError as error:
            raise urllib.error.URLError(str(error)) from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(private: bool) -> urllib.request.OpenerDirector:
    """An opener for http(s) only: no file:, ftp: or data: URLs, even through a redirect, and
    no proxy; each connection goes to the address it was checked at."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        _HTTP(private),
        _HTTPS(private),
        _Redirects(private),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, timeout: float, *, private: bool = False) -> bytes:
    """The bytes at an http(s) URL, at most :data:`MAX_FETCH`; InputError otherwise.
    ``private``: addresses of this machine and its network are allowed."""
    _check_url(url, private)
    request = urllib.request.Request(url, headers={"User-Agent": "claimtrack-watch"})
    try:
        with _opener(private).open(request, timeout=timeout) as response:
            data: bytes = response.read(MAX_FETCH + 1)
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
        raise InputError(f"cannot fetch {url}: {error}") from None
    if len(data) > MAX_FETCH:
        raise InputError(f"{url} is larger than {MAX_FETCH:,} bytes")
    return data
