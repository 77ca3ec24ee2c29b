"""The Prefect flow: ingest → extract → validate → dedupe → load → publish.

Orchestration lives here only; every task calls a plain stage function. Retries are on the
I/O tasks; the write task has no cache policy and is the only writer of the DuckDB file.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from models import Article, EventMention, Rejection
from timeline import EXTRACTOR_VERSION
from timeline.dedupe import Events, dedupe
from timeline.extract import extract
from timeline.ingest import _sites, discover, ingest_file, reject
from timeline.validate import validate
from warehouse.load import connect, live_records, load, publish, read_records, stored_sources, stored_versions

__all__ = ["build_timeline"]


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_sources(source: str, now: datetime) -> tuple[list[Article], dict[str, str], list[Rejection]]:
    articles, rejects = [], []
    for path in discover(Path(source)):
        item = ingest_file(path, now)
        (articles if isinstance(item, Article) else rejects).append(item)
    # the same content under two names is stored once, with both names in `sources`
    unique = {a.article_id: a for a in sorted(articles, key=lambda a: a.source_uri, reverse=True)}
    sources = {a.source_uri: a.article_id for a in articles}
    get_run_logger().info("ingest: %d files → %d articles, %d rejected", len(articles) + len(rejects), len(unique), len(rejects))
    return sorted(unique.values(), key=lambda a: a.article_id), sources, rejects


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_warehouse(warehouse: str) -> tuple[list[EventMention], dict[str, str], dict[str, str]]:
    """Stored mention records, the extractor version of every stored article, and the sources."""
    con = connect(warehouse)
    try:
        records, _ = read_records(con)
        return records, stored_versions(con), stored_sources(con)
    finally:
        con.close()


@task(cache_policy=NO_CACHE)
def extract_and_validate(articles: list[Article], now: datetime) -> tuple[list[EventMention], list[Rejection]]:
    mentions, rejects = [], []
    for a in articles:
        try:
            found = extract(a)
        except Exception as exc:  # one bad article never stops the run
            rejects.append(reject(a.source_uri, "extract", "extractor_error", f"{type(exc).__name__}: {exc}", now))
            continue
        ok, bad = validate(a, found, now)
        mentions.extend(ok)
        rejects.extend(bad)
    get_run_logger().info("extract: %d articles → %d event mentions, %d rejected", len(articles), len(mentions), len(rejects))
    return mentions, rejects


@task(cache_policy=NO_CACHE)
def dedupe_events(mentions: list[EventMention]) -> Events:
    kinds = {e["site"]: e.get("kind") for e in _sites()}
    events = dedupe(mentions, site_kind=lambda m: kinds.get(m.site))
    get_run_logger().info("dedupe: %d mentions → %d events", len(mentions), len(events.meetings))
    return events


@task(cache_policy=NO_CACHE)
def load_warehouse(warehouse: str, articles, records, events, rejects, sources) -> dict[str, int]:
    con = connect(warehouse)
    try:
        counts = load(con, articles, records, events, rejects, sources=sources)
    finally:
        con.close()
    get_run_logger().info("load: %s", counts)
    return counts


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def publish_snapshot(warehouse: str, parquet_dir: str) -> str:
    """Publish a read-only snapshot (DuckDB + Parquet) next to the warehouse; readers use only that.
    Runs after a successful load only; raises, publishing nothing, if the copy fails a data test."""
    from warehouse.snapshot import current

    con = connect(warehouse, read_only=True)
    try:
        publish(con, parquet_dir, snapshot_root=Path(warehouse).parent)
    finally:
        con.close()
    snapshot = current(Path(warehouse).parent)
    get_run_logger().info("publish: snapshot %s (Parquet at %s)", snapshot, parquet_dir)
    return snapshot.name


@flow(name="build-timeline", log_prints=True)
def build_timeline(source: str = "seeds/articles", warehouse: str = "warehouse/timeline.duckdb",
                   parquet_dir: str | None = None) -> dict:
    """Turn a folder of raw articles into the DuckDB warehouse and its Parquet snapshot."""
    now = datetime.now(timezone.utc)
    parquet_dir = parquet_dir or str(Path(warehouse).parent / "parquet")
    # Extract: only articles whose content or extractor version is new
    articles, sources, ingest_rejects = ingest_sources(source, now)
    stored, versions, known_sources = read_warehouse(warehouse)
    todo = [a for a in articles if versions.get(a.article_id) != EXTRACTOR_VERSION]
    new_mentions, extract_rejects = extract_and_validate(todo, now)
    # Transform
    records = live_records(stored, known_sources, sources, {a.article_id for a in todo}) + new_mentions
    events = dedupe_events(records)
    # Load
    counts = load_warehouse(warehouse, todo, records, events, ingest_rejects + extract_rejects, sources)
    snapshot = publish_snapshot(warehouse, parquet_dir)
    return {"snapshot": snapshot, "inputs": len(sources) + len(ingest_rejects), "articles": len(articles),
            "articles_new_or_changed": len(todo), "articles_unchanged": len(articles) - len(todo),
            "rejects": len(ingest_rejects) + len(extract_rejects), **counts}
