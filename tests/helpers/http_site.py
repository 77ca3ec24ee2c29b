"""A small news site on 127.0.0.1 for the fetching tests: article pages (with ETag and
Last-Modified, answering conditional requests with 304), an RSS feed, an Atom feed, a 404, a
redirect, a slow page, an oversized body and a flaky page. Every request is logged.

    with NewsSite(pages) as site:
        site.url("/feed.xml")

Nothing here reaches beyond the loopback interface; every handler finishes on its own.
"""

from __future__ import annotations

import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"


def page_from_text(text: str, published_iso: str | None = None) -> str:
    """An article page around a plain-text article: first line the headline, the rest paragraphs,
    with site chrome (menu, related links, footer) that the main-text extraction should drop."""
    lines = [l for l in text.splitlines() if l.strip()]
    title, body = lines[0], lines[1:]
    meta = f'<meta property="article:published_time" content="{published_iso}">' if published_iso else ""
    paras = "\n".join(f"<p>{html.escape(l)}</p>" for l in body)
    return f"""<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>{html.escape(title)} | テストニュース</title>{meta}</head>
<body>
<header><nav><ul><li><a href="/">ホーム</a></li><li><a href="/politics">政治</a></li><li><a href="/intl">国際</a></li></ul></nav></header>
<main><article>
<h1>{html.escape(title)}</h1>
{paras}
</article></main>
<aside><h2>関連記事</h2><ul><li><a href="/x">新幹線、大雪の影響で一部運休</a></li><li><a href="/y">全国の桜、各地で満開に</a></li></ul></aside>
<footer><p>Copyright テストニュース All rights reserved.</p></footer>
</body></html>
"""


def rss(items: list[tuple[str, str]], title: str = "テストニュース") -> str:
    entries = "\n".join(f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link></item>" for t, u in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{title}</title><link>http://example.invalid/</link><description>test</description>
{entries}
</channel></rss>
"""


def atom(items: list[tuple[str, str]]) -> str:
    entries = "\n".join(f'<entry><title>{html.escape(t)}</title><link href="{html.escape(u)}"/><id>{html.escape(u)}</id>'
                        f"<updated>2025-01-01T00:00:00Z</updated></entry>" for t, u in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>test</title><id>urn:test</id><updated>2025-01-01T00:00:00Z</updated>
{entries}
</feed>
"""


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):   # a client that hung up (timeout, size cap) is expected
        pass


@dataclass
class Hit:
    path: str
    headers: dict
    status: int


@dataclass
class NewsSite:
    """pages: path → (body, content type). Special paths are built in (see module doc)."""

    pages: dict[str, tuple[str | bytes, str]] = field(default_factory=dict)
    slow_seconds: float = 3.0
    big_bytes: int = 300_000
    flaky_failures: int = 1
    log: list[Hit] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._flaky_seen = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):   # quiet
                pass

            def do_GET(self):
                site._handle(self)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # -- lifecycle --------------------------------------------------------------------------------
    def __enter__(self) -> NewsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path == path]

    def clear(self) -> None:
        with self._lock:
            self.log.clear()

    # -- handling ---------------------------------------------------------------------------------
    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        with self._lock:
            self.log.append(Hit(h.path, {k.lower(): v for k, v in h.headers.items()}, status))
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        if "Content-Length" not in (headers or {}):
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if body:
            try:
                h.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path == "/slow":
            time.sleep(self.slow_seconds)
            return self._send(h, 200, b"<html><body><p>late</p></body></html>", {"Content-Type": "text/html"})
        if path == "/big":
            return self._send(h, 200, b"<p>" + b"x" * self.big_bytes + b"</p>", {"Content-Type": "text/html"})
        if path == "/big-chunked":   # no Content-Length: the cap must hold on the streamed bytes
            with self._lock:
                self.log.append(Hit(h.path, dict(h.headers), 200))
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Connection", "close")
            h.end_headers()
            try:
                for _ in range(self.big_bytes // 10_000 + 1):
                    h.wfile.write(b"x" * 10_000)
            except (BrokenPipeError, ConnectionResetError):
                pass
            h.close_connection = True
            return
        if path == "/old-location":
            return self._send(h, 301, b"", {"Location": "/articles/moved.html"})
        if path == "/loop":
            return self._send(h, 302, b"", {"Location": "/loop"})
        if path == "/busy":   # always overloaded, asking for 2 s
            return self._send(h, 503, b"busy", {"Content-Type": "text/plain", "Retry-After": "2"})
        if path == "/flaky":
            with self._lock:
                self._flaky_seen += 1
                fail = self._flaky_seen <= self.flaky_failures
            if fail:
                return self._send(h, 503, b"busy", {"Content-Type": "text/plain", "Retry-After": "0"})
            path = "/articles/flaky.html"
        if path not in self.pages:
            return self._send(h, 404, b"<html><body>not found</body></html>", {"Content-Type": "text/html"})
        body, ctype = self.pages[path]
        data = body.encode("utf-8") if isinstance(body, str) else body
        etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
        if h.headers.get("If-None-Match") == etag:
            return self._send(h, 304, b"", {"ETag": etag, "Last-Modified": LAST_MODIFIED})
        return self._send(h, 200, data, {"Content-Type": ctype, "ETag": etag, "Last-Modified": LAST_MODIFIED})


def seed_site(seeds: Path) -> dict[str, tuple[str, str]]:
    """Pages made from the seed articles: two article pages, a page behind a redirect, two pages
    listed by the RSS feed (the feed is filled in by `with_feeds`)."""
    files = sorted(seeds.glob("*.txt"))
    text = {f.name[:3]: f.read_text(encoding="utf-8") for f in files}
    return {
        "/articles/2plus2.html": (page_from_text(text["003"], "2024-07-31T10:10:00+09:00"), "text/html; charset=utf-8"),
        "/articles/guidelines.html": (page_from_text(text["000"], "2024-12-29T11:25:00+09:00"), "text/html; charset=utf-8"),
        "/articles/moved.html": (page_from_text(text["002"]), "text/html; charset=utf-8"),
        "/articles/feed-1.html": (page_from_text(text["001"]), "text/html"),
        "/articles/feed-2.html": (page_from_text(text["004"]), "text/html"),
    }


def with_feeds(pages: dict, base: str) -> dict:
    items = [("記事1", base + "/articles/feed-1.html"), ("記事2", base + "/articles/feed-2.html")]
    return {**pages,
            "/feed.xml": (rss(items), "application/rss+xml; charset=utf-8"),
            "/atom.xml": (atom(items), "application/atom+xml")}
