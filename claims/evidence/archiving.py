"""Fetch a web page for the evidence archive. The only module that opens network connections.

Two jobs, kept apart so the first can be tested without a network:

- `check_url` decides whether a URL may be fetched. It parses the host the way a browser or
  `inet_aton` would (so `2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1` and `localhost.` are
  all recognised as this machine), resolves names, and refuses every address that is not
  globally routable. It returns a `Target` naming the exact address that was checked.
- `fetch` sends one GET per hop to the checked address, follows at most
  `CAPTURE_MAX_REDIRECTS` redirects by hand (each hop checked again), and stops reading at
  `CAPTURE_MAX_BYTES` of the page as unpacked, or when the total time runs out.

Two limits are enforced below httpx, because httpx alone cannot hold them. Its timeouts apply
to each network step on its own, so a server sending a byte every few seconds never trips
them: `_DeadlineBackend` gives every connect, read and write only the time left until the
deadline. And httpx unpacks each network read whole before the caller can count it, so 100 KB
of gzip can become gigabytes in memory: bodies are read raw and unpacked here, at most
`PIECE_BYTES` at a time, and only in the encodings zlib can unpack that way.

Connecting to the checked address is what defeats DNS rebinding: a name that resolved to a
public address while being checked cannot resolve to 127.0.0.1 a moment later, because it is
never resolved again. The request goes to `http(s)://<address>:<port>/...` with the `Host`
header set to the name, and for https the `sni_hostname` request extension of httpcore makes
TLS send the name as SNI and verify the certificate against it (httpcore passes it as
`server_hostname` to `ssl.SSLContext.wrap_socket`, whose `check_hostname` then applies). So the
certificate is still checked for the name the user asked for, not for the bare address.
"""

import ipaddress
import socket
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from claims.weblinks import DEFAULT_PORTS

USER_AGENT = "FactcheckWorkbench/0.1 (evidence capture for a verification team)"
ACCEPT = "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.1"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# What the archive keeps. Anything else (images, video, archives) is refused before its body
# is read: the extractor could not make text of it, and it may be large.
ACCEPTED_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "application/pdf",
}
# Bodies are read and unpacked in pieces of at most this size, so the size cap holds in memory.
PIECE_BYTES = 64 * 1024
# Content-Encodings unpacked (piece by piece) although we ask for none: some servers compress
# regardless. Brotli and zstd have no bounded decoder in the standard library; they are refused.
ZLIB_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
CGNAT = ipaddress.ip_network("100.64.0.0/10")
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class CaptureError(Exception):
    """A URL could not be archived; str() is one readable sentence for the user."""


class CaptureRefused(CaptureError):
    """The guard refused the URL: wrong scheme, or an address that is not globally routable."""


class CaptureFailed(CaptureError):
    """The URL was allowed, but fetching it failed (timeout, too large, bad response, ...)."""


class HostNotFound(CaptureFailed):
    """The host name does not resolve (any more)."""


@dataclass(frozen=True)
class Target:
    """A URL that passed the guard, and the one address it will be fetched from."""

    url: str
    scheme: str
    host: str  # ASCII host name or address literal, as the Host header and SNI carry it
    port: int
    path: str  # path and query, at least "/"
    address: ipaddress.IPv4Address | ipaddress.IPv6Address

    @property
    def connect_url(self):
        literal = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        return f"{self.scheme}://{literal}:{self.port}{self.path}"

    @property
    def host_header(self):
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if DEFAULT_PORTS[self.scheme] == self.port else f"{name}:{self.port}"


@dataclass
class Fetched:
    """What the last hop answered, with the chain of redirects that led to it."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str
    body: bytes
    fetched_at: datetime
    address: str
    redirects: list = field(default_factory=list)

    @property
    def method(self):
        return describe_method()


def describe_method():
    """The collection method in words, for the collection log."""
    return (
        f"HTTP GET with httpx {version('httpx')}, address-checked (no private or local "
        f"networks), redirects followed by hand (at most {settings.CAPTURE_MAX_REDIRECTS}), "
        f"User-Agent “{USER_AGENT}”"
    )


# --- The guard ---------------------------------------------------------------------------


def check_url(url, *, resolve=None, allowed=None):
    """Return the Target for `url`, or raise CaptureRefused with the reason.

    `resolve(host, port)` returns the addresses of a host name (default: the system resolver);
    tests pass a stub. `allowed` is a set of (address, port) pairs let through although they are
    loopback; by default it comes from the CAPTURE_ALLOWED_LOOPBACK setting, which only the
    tests set (production settings leave it out, so nothing on loopback is let through).
    Raises HostNotFound when a name does not resolve.
    """
    resolve = resolve or resolve_host
    allowed = loopback_allowance() if allowed is None else allowed
    scheme, host, port, path = _split(url)
    addresses = _addresses(host, port, resolve)
    for address in addresses:
        reason = refusal_reason(address, port, allowed)
        if reason:
            shown = host if str(address) == host else f"{host} ({address})"
            raise CaptureRefused(
                f"Refused: {shown} is {reason}; the workbench only fetches "
                "public internet addresses."
            )
    return Target(url, scheme, host, port, path, addresses[0])


def refusal_reason(address, port=None, allowed=frozenset()):
    """Why `address` must not be fetched, in words, or None when it is globally routable.

    `allowed` holds (loopback address, port) pairs that tests may reach; nothing else is ever
    let through. IPv6 forms that carry an IPv4 address (mapped, 6to4, Teredo, NAT64) are judged
    by the address they carry as well.
    """
    # Before the loopback allowance: an IPv4-mapped address is never fetched, whatever it maps.
    mapped = _mapped_refusal(address)
    if mapped:
        return mapped
    if address.is_loopback and (address, port) in allowed:
        return None
    for check in _REFUSAL_CHECKS:
        reason = check(address)
        if reason:
            return reason
    return None


def _refused_when(test, reason):
    """A refusal check: `reason` for the addresses `test` holds for, None for the others."""
    return lambda address: reason if test(address) else None


def _mapped_refusal(address):
    if address.version == 6 and address.ipv4_mapped is not None:
        inner = address.ipv4_mapped
        return f"an IPv4-mapped IPv6 address (of {inner}), which is not routed on the internet"
    return None


def _carried_refusal(address):
    """Why the IPv4 address an IPv6 address carries (6to4, Teredo, NAT64) is refused, or None."""
    if address.version != 6:
        return None
    embedded = _embedded_ipv4(address)
    if embedded is not None and refusal_reason(embedded):
        return f"an IPv6 address that carries {embedded}, {refusal_reason(embedded)}"
    return None


# After the IPv4-mapped form and the loopback allowance, in the order they are asked: the
# first check that gives a reason refuses the address, in its words. The IPv6-only checks come
# after those that apply to both families, and before "private", which they would also meet.
_REFUSAL_CHECKS = (
    _refused_when(lambda a: a.is_loopback, "a loopback address (this server itself)"),
    _refused_when(lambda a: a.is_unspecified, "the unspecified address (it means this server)"),
    _refused_when(
        lambda a: a.is_link_local, "a link-local address (where cloud metadata services answer)"
    ),
    _refused_when(lambda a: a.is_multicast, "a multicast address"),
    _refused_when(
        lambda a: a.version == 4 and a in CGNAT,
        "a carrier-grade NAT address (shared address space, not public)",
    ),
    _carried_refusal,
    _refused_when(
        lambda a: a.version == 6 and a in UNIQUE_LOCAL,
        "a unique-local IPv6 address (a private network)",
    ),
    _refused_when(
        lambda a: a.version == 6 and a.is_site_local,
        "a site-local IPv6 address (a private network)",
    ),
    _refused_when(lambda a: a.is_private, "a private network address"),
    _refused_when(lambda a: a.is_reserved, "a reserved address"),
    _refused_when(lambda a: not a.is_global, "an address that is not globally routable"),
)


def _embedded_ipv4(address):
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client's address; the server's is public by design
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _split(url):
    """(scheme, ASCII host, port, path) of an http(s) URL, or CaptureRefused."""
    url = (url or "").strip()
    if not url:
        raise CaptureRefused("Refused: the link is empty.")
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise CaptureRefused("Refused: the link contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise CaptureRefused(f"Refused: the link is not a valid URL ({error}).") from error
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise CaptureRefused(
            f"Refused: only http and https links can be captured, not “{scheme or 'none'}”."
        )
    # "http://example.org@127.0.0.1/" names 127.0.0.1; credentials in links only ever serve
    # to disguise the host, and we would not send them to a third party anyway.
    if "@" in parts.netloc:
        raise CaptureRefused("Refused: links with a user name or password are not captured.")
    # Browsers read "http:\\host" as http://host/ while urllib reads it as a path: refused
    # rather than guessed, wherever it appears (a redirect target too).
    if "\\" in url:
        raise CaptureRefused("Refused: the link contains a backslash.")
    host = parts.hostname or ""
    if not host:
        raise CaptureRefused("Refused: the link has no host name.")
    if port == 0:
        raise CaptureRefused("Refused: port 0 is not a valid port.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, _ascii_host(host), port or DEFAULT_PORTS[scheme], path


def _ascii_host(host):
    if ":" in host:  # an IPv6 literal; urlsplit has removed the brackets
        return host
    if host.endswith("."):  # one trailing dot is a fully qualified name: same host
        host = host[:-1]
    if not host or host.endswith(".") or ".." in host:
        raise CaptureRefused("Refused: the host name is not valid.")
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise CaptureRefused("Refused: the host name is not valid.") from error


def _addresses(host, port, resolve):
    if ":" in host:
        try:
            return [ipaddress.IPv6Address(host)]
        except ValueError as error:
            raise CaptureRefused(f"Refused: “{host}” is not a valid IPv6 address.") from error
    if _ends_in_number(host):
        # Browsers and inet_aton read such hosts as IPv4 addresses in any of their spellings;
        # we do the same rather than let a resolver guess.
        address = parse_ipv4(host)
        if address is None:
            raise CaptureRefused(f"Refused: “{host}” is not a valid IPv4 address.")
        return [address]
    addresses = resolve(host, port)
    if not addresses:
        raise HostNotFound(f"The host name {host} could not be found.")
    return addresses


def _ends_in_number(host):
    """WHATWG URL's "ends in a number": the last label is digits or a 0x hex number."""
    last = host.split(".")[-1]
    if last.isascii() and last.isdigit():
        return True
    return last[:2].lower() == "0x" and all(c in "0123456789abcdefABCDEF" for c in last[2:])


def parse_ipv4(host):
    """IPv4Address for the inet_aton/WHATWG spellings of an address, or None.

    Accepts one to four dot-separated parts, each decimal, octal (leading 0) or hex (0x);
    the last part fills the remaining bytes, so "127.1" is 127.0.0.1 and "2130706433" too.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        if not part.isascii():
            return None
        try:
            if part[:2].lower() == "0x":
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            return None
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def resolve_host(host, port):
    """All addresses the system resolver gives for `host` (empty when it does not resolve)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    addresses = []
    for _family, _type, _proto, _name, sockaddr in infos:
        # A stream socket's address is (host text, port, ...) for IPv4 and IPv6; the
        # (int, bytes) form belongs to families that never carry a host name.
        if not isinstance(sockaddr[0], str):
            continue
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def loopback_allowance():
    """The (address, port) pairs of CAPTURE_ALLOWED_LOOPBACK; only loopback entries count."""
    allowed = set()
    for entry in getattr(settings, "CAPTURE_ALLOWED_LOOPBACK", ()):
        host, _, port = entry.rpartition(":")
        try:
            address = ipaddress.ip_address(host.strip("[]"))
            pair = (address, int(port))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"CAPTURE_ALLOWED_LOOPBACK entries look like 127.0.0.1:8123, not {entry!r}"
            ) from error
        if not address.is_loopback:
            raise ImproperlyConfigured(
                f"CAPTURE_ALLOWED_LOOPBACK may only name loopback addresses, not {entry!r}"
            )
        allowed.add(pair)
    return allowed


# --- Fetching ----------------------------------------------------------------------------


def check_syntax(url):
    """Raise CaptureRefused with the reason when `url` is no http(s) link the fetcher could
    request (scheme, host, port, characters), without resolving or connecting: for forms."""
    _split(url)


def fetch(url, *, resolve=None, allowed=None, ssl_context=None):
    """GET `url` through the guard and return what the last hop answered.

    Any HTTP status is returned (the caller decides what a 404 means). Raises CaptureRefused
    when the URL or any redirect hop is refused or malformed, CaptureFailed for timeouts
    (CAPTURE_TOTAL_TIMEOUT covers everything from the first connection to the last byte),
    bodies over CAPTURE_MAX_BYTES once unpacked, unsupported content types or encodings, too
    many redirects or broken responses. `ssl_context` replaces the system's trusted
    certificates (tests).
    """
    timeout = httpx.Timeout(
        connect=settings.CAPTURE_CONNECT_TIMEOUT,
        read=settings.CAPTURE_READ_TIMEOUT,
        write=settings.CAPTURE_READ_TIMEOUT,
        pool=settings.CAPTURE_CONNECT_TIMEOUT,
    )
    deadline = time.monotonic() + settings.CAPTURE_TOTAL_TIMEOUT
    transport = _Transport(deadline, ssl_context or httpx.create_ssl_context())
    redirects = []
    current = url
    # trust_env=False: proxy variables must not route the request around the guard.
    with httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, transport=transport
    ) as client:
        for _hop in range(settings.CAPTURE_MAX_REDIRECTS + 1):
            if time.monotonic() > deadline:
                break
            target = check_url(current, resolve=resolve, allowed=allowed)
            with _send(client, target, deadline) as response:
                location = response.headers.get("location", "").strip()
                if response.status_code in REDIRECT_STATUSES and location:
                    redirects.append(
                        {
                            "url": target.url,
                            "status": response.status_code,
                            "address": str(target.address),
                        }
                    )
                    current = _redirect_target(target, location)
                    continue
                content_type, charset = _content_type(response)
                if response.status_code < 400 and content_type not in ACCEPTED_TYPES | {""}:
                    raise CaptureFailed(
                        f"The link points to {content_type}, not a web page, text or PDF; "
                        "nothing was kept."
                    )
                body = _read(response, target, deadline)
                return Fetched(
                    url=url,
                    final_url=target.url,
                    status=response.status_code,
                    content_type=content_type,
                    charset=charset,
                    body=body,
                    fetched_at=datetime.now(UTC),
                    address=str(target.address),
                    redirects=redirects,
                )
    if time.monotonic() > deadline:
        raise CaptureFailed(
            f"Following redirects took longer than {settings.CAPTURE_TOTAL_TIMEOUT:g} seconds."
        )
    raise CaptureFailed(
        f"More than {settings.CAPTURE_MAX_REDIRECTS} redirects; stopped before {current}."
    )


def _redirect_target(target, location):
    try:
        return urljoin(target.url, location)
    except ValueError as error:  # e.g. "http://[::1": an unclosed IPv6 literal
        raise CaptureRefused(
            f"Refused: {target.host} redirected to a link that is not a valid URL."
        ) from error


@contextmanager
def _send(client, target, deadline):
    """One streamed GET to the checked address; the response is closed on leaving."""
    try:
        request = client.build_request(
            "GET",
            target.connect_url,
            headers={
                "Host": target.host_header,
                "User-Agent": USER_AGENT,
                "Accept": ACCEPT,
                # Uncompressed, so the size cap counts what the server really sends. Servers
                # that compress all the same are unpacked piece by piece (_decoded).
                "Accept-Encoding": "identity",
            },
            extensions={"sni_hostname": target.host} if target.scheme == "https" else {},
        )
    except httpx.InvalidURL as error:
        # A path the guard let through that httpx still refuses (longer than it takes, say).
        raise CaptureRefused("Refused: the link is not a valid URL.") from error
    try:
        with _readable_errors(target, deadline):
            response = client.send(request, stream=True)
    except (httpx.InvalidURL, UnicodeError) as error:
        # On a redirect httpx parses the Location itself, before handing us the response, and
        # raises on one it cannot parse: InvalidURL, or idna's error for a bad "xn--" name.
        raise CaptureRefused(
            f"Refused: {target.host} redirected to a link that is not a valid URL."
        ) from error
    try:
        yield response
    finally:
        response.close()


@contextmanager
def _readable_errors(target, deadline):
    """Turn the network errors of httpcore (below our transport) and httpx into CaptureFailed
    with a sentence a reviewer can act on."""
    host = target.host
    try:
        yield
    except (httpcore.TimeoutException, httpx.TimeoutException) as error:
        if time.monotonic() >= deadline:
            raise CaptureFailed(
                f"{host} took longer than {settings.CAPTURE_TOTAL_TIMEOUT:g} seconds "
                "to send the page."
            ) from error
        if isinstance(error, httpcore.ConnectTimeout | httpx.ConnectTimeout):
            raise CaptureFailed(
                f"{host} did not accept a connection within "
                f"{settings.CAPTURE_CONNECT_TIMEOUT:g} seconds."
            ) from error
        raise CaptureFailed(
            f"{host} did not answer within {settings.CAPTURE_READ_TIMEOUT:g} seconds."
        ) from error
    except (httpcore.ConnectError, httpx.ConnectError) as error:
        if "CERTIFICATE_VERIFY_FAILED" in str(error):
            raise CaptureFailed(f"The TLS certificate of {host} could not be verified.") from error
        raise CaptureFailed(f"Could not connect to {host}.") from error
    except (httpcore.RemoteProtocolError, httpx.RemoteProtocolError) as error:
        raise CaptureFailed(f"{host} sent a response that is not valid HTTP.") from error
    except (
        httpcore.NetworkError,
        httpcore.ProtocolError,
        httpcore.UnsupportedProtocol,
        httpx.HTTPError,
    ) as error:
        raise CaptureFailed(f"Fetching from {host} failed ({type(error).__name__}).") from error


def _content_type(response):
    header = response.headers.get("content-type", "")
    main, _, params = header.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset":
            charset = value.strip().strip('"').lower()
    return main.strip().lower(), charset


def _read(response, target, deadline):
    """The body, unpacked, or CaptureFailed once it grows past CAPTURE_MAX_BYTES (counted as
    unpacked: what is kept and extracted) or the deadline passes."""
    limit = settings.CAPTURE_MAX_BYTES
    too_large = f"The page is larger than {limit:,} bytes; nothing was kept."
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise CaptureFailed(too_large)
    encodings = [
        name
        for name in response.headers.get_list("content-encoding", split_commas=True)
        if name.lower() not in ("", "identity")
    ]
    chunks, size = [], 0
    with _readable_errors(target, deadline):
        for chunk in _decoded(_raw_pieces(response, limit, too_large), encodings):
            size += len(chunk)
            if size > limit:
                raise CaptureFailed(too_large)
            if time.monotonic() > deadline:
                raise CaptureFailed(
                    f"{target.host} took longer than {settings.CAPTURE_TOTAL_TIMEOUT:g} seconds "
                    "to send the page."
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _raw_pieces(response, limit, too_large):
    """The body as sent, piece by piece; what arrives counts against the cap too."""
    received = 0
    for piece in response.iter_raw():
        received += len(piece)
        if received > limit:
            raise CaptureFailed(too_large)
        yield piece


def _decoded(pieces, encodings):
    """Unpack `pieces` sent with Content-Encoding `encodings` (a list, outermost last), never
    more than PIECE_BYTES of output at once. Raises CaptureFailed for an encoding we do not
    unpack (more than one layer, brotli, zstd, ...) or a damaged stream."""
    if not encodings:
        yield from pieces
        return
    encodings = [name.lower() for name in encodings]
    if len(encodings) > 1 or encodings[0] not in ZLIB_WBITS:
        raise CaptureFailed(
            f"The server sent the page compressed as “{', '.join(encodings)}”, which the "
            "workbench did not ask for and does not unpack; nothing was kept."
        )
    wbits = ZLIB_WBITS[encodings[0]]
    decoder, started = zlib.decompressobj(wbits), False
    try:
        for piece in pieces:
            data = piece
            while data and not decoder.eof:
                try:
                    out = decoder.decompress(data, PIECE_BYTES)
                except zlib.error:
                    if started or wbits != zlib.MAX_WBITS:
                        raise
                    # "deflate" is meant to be zlib-wrapped, yet some servers send it raw.
                    wbits = -zlib.MAX_WBITS
                    decoder = zlib.decompressobj(wbits)
                    continue
                started = True
                # Input left over when the output reached PIECE_BYTES: the next round.
                data = decoder.unconsumed_tail
                if out:
                    yield out
    except zlib.error as error:
        raise CaptureFailed(
            "The page's compressed body could not be unpacked; nothing was kept."
        ) from error


# --- The transport: httpcore's sockets, held to the deadline ----------------------------


class _Transport(httpx.BaseTransport):
    """httpx's transport reduced to what `fetch` needs, on sockets held to `deadline`."""

    def __init__(self, deadline, ssl_context):
        self.pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, network_backend=_DeadlineBackend(deadline)
        )

    def handle_request(self, request):
        response = self.pool.handle_request(
            httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=request.url.raw_scheme,
                    host=request.url.raw_host,
                    port=request.url.port,
                    target=request.url.raw_path,
                ),
                headers=request.headers.raw,
                content=request.stream,
                extensions=request.extensions,
            )
        )
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseBody(response.stream),
            extensions=response.extensions,
        )

    def close(self):
        self.pool.close()


class _ResponseBody(httpx.SyncByteStream):
    def __init__(self, stream):
        self.stream = stream

    def __iter__(self):
        yield from self.stream

    def close(self):
        self.stream.close()


def _time_left(timeout, deadline, error):
    """`timeout` cut down to what is left until `deadline`; `error` once nothing is."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("The total time for this capture has run out.")
    return left if timeout is None else min(timeout, left)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's standard sockets, each blocking step limited to the time left."""

    def __init__(self, deadline):
        self.deadline = deadline
        self.backend = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        timeout = _time_left(timeout, self.deadline, httpcore.ConnectTimeout)
        stream = self.backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self.deadline)

    def sleep(self, seconds):
        self.backend.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream, deadline):
        self.stream = stream
        self.deadline = deadline

    def read(self, max_bytes, timeout=None):
        timeout = _time_left(timeout, self.deadline, httpcore.ReadTimeout)
        return self.stream.read(max_bytes, timeout)

    def write(self, buffer, timeout=None):
        timeout = _time_left(timeout, self.deadline, httpcore.WriteTimeout)
        self.stream.write(buffer, timeout)

    def close(self):
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        # The TLS handshake's own reads run inside ssl with this one timeout, which the ssl
        # module applies to the handshake as a whole.
        timeout = _time_left(timeout, self.deadline, httpcore.ConnectTimeout)
        tls = self.stream.start_tls(ssl_context, server_hostname, timeout)
        return _DeadlineStream(tls, self.deadline)

    def get_extra_info(self, info):
        return self.stream.get_extra_info(info)
