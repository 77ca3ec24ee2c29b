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
from timeline.dedupe import Events, dedupe
from timeline.extract import extract
from timeline.ingest import _sites, discover, ingest_file, reject
from timeline.validate import validate
from warehouse.load import connect, load, publish, read_records

__all__ = ["build_timeline"]


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_sources(source: str, now: datetime) -> tuple[list[Article], list[Rejection]]:
    articles, rejects = [], []
    for path in discover(Path(source)):
        item = ingest_file(path, now)
        (articles if isinstance(item, Article) else rejects).append(item)
    # the same content under two names is stored once
    unique = {a.article_id: a for a in sorted(articles, key=lambda a: a.source_uri)}
    get_run_logger().info("ingest: %d files → %d articles, %d rejected", len(articles) + len(rejects), len(unique), len(rejects))
    return list(unique.values()), rejects


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_warehouse(warehouse: str) -> tuple[list[EventMention], dict[str, str]]:
    con = connect(warehouse)
    try:
        return read_records(con)
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
def load_warehouse(warehouse: str, articles, records, events, rejects) -> dict[str, int]:
    con = connect(warehouse)
    try:
        counts = load(con, articles, records, events, rejects)
    finally:
        con.close()
    get_run_logger().info("load: %s", counts)
    return counts


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def publish_parquet(warehouse: str, parquet_dir: str) -> str:
    con = connect(warehouse, read_only=True)
    try:
        out = publish(con, parquet_dir)
    finally:
        con.close()
    get_run_logger().info("publish: Parquet snapshot in %s", out)
    return str(out)


@flow(name="build-timeline", log_prints=True)
def build_timeline(source: str = "seeds/articles", warehouse: str = "warehouse/timeline.duckdb",
                   parquet_dir: str | None = None) -> dict:
    """Turn a folder of raw articles into the DuckDB warehouse and its Parquet snapshot."""
    now = datetime.now(timezone.utc)
    parquet_dir = parquet_dir or str(Path(warehouse).parent / "parquet")
    # Extract
    articles, ingest_rejects = ingest_sources(source, now)
    stored, hashes = read_warehouse(warehouse)
    changed = [a for a in articles if hashes.get(a.article_id) != a.content_sha256]
    new_mentions, extract_rejects = extract_and_validate(articles, now)
    # Transform
    fresh_ids = {a.article_id for a in articles}
    records = [m for m in stored if m.article_id not in fresh_ids] + new_mentions
    events = dedupe_events(records)
    # Load
    counts = load_warehouse(warehouse, articles, records, events, ingest_rejects + extract_rejects)
    publish_parquet(warehouse, parquet_dir)
    return {"articles": len(articles), "articles_new_or_changed": len(changed),
            "rejects": len(ingest_rejects) + len(extract_rejects), **counts}
