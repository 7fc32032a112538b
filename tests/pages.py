"""A real HTTP server on loopback for capture tests, and documents made by the tests.

Routes are a dict the tests fill: path -> Page. The server runs in a thread on 127.0.0.1 with
a port chosen by the OS; only that address and port are ever let through the capture guard.
"""

import io
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import docx
import pypdf

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Water levels on the Vessa | River Courier</title>
<meta name="author" content="Mara Quist">
<meta property="og:site_name" content="River Courier">
<meta property="article:published_time" content="2026-03-02T09:30:00Z">
<link rel="canonical" href="https://courier.example/vessa/water-levels">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Water levels on the Vessa</h1>
<p>The river rose by 3.2 metres overnight, the water authority said on Monday morning.</p>
<p>About 1,200 homes in Marrow were flooded, according to the regional council.</p>
<p>Rescue teams <script>alert("x")</script>worked through the night
&lt;b&gt;without rest&lt;/b&gt;.</p>
</article><footer>Copyright River Courier</footer></body></html>
"""


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line is sent
    send_length: bool = True
    # Seconds between one header line and the next, or one body byte and the next: each
    # piece comes well within the read timeout, so only a total deadline stops the client.
    header_drip: float = 0.0
    body_drip: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        page = self.server.routes.get(self.path.split("?")[0])
        if page is None:
            page = Page(b"not here", status=404, content_type="text/plain")
        if page.delay:
            time.sleep(page.delay)
        if page.header_drip or page.body_drip:
            self._drip(page)
            return
        try:
            self.send_response(page.status)
            if page.content_type:
                self.send_header("Content-Type", page.content_type)
            for name, value in page.headers.items():
                self.send_header(name, value)
            if page.send_length:
                self.send_header("Content-Length", str(len(page.body)))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(page.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (size cap, timeout): expected in tests

    def _drip(self, page):
        lines = [f"HTTP/1.1 {page.status} Slow\r\n", f"Content-Type: {page.content_type}\r\n"]
        lines += [f"{name}: {value}\r\n" for name, value in page.headers.items()]
        lines += [f"Content-Length: {len(page.body)}\r\n", "\r\n"]
        pieces = [(line.encode("latin-1"), page.header_drip) for line in lines]
        pieces += [
            (page.body[index : index + 1], page.body_drip) for index in range(len(page.body))
        ]
        try:
            for piece, pause in pieces:
                self.wfile.write(piece)
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what the tests expect of it

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client that gave up (size cap, deadline) is what those tests expect
        super().handle_error(request, client_address)


class PageServer:
    def __init__(self):
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.routes = {}
        self.httpd.requests = []
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def routes(self):
        return self.httpd.routes

    @property
    def requests(self):
        return self.httpd.requests

    @property
    def endpoint(self):
        return f"127.0.0.1:{self.port}"

    def url(self, path):
        return f"http://{self.endpoint}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def make_pdf(lines, *, password=None):
    """A one-page PDF with `lines` as real text; encrypted when `password` is given."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    content = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(f"({line}) '" for line in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Title (Flood report) /Author (River desk) /CreationDate (D:20260302093000Z) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    data = out.getvalue()
    if password is None:
        return data
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    return encrypted.getvalue()


def make_docx(paragraphs, *, title="", table=None, created=None):
    document = docx.Document()
    document.core_properties.title = title
    if created is not None:
        document.core_properties.created = created
    document.core_properties.author = "Ida Sorensen"
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
