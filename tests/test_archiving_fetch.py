"""The fetcher against a real HTTP server on loopback (the only place tests connect to)."""

import ipaddress
import shutil
import ssl
import subprocess
import threading

import httpx
import pytest

from claims.archiving import USER_AGENT, CaptureFailed, CaptureRefused, fetch
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
    with pytest.raises(CaptureFailed, match="did not answer within 0.3 seconds"):
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
    with pytest.raises(CaptureFailed, match="Could not connect to 127.0.0.1"):
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
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)  # noqa: S603, S607

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


def _trusting_transport(tls_files):
    context = ssl.create_default_context(cafile=str(tls_files / "ca.pem"))
    return httpx.HTTPTransport(verify=context)


def test_https_verifies_the_certificate_for_the_name_while_connecting_to_the_address(
    tls_pages, tls_files, settings
):
    port = tls_pages.server_address[1]
    settings.CAPTURE_ALLOWED_LOOPBACK = [f"127.0.0.1:{port}"]
    fetched = fetch(
        f"https://capture.test:{port}/secure",
        resolve=lambda host, port: [ipaddress.ip_address("127.0.0.1")],
        transport=_trusting_transport(tls_files),
    )
    assert fetched.body == b"<html>over TLS</html>"
    assert fetched.address == "127.0.0.1"


def test_https_refuses_a_certificate_for_another_name(tls_pages, tls_files, settings):
    port = tls_pages.server_address[1]
    settings.CAPTURE_ALLOWED_LOOPBACK = [f"127.0.0.1:{port}"]
    with pytest.raises(CaptureFailed, match="TLS certificate of other.test could not be verified"):
        fetch(
            f"https://other.test:{port}/secure",
            resolve=lambda host, port: [ipaddress.ip_address("127.0.0.1")],
            transport=_trusting_transport(tls_files),
        )
