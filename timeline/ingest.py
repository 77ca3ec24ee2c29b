"""Ingest stage: files → Article records (or Rejection records), with page metadata.

Reads bytes (regular files inside the source folder only, at most MAX_BYTES), decodes them
(timeline/decoding.py: UTF-8, the Japanese legacy encodings, then a detector), stores the text
with only line endings normalised, and reads the title, site, language and publication time the
page shows. Every input ends as exactly one Article or one Rejection with a reason a person
understands; nothing here raises for one bad file.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml
from pydantic import ValidationError

from models import Article, Language, Rejection
from models.records import content_id
from timeline import EXTRACTOR_VERSION
from timeline.dates import parse_timestamp
from timeline.decoding import Decoded, decode
from timeline.text import Line, split_lines

__all__ = ["SUPPORTED_SUFFIXES", "MAX_BYTES", "Ingested", "discover", "ingest_all", "ingest_file", "build_article",
           "reject", "describe_error", "safe_uri", "redact"]

SUPPORTED_SUFFIXES = (".txt",)
MAX_BYTES = 5 * 1024 * 1024
_REFERENCE = Path(__file__).resolve().parents[1] / "seeds" / "reference"


def discover(source: Path) -> list[Path]:
    """The inputs under a folder (sorted), or the file itself. Every entry that is not a folder
    is an input (files, links, pipes…: ingest_file rejects what it cannot read); hidden names
    (``.``) are skipped; linked folders are not followed but are inputs; a folder that cannot be
    listed is itself an input (rejected as unreadable), so nothing under it goes missing silently."""
    if not source.is_dir():
        return [source]
    found: list[Path] = []

    def unlisted(exc: OSError) -> None:
        if exc.filename is not None:
            found.append(Path(exc.filename))

    for folder, dirs, files in os.walk(source, onerror=unlisted, followlinks=False):
        base = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(base / d for d in dirs if (base / d).is_symlink())
        found.extend(base / name for name in files if not name.startswith("."))
    return sorted(set(found))


def reject(source_uri: str, stage: str, reason: str, detail: str, now: datetime) -> Rejection:
    source_uri, detail = safe_uri(source_uri), redact(detail)
    return Rejection(
        reject_id=content_id(source_uri, stage, reason, detail),
        source_uri=source_uri,
        stage=stage,
        reason=reason,
        detail=detail,
        rejected_at=now,
    )


def describe_error(exc: BaseException) -> str:
    """One readable line: Pydantic errors as `field: message` pairs, anything else as `Type: message`."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or exc.title}: {e['msg']}" for e in exc.errors())[:2000]
    return f"{type(exc).__name__}: {str(exc)[:2000]}"


_SECRET_PARAM = re.compile(r"(?i)(token|key|secret|passw|sig|auth|session|credential|cookie)")


def safe_uri(uri: str) -> str:
    """A source name fit to store, log and publish: valid UTF-8 (undecodable file-name bytes
    become \\xNN escapes) and, for URLs, no user:password and no secret-looking query values."""
    if any("\udc80" <= c <= "\udcff" for c in uri):
        uri = os.fsencode(uri).decode("utf-8", "backslashreplace")
    if "://" not in uri:
        return uri
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_PARAM.search(k) for k, _ in pairs):
            query = urlencode([(k, "REDACTED" if _SECRET_PARAM.search(k) else v) for k, v in pairs])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")


def redact(text: str) -> str:
    """`text` (an error message, a log line) with every URL in it passed through `safe_uri`."""
    def one(m: re.Match) -> str:
        url = m.group(0)
        body = url.rstrip(".,:;)]}")
        return safe_uri(body) + url[len(body):]

    return _URL.sub(one, text) if text and "://" in text else text


def _outside(path: Path, root: Path | None) -> bool:
    """A link whose target is not inside `root` (the source folder)."""
    if root is None or not path.is_symlink():
        return False
    try:
        target, base = path.resolve(strict=False), root.resolve()
    except (OSError, RuntimeError):   # a link loop
        return True
    return target != base and base not in target.parents


def ingest_file(path: Path, now: datetime, root: Path | None = None) -> Article | Rejection:
    """Read one input into an Article; anything unusable becomes a Rejection with its reason.
    `root`, the source folder, bounds where links may point. Never raises."""
    try:
        return _ingest(path, str(path), now, root)
    except Exception as exc:  # a bug must not stop the run: the input is rejected, not lost
        return reject(str(path), "ingest", "ingest_error", describe_error(exc), now)


def _ingest(path: Path, uri: str, now: datetime, root: Path | None) -> Article | Rejection:
    if _outside(path, root):
        return reject(uri, "ingest", "outside_source", "a link pointing outside the source folder: not read", now)
    try:
        info = path.stat()
    except OSError as exc:
        kind = "a broken link" if path.is_symlink() else "cannot be read"
        return reject(uri, "ingest", "unreadable", f"{kind}: {exc.strerror or type(exc).__name__}", now)
    if stat.S_ISDIR(info.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            return reject(uri, "ingest", "unreadable",
                          f"a folder that cannot be listed: {exc.strerror or type(exc).__name__}", now)
        return reject(uri, "ingest", "not_a_file", "a link to a folder (links to folders are not followed)", now)
    if not stat.S_ISREG(info.st_mode):
        return reject(uri, "ingest", "not_a_file", "not a regular file (a pipe, socket or device)", now)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return reject(uri, "ingest", "unsupported_type",
                      f"{path.suffix or 'no suffix'} is not one of {SUPPORTED_SUFFIXES}", now)
    if info.st_size > MAX_BYTES:
        return reject(uri, "ingest", "too_large", f"{info.st_size} bytes is over the {MAX_BYTES}-byte cap", now)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        return reject(uri, "ingest", "unreadable", f"cannot be read: {exc.strerror or type(exc).__name__}", now)
    if len(data) > MAX_BYTES:   # it grew after stat
        return reject(uri, "ingest", "too_large", f"over the {MAX_BYTES}-byte cap", now)
    got = decode(data)
    if not isinstance(got, Decoded):
        return reject(uri, "ingest", got.reason, got.detail, now)
    try:
        return build_article(uri, got.text, now)
    except ValidationError as exc:
        return reject(uri, "ingest", "invalid_article", describe_error(exc), now)


@dataclass
class Ingested:
    """One pass over a source: every input, and what became of it."""

    inputs: list[str] = field(default_factory=list)             # every input's source_uri, in order
    articles: list[Article] = field(default_factory=list)       # unique contents read, sorted by article_id
    sources: dict[str, str] = field(default_factory=dict)       # source_uri → article_id
    rejects: list[Rejection] = field(default_factory=list)

    # `articles` holds what was read; a source the flow did not read again (a page that answered
    # 304, a local file whose stat matches its cache entry: timeline/sources.py) is in `sources`
    # only, with the id of the article it still holds. Counts of contents use `sources`.

    @property
    def contents(self) -> set[str]:
        """The distinct article ids the inputs of this pass hold."""
        return set(self.sources.values())

    @property
    def duplicates(self) -> int:
        """Inputs naming content another input of this pass already holds."""
        return len(self.sources) - len(self.contents)


def ingest_all(source: Path, now: datetime) -> Ingested:
    """Ingest every input under `source` (or the one file); the same content under two names is
    one article with both names in `sources`."""
    out = Ingested()
    root = source if source.is_dir() else None
    found: dict[str, Article] = {}
    for path in discover(source):
        item = ingest_file(path, now, root=root)
        out.inputs.append(item.source_uri)
        if isinstance(item, Article):
            out.sources[item.source_uri] = item.article_id
            found.setdefault(item.article_id, item)
        else:
            out.rejects.append(item)
    out.articles = sorted(found.values(), key=lambda a: a.article_id)
    return out


def build_article(source_uri: str, text: str, now: datetime) -> Article:
    """An Article from decoded text: content-addressed id plus the metadata the page shows."""
    source_uri = safe_uri(source_uri)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    lines = split_lines(text)
    meta = read_metadata(text, lines, source_uri, now.date())
    return Article(
        article_id=digest[:16],
        source_uri=source_uri,
        site=meta.site,
        title=meta.title,
        language=meta.language,
        published_at=meta.published_at,
        published_at_source=meta.published_at_source,
        content_sha256=digest,
        text=text,
        n_chars=len(text),
        extractor_version=EXTRACTOR_VERSION,
        ingested_at=now,
    )


def article_from_parts(source_uri: str, text: str, now: datetime, *, title: str | None = None,
                       published: str | None = None, site: str | None = None) -> Article:
    """An Article from parts another reader found (an HTML page's title, publication date and
    main text; a JSON article's fields).

    The stored text is what the extractor sees and what spans index into: the title line (unless
    the text already starts with it), then the main text, so a page reads like a .txt article.
    The publication date given wins over the header's unless the header gives the same instant
    (or, for a bare day given, the same day, with its time); otherwise the date is written as a
    line under the title, so the stored text shows what published_at was read from."""
    body = text.strip("\n")
    title = " ".join(title.split()) if title and title.strip() else None
    first, _, rest = body.partition("\n")
    if title and first.strip() == title:
        head, body = [first], rest.lstrip("\n")
    else:
        head = [title] if title else []

    def compose(extra: list[str]) -> str:
        lines = head + extra
        return ("\n".join(lines) + "\n\n" + body if lines else body) + "\n"

    article = build_article(source_uri, compose([]), now)
    update: dict = {}
    published = published.strip() if published and published.strip() else None
    stamp = parse_timestamp(published, now.date()) if published else None
    said = article.published_at   # what the text's header gives
    if stamp and not (said is not None and (said == stamp[0] or (len(published) <= 10 and said.date() == stamp[0].date()))):
        if published not in body[:600]:
            article = build_article(source_uri, compose([published]), now)
        update["published_at"], update["published_at_source"] = stamp[0], published
    if title:
        update["title"] = title
    if site:
        update["site"] = site
    return article.model_copy(update=update) if update else article


# ---------------------------------------------------------------------------------------------
# Page metadata
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageMeta:
    title: str | None
    site: str | None
    language: Language
    published_at: datetime | None
    published_at_source: str | None


_JA_CHAR = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LOGO = re.compile(r"^\s*(?P<site>[\w .&'-]{2,40}?)\s+Logo\b")
_SITE_BRACKET = re.compile(r"^\s*[\[【](?P<site>[^\]】]{2,30})[\]】]\s*$")
_CATEGORY = re.compile(r"^\s*[-•・]\s*\S{1,20}\s*$")
_PARAGRAPH_END = re.compile(r"[。.!！]\s*$")


@lru_cache(maxsize=1)
def _sites() -> tuple[dict, ...]:
    path = _REFERENCE / "sites.yaml"
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8")) or [])


def detect_language(text: str) -> Language:
    sample = text[:20000]
    ja = len(_JA_CHAR.findall(sample))
    latin = len(_LATIN.findall(sample))
    return Language.ja if ja / ((ja + latin) or 1) > 0.1 else Language.en


def _header_lines(lines: list[Line]) -> list[Line]:
    """The page header: lines before the first body paragraph (a long line ending a sentence)."""
    out = []
    for ln in lines:
        t = unicodedata.normalize("NFKC", ln.text.strip())
        if ln.kind in ("body", "teaser") and len(t) > 60 and (_PARAGRAPH_END.search(t) or "。" in t):
            break
        out.append(ln)
    return out


def read_metadata(text: str, lines: list[Line], source_uri: str = "", fetched: date | None = None) -> PageMeta:
    header = _header_lines(lines)
    # a standfirst ("Japan's new defense chief arrived … The meetings before it show …") may sit
    # above the byline and its date: the header reaches the first dateline within a few lines more
    rest = lines[len(header):len(header) + 8]
    if not any(ln.kind == "meta" for ln in header) and any(ln.kind == "meta" for ln in rest):
        header = header + rest[:next(i for i, ln in enumerate(rest) if ln.kind == "meta") + 1]
    card_blocks = {ln.block for ln in lines if ln.kind == "source"}
    published, stamp, date_index = None, None, None
    for i, ln in enumerate(header):
        if ln.kind == "blank":
            continue
        if ln.block in card_blocks and ln.kind == "meta":
            continue  # a quoted card's own date line, not the page's
        line = unicodedata.normalize("NFKC", ln.text.strip())
        # press-release headers write the date in capitals ("JANUARY 21, 2025")
        line = line.title() if line.isupper() else line
        found = parse_timestamp(line, fetched)
        # a dateline is mostly date ("2024-12-29 11:25", "公開日:2025/01/26", "March 30, 2025 | Updated …"),
        # not a sentence that mentions one
        if found and _is_dateline(line, found[1], ln.kind == "meta"):
            published, stamp, date_index = found[0], found[1], i
            break
    title = _title(header, date_index)
    return PageMeta(title, _site(text, lines, source_uri), detect_language(text), published, stamp)


# Wire and news headers put the stamp between the outlet and the section:
# "KYODO NEWS - Mar 30, 2025 - 18:22 | Japan, World", "NHK｜2025年3月30日 18時22分｜政治".
_HEADER_SEP = re.compile(r"\s+[-–—|｜/•·]\s+|\s*[|｜]\s*")   # (the White House's "JANUARY 21, 2022 • STATEMENTS …")


# a blog's date line goes on with its labels: "2023.11.12(日) カテゴリー:日米関係 タグ:#…"
_META_AFTER = re.compile(r"^\s*(カテゴリー|カテゴリ|タグ|投稿者|著者|配信|更新|Category|Categories|Tags?|Posted|Updated|By)")


# "Published: Nov 7, 2024 7:05 AM JST | Updated: …", "公開日: 2025/01/26 更新日: …"
_META_BEFORE = re.compile(r"^\s*(Published|Posted|Updated|Last updated|公開日|更新日|配信日|投稿日|掲載日)(\s+on)?\s*[:：]?", re.I)


def _is_dateline(line: str, stamp: str, meta: bool) -> bool:
    """A line that states the page's date, not a sentence that mentions one: mostly the stamp
    ("2024-12-29 11:25"), a stamp between separators ("By U.S. Embassy Tokyo | 24 May, 2022 | Topics: …"),
    or a stamp with its labels ("Published: … | Updated: …", "2023.11.12(日) カテゴリー: …")."""
    if len(line) <= 60 and (meta or len(stamp) >= 0.4 * len(line)):
        return True
    if len(line) <= 160 and _dateline_part(line, stamp):
        return True
    return line.startswith(stamp) and bool(_META_AFTER.match(line[len(stamp):]))


def _dateline_part(line: str, stamp: str) -> bool:
    """The stamp is one whole part of a header line cut at its separators."""
    marked = line.replace(stamp, "\x00", 1)
    # ("Posted on July 3, 2023 by kev | 4 Comments": a blog's stamp with its author)
    return any(re.sub(r"\s+by\s+\S.*$", "", _META_BEFORE.sub("", part)).strip() == "\x00"
               for part in _HEADER_SEP.split(marked))


def _title(header: list[Line], date_index: int | None) -> str | None:
    """The headline: the last content line above the category/date line, else the first one."""
    content = [
        (i, ln) for i, ln in enumerate(header)
        if ln.kind in ("body", "teaser", "note") and not _CATEGORY.match(ln.text) and not ln.text.strip().isupper()
        and not _LOGO.match(ln.text) and not _SITE_BRACKET.match(ln.text)
    ]
    if date_index is not None:
        above = [ln for i, ln in content if i < date_index]
        if above:
            return above[-1].text.strip()
    return content[0][1].text.strip() if content else None


def _site(text: str, lines: list[Line], source_uri: str) -> str | None:
    host = re.match(r"https?://([^/:]+)", source_uri)
    for entry in _sites():
        if host and any(host.group(1).endswith(d) for d in entry.get("domains", [])):
            return entry["site"]
    head = text[:3000]
    tail = text[-3000:]
    for entry in _sites():
        if any(sig in head or sig in tail for sig in entry.get("signatures", [])):
            return entry["site"]
    for ln in lines[:10]:
        m = _LOGO.match(ln.text) or _SITE_BRACKET.match(ln.text)
        if m:
            return m.group("site").strip()
    return host.group(1) if host else None


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
