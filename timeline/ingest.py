"""Ingest stage: files → Article records (or Rejection records), with page metadata.

Reads bytes, decodes (UTF-8, else a detected legacy encoding), stores the text with only line
endings normalised, and reads the title, site, language and publication time the page shows.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import yaml

from models import Article, Language, Rejection
from models.records import content_id
from timeline import EXTRACTOR_VERSION
from timeline.dates import parse_timestamp
from timeline.text import Line, split_lines

__all__ = ["SUPPORTED_SUFFIXES", "MAX_BYTES", "discover", "ingest_file", "build_article", "reject"]

SUPPORTED_SUFFIXES = (".txt",)
MAX_BYTES = 5 * 1024 * 1024
_REFERENCE = Path(__file__).resolve().parents[1] / "seeds" / "reference"


def discover(source: Path) -> list[Path]:
    """Article files under a directory (sorted), or the file itself."""
    if source.is_file():
        return [source]
    return sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))


def reject(source_uri: str, stage: str, reason: str, detail: str, now: datetime) -> Rejection:
    return Rejection(
        reject_id=content_id(source_uri, stage, reason, detail),
        source_uri=source_uri,
        stage=stage,
        reason=reason,
        detail=detail,
        rejected_at=now,
    )


def ingest_file(path: Path, now: datetime) -> Article | Rejection:
    """Read one file into an Article; anything unusable becomes a Rejection with its reason."""
    uri = str(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return reject(uri, "ingest", "unsupported_type", f"{path.suffix or 'no suffix'} is not one of {SUPPORTED_SUFFIXES}", now)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return reject(uri, "ingest", "too_large", f"{size} bytes is over the {MAX_BYTES}-byte cap", now)
        data = path.read_bytes()
    except OSError as exc:
        return reject(uri, "ingest", "unreadable", f"{type(exc).__name__}: {exc}", now)
    text, problem = _decode(data)
    if problem:
        return reject(uri, "ingest", problem[0], problem[1], now)
    return build_article(uri, text, now)


def _decode(data: bytes) -> tuple[str, tuple[str, str] | None]:
    if not data.strip():
        return "", ("empty", "the file holds no text")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", ("binary", "the file holds NUL bytes: not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            return "", ("undecodable", "no text encoding fits the bytes")
        text = str(best)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    printable = sum(1 for c in text[:4096] if c.isprintable() or c in "\n\t")
    if printable < 0.9 * len(text[:4096]):
        return "", ("binary", "mostly non-printable characters: not a text article")
    if not text.strip():
        return "", ("empty", "the file holds no text")
    return text, None


def build_article(source_uri: str, text: str, now: datetime) -> Article:
    """An Article from decoded text: content-addressed id plus the metadata the page shows."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    lines = split_lines(text)
    meta = read_metadata(text, lines, source_uri)
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
    letters = sum(c.isalpha() for c in sample) or 1
    return Language.ja if ja / letters > 0.1 else Language.en


def _header_lines(lines: list[Line]) -> list[Line]:
    """The page header: lines before the first body paragraph (a long line ending a sentence)."""
    out = []
    for ln in lines:
        t = unicodedata.normalize("NFKC", ln.text.strip())
        if ln.kind in ("body", "teaser") and len(t) > 60 and (_PARAGRAPH_END.search(t) or "。" in t):
            break
        out.append(ln)
    return out


def read_metadata(text: str, lines: list[Line], source_uri: str = "") -> PageMeta:
    header = _header_lines(lines)
    published, stamp, date_index = None, None, None
    for i, ln in enumerate(header):
        if ln.kind == "blank":
            continue
        line = unicodedata.normalize("NFKC", ln.text.strip())
        # press-release headers write the date in capitals ("JANUARY 21, 2025")
        found = parse_timestamp(line.title() if line.isupper() else line)
        if found and len(ln.text.strip()) <= 60:
            published, stamp, date_index = found[0], found[1], i
            break
    title = _title(header, date_index)
    return PageMeta(title, _site(text, lines, source_uri), detect_language(text), published, stamp)


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
