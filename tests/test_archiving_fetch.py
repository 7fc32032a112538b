"""The fetcher against a real HTTP server on loopback (the only place tests connect to)."""

import gzip
import ipaddress
import shutil
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib

import pytest

from claims.evidence.archiving import USER_AGENT, CaptureError, CaptureFailed, CaptureRefused, fetch
from tests.pages import ARTICLE_HTML, Page, make_pdf


def test_it_fetches_a_page_with_its_status_type_and_body(pages):
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    fetched = fetch(pages.url("/article"))
    assert fetched.status == 200
    assert fetched.content_type == "text/html"
    assert fetched.charset == "utf-8"
    assert fetched.body == ARTICLE_HTML.encode()
    assert fetched.final_url == pages.url("/article")
    assert fetched.address == "127.0.0.1"
    assert fetched.fetched_at.utcoffset().total_seconds() == 0


def test_it_sends_the_host_name_and_its_user_agent(pages):
    pages.routes["/article"] = Page(b"<html>hi</html>")
    fetch(pages.url("/article"))
    _, headers = pages.requests[-1]
    assert headers["Host"] == pages.endpoint
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Accept-Encoding"] == "identity"


def test_it_follows_redirects_by_hand_and_records_each_hop(pages):
    pages.routes["/old"] = Page(status=301, headers={"Location": "/moved"})
    pages.routes["/moved"] = Page(status=302, headers={"Location": pages.url("/article")})
    pages.routes["/article"] = Page(ARTICLE_HTML.encode())
    fetched = fetch(pages.url("/old"))
    assert fetched.final_url == pages.url("/article")
    assert [hop["status"] for hop in fetched.redirects] == [301, 302]
    assert [path for path, _ in pages.requests] == ["/old", "/moved", "/article"]


def test_it_stops_after_five_redirects(pages):
    for number in range(7):
        pages.routes[f"/r{number}"] = Page(status=302, headers={"Location": f"/r{number + 1}"})
    with pytest.raises(CaptureFailed, match="More than 5 redirects"):
        fetch(pages.url("/r0"))
    assert len(pages.requests) == 6


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://2130706433/",
        "http://localhost/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_refused_address_is_stopped_before_connecting(pages, location):
    pages.routes["/jump"] = Page(status=302, headers={"Location": location})
    with pytest.raises(CaptureRefused, match="Refused"):
        fetch(pages.url("/jump"))
    assert [path for path, _ in pages.requests] == ["/jump"]


def test_a_redirect_to_another_loopback_port_is_refused(pages):
    pages.routes["/jump"] = Page(status=307, headers={"Location": "http://127.0.0.1:1/"})
    with pytest.raises(CaptureRefused, match="loopback"):
        fetch(pages.url("/jump"))


def test_without_the_allowance_the_test_server_itself_is_refused(pages, settings):
    settings.CAPTURE_ALLOWED_LOOPBACK = []
    pages.routes["/article"] = Page(b"<html>hi</html>")
    with pytest.raises(CaptureRefused, match="loopback"):
        fetch(pages.url("/article"))
    assert pages.requests == []


def test_a_slow_server_times_out_with_a_readable_message(pages, settings):
    settings.CAPTURE_READ_TIMEOUT = 0.3
    pages.routes["/slow"] = Page(b"late", delay=1.0)
    with pytest.raises(CaptureFailed, match=r"did not answer within 0\.3 seconds"):
        fetch(pages.url("/slow"))


def test_a_body_announced_as_too_large_is_not_read(pages, settings):
    settings.CAPTURE_MAX_BYTES = 1000
    pages.routes["/big"] = Page(b"x" * 5000, content_type="text/plain")
    with pytest.raises(CaptureFailed, match="larger than 1,000 bytes"):
        fetch(pages.url("/big"))


def test_a_body_growing_past_the_cap_is_cut_off(pages, settings):
    settings.CAPTURE_MAX_BYTES = 100_000
    pages.routes["/stream"] = Page(b"y" * 300_000, content_type="text/plain", send_length=False)
    with pytest.raises(CaptureFailed, match="larger than 100,000 bytes"):
        fetch(pages.url("/stream"))


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/octet-stream", "video/mp4", "application/zip"]
)
def test_wrong_content_types_are_refused_before_the_body_is_kept(pages, content_type):
    pages.routes["/file"] = Page(b"\x89PNG\r\n", content_type=content_type)
    with pytest.raises(CaptureFailed, match=f"points to {content_type}"):
        fetch(pages.url("/file"))


def test_pdf_and_plain_text_are_accepted(pages):
    pages.routes["/doc.pdf"] = Page(make_pdf(["Hello"]), content_type="application/pdf")
    pages.routes["/notes.txt"] = Page(b"plain", content_type="text/plain; charset=latin-1")
    assert fetch(pages.url("/doc.pdf")).content_type == "application/pdf"
    assert fetch(pages.url("/notes.txt")).charset == "latin-1"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_statuses_are_returned_for_the_caller_to_judge(pages, status):
    pages.routes["/err"] = Page(b"oops", status=status, content_type="text/html")
    assert fetch(pages.url("/err")).status == status


def test_a_closed_port_is_a_readable_connection_failure(pages, settings, page_server):
    import socket

    spare = socket.socket()
    spare.bind(("127.0.0.1", 0))
    port = spare.getsockname()[1]
    spare.close()
    settings.CAPTURE_ALLOWED_LOOPBACK = [f"127.0.0.1:{port}"]
    with pytest.raises(CaptureFailed, match=r"Could not connect to 127\.0\.0\.1"):
        fetch(f"http://127.0.0.1:{port}/")


def test_it_connects_to_the_checked_address_without_resolving_again(pages):
    """No DNS rebinding: the name is resolved once, by the guard; the connection goes to that
    address. The loopback-only net of conftest would refuse any second lookup of this name."""
    pages.routes["/article"] = Page(b"<html>rebind</html>")
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    fetched = fetch(f"http://rebind.test:{pages.port}/article", resolve=resolve)
    assert lookups == ["rebind.test"]
    assert fetched.address == "127.0.0.1"
    assert fetched.final_url == f"http://rebind.test:{pages.port}/article"
    _, headers = pages.requests[-1]
    assert headers["Host"] == f"rebind.test:{pages.port}"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A certificate authority and a certificate for capture.test, made with openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Test CA",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=capture.test",
        "-keyout",
        "site.key",
        "-out",
        "site.csr",
    )
    (folder / "ext.cnf").write_text(
        "subjectAltName=DNS:capture.test\nauthorityKeyIdentifier=keyid\n"
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
    )
    openssl(
        "x509",
        "-req",
        "-in",
        "site.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "site.pem",
    )
    return folder


@pytest.fixture
def tls_pages(pages, tls_files):
    """The page server again, behind TLS, on a port of its own."""
    from http.server import ThreadingHTTPServer

    from tests.pages import _Handler

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.routes, httpd.requests = {"/secure": Page(b"<html>over TLS</html>")}, []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_files / "site.pem", tls_files / "site.key")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _trusting_context(tls_files):
    return ssl.create_default_context(cafile=str(tls_files / "ca.pem"))


def test_https_verifies_the_certificate_for_the_name_while_connecting_to_the_address(
    tls_pages, tls_files, settings
):
    port = tls_pages.server_address[1]
    settings.CAPTURE_ALLOWED_LOOPBACK = [f"127.0.0.1:{port}"]
    fetched = fetch(
        f"https://capture.test:{port}/secure",
        resolve=lambda host, port: [ipaddress.ip_address("127.0.0.1")],
        ssl_context=_trusting_context(tls_files),
    )
    assert fetched.body == b"<html>over TLS</html>"
    assert fetched.address == "127.0.0.1"


def test_https_refuses_a_certificate_for_another_name(tls_pages, tls_files, settings):
    port = tls_pages.server_address[1]
    settings.CAPTURE_ALLOWED_LOOPBACK = [f"127.0.0.1:{port}"]
    with pytest.raises(
        CaptureFailed, match=r"TLS certificate of other\.test could not be verified"
    ):
        fetch(
            f"https://other.test:{port}/secure",
            resolve=lambda host, port: [ipaddress.ip_address("127.0.0.1")],
            ssl_context=_trusting_context(tls_files),
        )


# --- Compressed bodies: the size cap counts what the page unpacks to ----------------------


def _gzip_of_zeros(megabytes, wbits=31):
    """`megabytes` MiB of zero bytes compressed about a thousandfold (gzip by default), made
    a mebibyte at a time so the test never holds the expanded body."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(1 << 20)
    return b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()


@pytest.fixture(scope="module")
def gzip_bomb():
    """100 MiB of zeros in about 100 KB of gzip."""
    return _gzip_of_zeros(100)


def _peak_memory_of(call):
    """Run `call` and return the peak of memory allocated meanwhile (all threads, bytes)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_is_stopped_at_the_size_cap_without_unpacking_it(pages, settings, gzip_bomb):
    settings.CAPTURE_MAX_BYTES = 1_000_000
    pages.routes["/bomb"] = Page(gzip_bomb, headers={"Content-Encoding": "gzip"})

    def capture_the_bomb():
        with pytest.raises(CaptureFailed, match="larger than 1,000,000 bytes"):
            fetch(pages.url("/bomb"))

    # The cap plus a few pieces of 64 KiB in flight; unpacking whole network reads at once
    # took 100 MiB and more here.
    assert _peak_memory_of(capture_the_bomb) < 4_000_000


@pytest.mark.parametrize(
    ("encoding", "wbits"), [("gzip", 31), ("x-gzip", 31), ("deflate", 15), ("deflate", -15)]
)
def test_a_compressed_page_sent_although_not_asked_for_is_unpacked(pages, encoding, wbits):
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    packed = compressor.compress(ARTICLE_HTML.encode()) + compressor.flush()
    pages.routes["/packed"] = Page(packed, headers={"Content-Encoding": encoding})
    fetched = fetch(pages.url("/packed"))
    assert fetched.body == ARTICLE_HTML.encode()


def test_a_damaged_compressed_page_fails_readably(pages):
    packed = gzip.compress(ARTICLE_HTML.encode())
    pages.routes["/damaged"] = Page(
        packed[:20] + b"\xff" * 40, headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(CaptureFailed, match="compressed body could not be unpacked"):
        fetch(pages.url("/damaged"))


def _brotli_bomb():
    """100 MiB of zeros as brotli (a few hundred bytes), or some bytes labelled so when the
    brotli module is absent: either way the fetcher must not try to unpack it."""
    try:
        import brotli
    except ImportError:
        return b"\x8b\x00\x80not really brotli\x03"
    return brotli.compress(bytes(100 << 20), quality=5)


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, gzip", "gzip, br"])
def test_an_encoding_the_fetcher_cannot_unpack_boundedly_is_refused(pages, settings, encoding):
    settings.CAPTURE_MAX_BYTES = 1_000_000
    body = _brotli_bomb() if encoding == "br" else _gzip_of_zeros(2)
    pages.routes["/packed"] = Page(body, headers={"Content-Encoding": encoding})

    def capture_it():
        with pytest.raises(CaptureFailed, match=f"compressed as “{encoding}”"):
            fetch(pages.url("/packed"))

    assert _peak_memory_of(capture_it) < 4_000_000


# --- One deadline for the whole fetch -----------------------------------------------------


def test_a_server_trickling_its_header_lines_is_cut_off_at_the_total_deadline(pages, settings):
    settings.CAPTURE_TOTAL_TIMEOUT = 1
    pad = {f"X-Pad-{number}": "x" for number in range(40)}  # 40 lines: 10 s at 0.25 s each
    pages.routes["/drip"] = Page(b"<html>late</html>", headers=pad, header_drip=0.25)
    started = time.monotonic()
    with pytest.raises(CaptureFailed, match="took longer than 1 seconds"):
        fetch(pages.url("/drip"))
    assert time.monotonic() - started < 4


def test_a_server_trickling_its_body_is_cut_off_at_the_total_deadline(pages, settings):
    settings.CAPTURE_TOTAL_TIMEOUT = 1
    pages.routes["/drip"] = Page(b"<html>" + b"x" * 40 + b"</html>", body_drip=0.25)
    started = time.monotonic()
    with pytest.raises(CaptureFailed, match="took longer than 1 seconds"):
        fetch(pages.url("/drip"))
    assert time.monotonic() - started < 4


def test_a_server_slow_to_answer_is_cut_off_at_the_total_deadline(pages, settings):
    settings.CAPTURE_READ_TIMEOUT = 10
    settings.CAPTURE_TOTAL_TIMEOUT = 1
    pages.routes["/late"] = Page(b"<html>late</html>", delay=3)
    started = time.monotonic()
    with pytest.raises(CaptureFailed, match="took longer than 1 seconds"):
        fetch(pages.url("/late"))
    assert time.monotonic() - started < 2.5


def test_a_page_within_the_deadline_still_arrives_in_pieces(pages, settings):
    settings.CAPTURE_TOTAL_TIMEOUT = 5
    pages.routes["/drip"] = Page(b"<html>ok</html>", body_drip=0.01)
    assert fetch(pages.url("/drip")).body == b"<html>ok</html>"


# --- Malformed links and redirect targets -------------------------------------------------

MALFORMED_LOCATIONS = [
    "http:\\\\evil.example",
    "http:\\evil.example\\x",
    "https:\\\\evil.example/",
    "/\\evil.example/",
    "http://xn--/",
    "http://[::1",
    "http://evil.example:99999/",
    "http://" + "a" * 70 + "." + "b" * 70,
]


@pytest.mark.parametrize("location", MALFORMED_LOCATIONS)
def test_a_redirect_to_a_malformed_link_is_a_readable_failure(pages, location):
    pages.routes["/jump"] = Page(status=302, headers={"Location": location})
    with pytest.raises(CaptureError) as raised:
        fetch(pages.url("/jump"))
    assert str(raised.value).startswith(("Refused", "127.0.0.1"))
    assert [path for path, _ in pages.requests] == ["/jump"]


@pytest.mark.parametrize(
    "url",
    ["http:\\\\evil.example", "http://evil.example\\@127.0.0.1/", "http://a.example/x\\y", ""],
)
def test_a_malformed_link_is_refused_before_any_connection(pages, url):
    with pytest.raises(CaptureRefused):
        fetch(url)
    assert pages.requests == []
