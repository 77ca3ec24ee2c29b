"""Sources: what `timeline run --source` accepts, and fetching articles over HTTP.

A source spec is one of
  - a directory (every file under it), a file, or a glob (``seeds/**/*.html``) of .txt, .html or
    .json articles;
  - an ``http(s)://`` URL of an article page;
  - an RSS or Atom feed URL (every entry's link is fetched as an article page);
  - ``@FILE``: a file listing any of these, one per line (blank lines and ``#`` comments skipped;
    relative paths are read from the list file's folder).

`expand` turns specs into source items (local paths and URLs, each once) plus rejects for specs
that name nothing. `Fetcher` fetches URLs: a timeout per request, retries with exponential backoff
on timeouts, connection errors, 429 and 5xx, a per-host rate limit (every request to a host, every
redirect hop included, waits for its turn), a size cap on the body (Content-Length and the
streamed bytes), conditional requests from the fetch cache (If-None-Match / If-Modified-Since:
an unchanged page answers 304 and is not downloaded again) and a stated User-Agent.

Fetch cache: the `fetch_cache` table of the warehouse (warehouse/schema.sql), one row per URL:
the validators the server sent (ETag, Last-Modified), the SHA-256 of the article text stored
from it (its article id is the first 16 hex digits) or of the feed body, the time it was last
fetched, and for a feed the entry links. The flow reads it before fetching and the write task
stores the new rows in the load transaction, so the cache never points at content the warehouse
does not hold. An entry is used only while its article is stored under the current extractor
version (a new extractor refetches every page once).

Local files use the same cache as a 304 does for a page (`fetch_item` with `cache`): the entry of a
file (keyed by its path as given) holds, as its validator, the file's size, modification time in
nanoseconds and inode (`file_validator`), and the SHA-256 of the text stored from it. The rule,
in full:

  - a file whose lstat gives the same size, mtime_ns and inode as the entry is trusted unchanged
    and not read at all (outcome "unchanged", its stored article);
  - any difference reads and hashes the file again, as does a file without an entry: new content
    moves mtime, even at the same size; a file saved by writing a new one and renaming it over the
    old (editors, rsync, atomic writers) has a new inode even when its mtime was kept;
  - what the rule does not see, as make's and rsync's quick check do not: content rewritten in
    place and its mtime then set back to the old value by hand. (The status-change time would
    catch that, but every hard link made to a file moves it, and corpora are linked into run
    folders, bench/run.py included: they would be read again every run.)
  - an entry is recorded only for a regular file (links are read every time: their target may
    change under the same stat) that gave exactly one article under its own name, and only when
    its mtime is more than `RACY_SECONDS` older than the moment it was stat'ed: a file written
    within the file system's timestamp resolution of that moment could be written again with the
    same mtime after it was read (the "racily clean" case of git's index), so it is read again
    next time instead of trusted;
  - the entry of a local file is written when the file is read, and its `fetched_at` is that time
    (a file confirmed unchanged leaves its entry as it is, so a run that changes nothing writes
    no cache rows); like every entry it counts only while its article is stored under the current
    extractor version.

Everything here is plain functions and small classes; flows/build_timeline.py maps them over
batches. Nothing here raises for a bad source: `fetch_item` returns a Rejection with the reason.
"""

from __future__ import annotations

import glob as _glob
import hashlib
import io
import json
import os
import pickle
import re
import signal
import stat as _stat
import sys
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Iterable
from urllib.parse import urljoin, urlsplit

from models import Article, Rejection
from timeline.decoding import Decoded, decode
from timeline import ingest as _ingest_module
from timeline.ingest import MAX_BYTES, article_from_parts, build_article, discover, ingest_file, reject

__all__ = [
    "USER_AGENT", "ARTICLE_SUFFIXES", "FetchOptions", "CacheEntry", "Fetched", "FetchError", "HostLimiter",
    "Fetcher", "ItemResult", "RACY_SECONDS", "file_validator", "unchanged_file", "fetch_files", "expand", "is_url", "host_of", "make_batches", "fetch_item", "ingest_path",
    "html_to_article", "json_to_articles", "parse_feed", "looks_like_feed", "looks_like_feed_url",
]

USER_AGENT = "timeline/0.1 (Japan-US defence news timeline; +https://github.com/timeline/timeline)"
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".json")
_GLOB_CHARS = re.compile(r"[*?\[]")
_FEED_HINT = re.compile(r"(\.(rss|atom|rdf|xml)$)|(/(feed|rss|atom)(s)?(/|\.|$))|([?&](feed|format)=(rss|atom))", re.I)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_RETRY_STATUS = {429, 500, 502, 503, 504}
# Publication dates from markup only (meta tags, JSON-LD, <time>, the URL): htmldate's search of
# the visible text reads 2024年7月31日 as 2024-01-01, and a wrong publication date is a wrong
# reference for every relative date. Without markup the date line of the text is read instead.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
_REDIRECTS = {301, 302, 303, 307, 308}
# A local file modified this close to the moment it was stat'ed is not trusted by its stat next time
# (coarse file system clocks: ~4 ms on Linux, 2 s on FAT): see the module docstring.
RACY_SECONDS = 2.0


# ---------------------------------------------------------------------------------------------
# Options, cache entries, results
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FetchOptions:
    """How to fetch. Defaults suit real sites; tests pass tiny delays."""

    timeout: float = 20.0            # seconds per request (connect, read, write, pool)
    retries: int = 2                 # further attempts after a timeout, connection error, 429 or 5xx
    backoff: float = 1.0             # seconds before the first retry, doubled for each further one
    rate_limit: float = 1.0          # minimum seconds between two requests to the same host
    max_bytes: int = MAX_BYTES       # body size cap
    max_redirects: int = 5
    user_agent: str = USER_AGENT

    @classmethod
    def from_dict(cls, d: dict | None) -> FetchOptions:
        d = dict(d or {})
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown fetch option(s): {', '.join(sorted(unknown))}")
        return cls(**d)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CacheEntry:
    """One fetch_cache row: what the last successful fetch of a URL left."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    fetched_at: datetime | None = None
    entries: tuple[str, ...] | None = None   # feed entry links; None for an article page

    def row(self) -> dict:
        return dict(url=self.url, etag=self.etag, last_modified=self.last_modified,
                    content_sha256=self.content_sha256, fetched_at=self.fetched_at,
                    entries=list(self.entries) if self.entries is not None else None)


@dataclass(frozen=True)
class Fetched:
    url: str                          # the URL asked for
    final_url: str                    # after redirects
    status: int                       # 200, or 304 when the cached copy is current
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset=([\w.-]+)", self.content_type, re.I)
        return m.group(1) if m else None


class FetchError(Exception):
    """A URL that could not be fetched: `reason` is short and machine-readable."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


@dataclass
class ItemResult:
    """What one source item gave: an article, an unchanged stored article, or a rejection."""

    source_uri: str
    outcome: str                                   # article | unchanged | failed
    articles: list[Article] = field(default_factory=list)
    article_id: str | None = None                  # unchanged: the stored article it still holds
    rejects: list[Rejection] = field(default_factory=list)
    cache: list[CacheEntry] = field(default_factory=list)
    requests: int = 0
    entries: list[str] = field(default_factory=list)              # a feed: its entry links
    extra_items: list[ItemResult] = field(default_factory=list)   # a feed: its entries, when fetched inline


# ---------------------------------------------------------------------------------------------
# Specs → items
# ---------------------------------------------------------------------------------------------

def is_url(spec: str) -> bool:
    return bool(re.match(r"^https?://", spec.strip(), re.I))


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")


def expand(specs: Iterable[str], now: datetime, base: Path | None = None,
           _seen_lists: frozenset[str] = frozenset()) -> tuple[list[str], list[Rejection], dict[str, str]]:
    """Source specs → (items, rejects, roots). Items are local file paths and URLs, each once, in
    the order given (a directory or glob in sorted order); a spec that names nothing is a reject;
    `roots` maps a file found under a directory to that directory (links may not point outside)."""
    items: list[str] = []
    rejects: list[Rejection] = []
    roots: dict[str, str] = {}
    seen: set[str] = set()

    def add(item: str, root: Path | None = None) -> None:
        if item not in seen:
            seen.add(item)
            items.append(item)
            if root is not None:
                roots[item] = str(root)

    for raw in specs:
        spec = raw.strip()
        if not spec or spec.startswith("#"):
            continue
        if is_url(spec):
            add(spec)
            continue
        if spec.startswith("@"):
            listing = _local(spec[1:], base)
            key = str(listing.resolve()) if listing.exists() else str(listing)
            if key in _seen_lists:
                rejects.append(reject(spec, "ingest", "list_cycle", f"{listing} lists itself (directly or through another list)", now))
                continue
            try:
                lines = listing.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                rejects.append(reject(spec, "ingest", "not_found" if isinstance(exc, FileNotFoundError) else "unreadable",
                                      f"cannot read the source list {listing}: {getattr(exc, 'strerror', None) or exc}", now))
                continue
            sub, bad, sub_roots = expand(lines, now, base=listing.parent, _seen_lists=_seen_lists | {key})
            for x in sub:
                add(x, Path(sub_roots[x]) if x in sub_roots else None)
            rejects.extend(bad)
            continue
        if _GLOB_CHARS.search(spec):
            pattern = str(_local(spec, base))
            found = sorted(p for p in _glob.glob(pattern, recursive=True) if Path(p).is_file())
            if not found:
                rejects.append(reject(spec, "ingest", "not_found", f"no file matches the pattern {pattern}", now))
            for p in found:
                add(p)
            continue
        path = _local(spec, base)
        if path.is_dir() or path.is_file():
            for p in discover(path):
                add(str(p), path if path.is_dir() else None)
        else:
            rejects.append(reject(spec, "ingest", "not_found", f"{path} does not exist", now))
    return items, rejects, roots


def _local(spec: str, base: Path | None) -> Path:
    p = Path(spec).expanduser()
    return p if p.is_absolute() or base is None else base / p


def make_batches(items: list[str], size: int) -> list[list[str]]:
    """Group items into batches of about `size`. Local files are cut freely; URLs are grouped by
    host so that every host sits in exactly one batch: batches run in parallel, requests inside
    a batch one after another, so the per-host rate limit holds across all workers."""
    size = max(1, int(size))
    files = [i for i in items if not is_url(i)]
    by_host: dict[str, list[str]] = {}
    for i in items:
        if is_url(i):
            by_host.setdefault(host_of(i), []).append(i)
    batches = [files[k:k + size] for k in range(0, len(files), size)]
    current: list[str] = []
    for host in sorted(by_host, key=lambda h: (-len(by_host[h]), h)):
        urls = by_host[host]
        if len(urls) >= size:
            batches.append(urls)
            continue
        if current and len(current) + len(urls) > size:
            batches.append(current)
            current = []
        current = current + urls
    if current:
        batches.append(current)
    return batches


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------

class HostLimiter:
    """Per-host minimum interval between requests (thread-safe; one per batch / process)."""

    def __init__(self, interval: float):
        self.interval = max(0.0, float(interval))
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        if self.interval <= 0:
            return
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next.get(host, 0.0))
            self._next[host] = at + self.interval
        if at > now:
            time.sleep(at - now)


class Fetcher:
    """An httpx client with the fetch policy of `FetchOptions`. Use as a context manager."""

    def __init__(self, options: FetchOptions | None = None, limiter: HostLimiter | None = None,
                 sleep=time.sleep):
        import httpx

        self.options = options or FetchOptions()
        self.limiter = limiter or HostLimiter(self.options.rate_limit)
        self.sleep = sleep
        self.requests = 0
        self._httpx = httpx
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,   # followed here, so that every hop is rate-limited and capped
            headers={"User-Agent": self.options.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                               "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
                     "Accept-Language": "ja,en;q=0.8"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, cached: CacheEntry | None = None) -> Fetched:
        """GET `url` (conditionally when `cached` has validators); raise FetchError on failure."""
        conditional = {}
        if cached is not None and cached.etag:
            conditional["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            conditional["If-Modified-Since"] = cached.last_modified
        current = url
        for _hop in range(self.options.max_redirects + 1):
            # validators belong to the final resource: sent on every hop (a redirect answers 3xx anyway)
            status, headers, body = self._get_with_retries(current, conditional)
            if status in _REDIRECTS:
                location = headers.get("location")
                if not location:
                    raise FetchError("http_error", f"HTTP {status} without a Location header from {current}")
                current = urljoin(current, location)
                if not is_url(current):
                    raise FetchError("bad_url", f"redirect to a non-HTTP location {current}")
                continue
            if status == 304:
                if cached is None:
                    raise FetchError("http_error", f"HTTP 304 for an unconditional request to {current}")
                return Fetched(url, current, 304, etag=headers.get("etag") or cached.etag,
                               last_modified=headers.get("last-modified") or cached.last_modified)
            if status in (404, 410):
                raise FetchError("not_found", f"HTTP {status} from {current}")
            if status >= 400:
                raise FetchError("http_error", f"HTTP {status} from {current}")
            if status != 200:
                raise FetchError("http_error", f"unexpected HTTP {status} from {current}")
            return Fetched(url, current, 200, body, headers.get("content-type", ""), headers.get("etag"),
                           headers.get("last-modified"))
        raise FetchError("too_many_redirects", f"more than {self.options.max_redirects} redirects from {url}")

    def _get_with_retries(self, url: str, extra: dict) -> tuple[int, dict, bytes]:
        httpx = self._httpx
        attempts = self.options.retries + 1
        last: FetchError | None = None
        wait_asked = 0.0
        for attempt in range(attempts):
            if attempt:   # exponential backoff, or the server's Retry-After when longer (at most a minute)
                self.sleep(max(self.options.backoff * (2 ** (attempt - 1)), min(wait_asked, 60.0)))
                wait_asked = 0.0
            self.limiter.wait(host_of(url))
            self.requests += 1
            try:
                status, headers, body = self._get(url, extra)
            except httpx.TimeoutException:
                last = FetchError("timeout", f"no complete answer from {url} within {self.options.timeout:g} s "
                                             f"({attempts} attempt{'s' if attempts > 1 else ''})")
                continue
            except httpx.InvalidURL as exc:
                raise FetchError("bad_url", f"{url}: {exc}") from None
            except (httpx.TransportError, httpx.DecodingError) as exc:
                last = FetchError("connection_error", f"{url}: {type(exc).__name__}: {exc or 'no detail'} "
                                                      f"({attempts} attempt{'s' if attempts > 1 else ''})")
                continue
            if status in _RETRY_STATUS and attempt + 1 < attempts:
                last = FetchError("http_error", f"HTTP {status} from {url}")
                retry_after = headers.get("retry-after", "")
                wait_asked = float(retry_after) if retry_after.strip().isdigit() else 0.0
                continue
            return status, headers, body
        assert last is not None
        raise last

    def _get(self, url: str, extra: dict) -> tuple[int, dict, bytes]:
        cap = self.options.max_bytes
        with self.client.stream("GET", url, headers=extra) as r:
            headers = {k.lower(): v for k, v in r.headers.items()}
            if r.status_code != 200:
                return r.status_code, headers, b""
            declared = headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > cap:
                raise FetchError("too_large", f"{url} declares {int(declared)} bytes, over the {cap}-byte cap")
            chunks, total = [], 0
            for chunk in r.iter_bytes():
                total += len(chunk)
                if total > cap:
                    raise FetchError("too_large", f"{url} sent more than the {cap}-byte cap")
                chunks.append(chunk)
            return r.status_code, headers, b"".join(chunks)


# ---------------------------------------------------------------------------------------------
# Pages, feeds and files → articles
# ---------------------------------------------------------------------------------------------

def looks_like_feed(content_type: str, body: bytes) -> bool:
    ct = content_type.split(";")[0].strip().lower()
    if ct in _FEED_TYPES:
        return True
    if "html" in ct:
        return False
    head = body[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return bool(re.match(rb"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:rdf)\b", head, re.S))


def parse_feed(body: bytes, base_url: str) -> list[str]:
    """Entry links of an RSS or Atom feed (absolute, each once, in feed order)."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": base_url})
    links: list[str] = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if link:
            link = urljoin(base_url, link.strip())
            if link not in links:
                links.append(link)
    if not links and parsed.bozo and not parsed.entries:
        raise FetchError("bad_feed", f"{base_url} is not a readable RSS/Atom feed: {parsed.get('bozo_exception')}")
    return links


def html_to_article(source_uri: str, html: str | bytes, now: datetime, url: str | None = None) -> Article | Rejection:
    """An article page → Article (title, publication date and main text, by trafilatura)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url or (source_uri if is_url(source_uri) else None),
                                          with_metadata=True, include_comments=False, include_tables=True,
                                          include_images=False, include_links=False, deduplicate=False,
                                          date_extraction_params=_DATE_PARAMS)
    except Exception as exc:   # a page the parser chokes on is one reject, never a failed run
        return reject(source_uri, "ingest", "unparseable_html", f"{type(exc).__name__}: {exc}", now)
    if doc is None:
        return reject(source_uri, "ingest", "no_text", "no main text found in the page", now)
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (d.get("text") or "").strip()
    if not text:
        return reject(source_uri, "ingest", "no_text", "no main text found in the page", now)
    published = d.get("date")
    if published and published.endswith("T00:00:00"):   # a day without a time (e.g. from the URL)
        published = published[:10]
    return article_from_parts(source_uri, text, now, title=d.get("title"), published=published)


def json_to_articles(source_uri: str, text: str, now: datetime) -> list[Article | Rejection]:
    """A .json article: an object (or a list of objects) with `text` (or `html`), and optionally
    `title`, `published_at` (or `date`) and `site`. Items of a list are named FILE#N."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [reject(source_uri, "ingest", "bad_json", f"not JSON: {exc}", now)]
    items = data if isinstance(data, list) else [data]
    out: list[Article | Rejection] = []
    for n, item in enumerate(items):
        uri = f"{source_uri}#{n}" if isinstance(data, list) else source_uri
        if not isinstance(item, dict):
            out.append(reject(uri, "ingest", "bad_json", "an article is a JSON object with a `text` field", now))
            continue
        published = item.get("published_at") or item.get("date") or item.get("published")
        if item.get("html") and not item.get("text"):
            out.append(html_to_article(uri, item["html"], now, url=item.get("url")))
            continue
        body = item.get("text")
        if not isinstance(body, str) or not body.strip():
            out.append(reject(uri, "ingest", "empty", "the JSON article has no `text` (or `html`)", now))
            continue
        out.append(article_from_parts(uri, body.replace("\r\n", "\n").replace("\r", "\n"), now,
                                      title=item.get("title"), published=str(published) if published else None,
                                      site=item.get("site")))
    return out


def ingest_path(path: Path, now: datetime, root: Path | None = None) -> list[Article | Rejection]:
    """A local file → articles or rejects (.txt and anything else through ingest_file; .html/.htm
    through trafilatura; .json as described in `json_to_articles`)."""
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".json") or not path.is_file():
        return [ingest_file(path, now, root=root)]
    uri = str(path)
    outside = getattr(_ingest_module, "_outside", None)
    if outside is not None and outside(path, root):
        return [reject(uri, "ingest", "outside_source", "a link pointing outside the source folder: not read", now)]
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return [reject(uri, "ingest", "too_large", f"{size} bytes is over the {MAX_BYTES}-byte cap", now)]
        data = path.read_bytes()
    except OSError as exc:
        return [reject(uri, "ingest", "unreadable", f"{type(exc).__name__}: {exc}", now)]
    if suffix == ".json":
        got = decode(data)
        if not isinstance(got, Decoded):
            return [reject(uri, "ingest", got.reason, got.detail, now)]
        return json_to_articles(uri, got.text, now)
    if not data.strip():
        return [reject(uri, "ingest", "empty", "the file holds no text", now)]
    return [html_to_article(uri, data, now)]


def _page_html(f: Fetched) -> str | bytes:
    if f.charset:
        try:
            return f.body.decode(f.charset, errors="replace")
        except LookupError:
            pass
    return f.body   # trafilatura detects the encoding (meta charset, then a guess)


def fetch_item(item: str, now: datetime, fetcher: Fetcher | None = None,
               cache: dict[str, CacheEntry] | None = None, inline_entries: bool = True,
               root: str | None = None) -> ItemResult:
    """One source item → its result. Never raises for a bad source.

    A URL that turns out to be a feed gives outcome "feed" with its entry links; with
    `inline_entries` the entries are fetched here too (as `extra_items`)."""
    cache = cache or {}
    if not is_url(item):
        return _file_item(item, now, cache.get(item), root)
    assert fetcher is not None, "a URL needs a Fetcher"
    before = fetcher.requests
    cached = cache.get(item)
    try:
        got = fetcher.fetch(item, cached)
    except FetchError as exc:
        return ItemResult(item, "failed", rejects=[reject(item, "ingest", exc.reason, exc.detail, now)],
                          requests=fetcher.requests - before)
    n = fetcher.requests - before
    if got.not_modified:
        entry = replace(cached, etag=got.etag, last_modified=got.last_modified, fetched_at=now)
        if cached.entries is not None:   # a feed: its entries as last read
            return _feed_result(item, list(cached.entries), entry, now, fetcher, cache, n, inline_entries)
        return ItemResult(item, "unchanged", article_id=(cached.content_sha256 or "")[:16], cache=[entry], requests=n)
    if looks_like_feed(got.content_type, got.body):
        try:
            links = parse_feed(got.body, got.final_url)
        except FetchError as exc:
            return ItemResult(item, "failed", rejects=[reject(item, "ingest", exc.reason, exc.detail, now)], requests=n)
        entry = CacheEntry(item, got.etag, got.last_modified, hashlib.sha256(got.body).hexdigest(), now, tuple(links))
        return _feed_result(item, links, entry, now, fetcher, cache, n, inline_entries)
    ct = got.content_type.split(";")[0].strip().lower()
    if ct and not (ct.startswith("text/") or "html" in ct or "xml" in ct or ct == "application/json"):
        return ItemResult(item, "failed", rejects=[reject(item, "ingest", "unsupported_type",
                                                          f"{got.final_url} is {ct}, not an article page", now)], requests=n)
    if ct in ("text/plain", "application/json"):
        dec = decode(got.body)
        if not isinstance(dec, Decoded):
            art = reject(item, "ingest", dec.reason, dec.detail, now)
        elif ct == "text/plain":
            art = article_from_parts(item, dec.text, now)
        else:
            found = json_to_articles(item, dec.text, now)
            art = found[0] if len(found) == 1 else reject(item, "ingest", "bad_json", "a URL gives one JSON article", now)
    else:
        art = html_to_article(item, _page_html(got), now, url=got.final_url)
    if not isinstance(art, Article):
        return ItemResult(item, "failed", rejects=[art], requests=n)
    entry = CacheEntry(item, got.etag, got.last_modified, art.content_sha256, now, None)
    return ItemResult(item, "article", articles=[art], cache=[entry] if (got.etag or got.last_modified) else [],
                      requests=n)


def file_validator(st: os.stat_result) -> str:
    """The cache validator of a local file (stored in fetch_cache.etag): size, mtime_ns, inode."""
    return f"file:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _file_stat(item: str) -> tuple[os.stat_result | None, str | None, int]:
    """(lstat, validator, when it was taken); no validator for anything but a regular file."""
    stat_at = time.time_ns()
    try:
        st = os.lstat(item)
    except OSError:
        return None, None, stat_at   # ingest_path gives the reject (missing, unreadable)
    return st, (file_validator(st) if _stat.S_ISREG(st.st_mode) else None), stat_at


def _trusted(validator: str | None, cached: CacheEntry | None) -> bool:
    return (validator is not None and cached is not None and cached.entries is None and cached.etag == validator
            and bool(cached.content_sha256))


def unchanged_file(item: str, cached: CacheEntry | None) -> ItemResult | None:
    """The "unchanged" result of a local file whose stat matches its cache entry, else None
    (the flow checks every file this way before it batches the rest for reading)."""
    if cached is None or is_url(item):
        return None
    _, validator, _ = _file_stat(item)
    return ItemResult(item, "unchanged", article_id=cached.content_sha256[:16]) if _trusted(validator, cached) else None


def _file_item(item: str, now: datetime, cached: CacheEntry | None, root: str | None) -> ItemResult:
    """A local file → its result: "unchanged" (not read) when its stat matches its cache entry,
    else read and ingested, with a new cache entry when the rule of the module docstring allows."""
    # stat before reading: a write after it changes the stat, never the reverse
    st, validator, stat_at = _file_stat(item)
    if _trusted(validator, cached):
        return ItemResult(item, "unchanged", article_id=cached.content_sha256[:16])
    path = Path(item)
    results = ingest_path(path, now, Path(root) if root else None)
    arts = [r for r in results if isinstance(r, Article)]
    bad = [r for r in results if not isinstance(r, Article)]
    entry = []
    if (validator is not None and len(arts) == 1 and not bad and arts[0].source_uri == item
            and stat_at - st.st_mtime_ns > RACY_SECONDS * 1e9):
        entry = [CacheEntry(item, validator, None, arts[0].content_sha256, now, None)]
    return ItemResult(item, "article" if arts else "failed", articles=arts, rejects=bad, cache=entry)


def fetch_files(items: list[str], now: datetime, cache: dict[str, CacheEntry] | None = None,
                roots: dict[str, str] | None = None) -> list[ItemResult]:
    """Local files → their results (as `fetch_item`, in order), read in a forked child process on
    Linux. Reading is CPU work (decoding, hashing, splitting lines, page metadata, trafilatura for
    HTML) and the flow's fetch tasks are threads of one process: in them every batch shared one
    core. The child sends its results back pickled and exits. If it cannot be forked or dies
    without answering, the batch is read here instead: the mechanism never loses a file."""
    cache, roots = cache or {}, roots or {}

    def read() -> list[ItemResult]:
        return [fetch_item(i, now, cache=cache, root=roots.get(i)) for i in items]

    if sys.platform != "linux" or not items:
        return read()
    _warm_readers(items, now)
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:          # process limits: read here
        os.close(r)
        os.close(w)
        return read()
    if pid == 0:             # the child: read, answer, exit (never return into the caller's code)
        status = 1
        try:
            os.close(r)
            _die_with_parent()
            _send(w, read())
            status = 0
        finally:
            os._exit(status)
    os.close(w)
    with os.fdopen(r, "rb") as answer:
        data = answer.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return read()
    return pickle.loads(data)


def _send(fd: int, results: list[ItemResult]) -> None:
    with os.fdopen(fd, "wb") as out:
        out.write(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))


def _die_with_parent() -> None:
    """A reading child must not outlive the run that forked it (nor hold its writer lock's
    descriptor after it died): SIGKILL when the parent goes."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except Exception:
        pass


_warmed: set[str] = set()
_warm_lock = threading.Lock()
_WARM_TEXT = "日米防衛相会談\n2025-01-31 10:00\n中谷防衛大臣は1月31日、ヘグセス国防長官と電話会談を行った。\n"


def _warm_readers(items: list[str], now: datetime) -> None:
    """Import (and build the lazy tables of) what reading needs in this process, once, before
    forking: a thread that forks while another is importing a module leaves the child waiting
    forever on that module's import lock (timeline/validate.py warms the extractor likewise)."""
    kinds = {"text"} | ({"html"} if any(Path(i).suffix.lower() in (".html", ".htm", ".json") for i in items) else set())
    with _warm_lock:
        for kind in sorted(kinds - _warmed):
            try:
                if kind == "text":
                    import charset_normalizer  # noqa: F401  (decoding's detector, imported lazily there)

                    build_article("warm-up", _WARM_TEXT, now)
                else:
                    html_to_article("warm-up", f"<html><head><title>t</title></head><body><p>{_WARM_TEXT}</p></body></html>", now)
            except Exception:
                pass
            _warmed.add(kind)


def _feed_result(item: str, links: list[str], entry: CacheEntry, now: datetime, fetcher: Fetcher,
                 cache: dict[str, CacheEntry], n: int, inline: bool) -> ItemResult:
    """A feed is no article: it stands for its entries."""
    out = ItemResult(item, "feed", cache=[entry], requests=n, entries=list(links))
    if inline:
        for link in links:
            out.extra_items.append(fetch_item(link, now, fetcher, cache, inline_entries=False))
    return out


def looks_like_feed_url(url: str) -> bool:
    """A URL that names a feed (…/feed, …/rss, .xml, .atom, ?format=rss): read during discovery."""
    return is_url(url) and bool(_FEED_HINT.search(urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")))


def http_date(dt: datetime) -> str:
    from email.utils import format_datetime

    return format_datetime(dt, usegmt=True)


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
