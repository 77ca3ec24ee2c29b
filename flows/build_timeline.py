"""The Prefect flow: ingest → extract → validate → dedupe → load → publish.

Orchestration lives here only; every task calls a plain stage function. Retries are on the
I/O tasks; the write task has no cache policy and is the only writer of the DuckDB file.
From reading the stored state to publishing the snapshot the run holds the warehouse's writer
lock (warehouse/lock.py): a second run waits, bounded, or stops with a clear message.
Every run accounts for every input (warehouse/accounting.py): stored, unchanged, a duplicate
name, or rejected with a reason; `lost` is 0.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from models import Article, EventMention, Rejection
from timeline import EXTRACTOR_VERSION
from timeline.dedupe import Events, dedupe
from timeline.ingest import Ingested, _sites, ingest_all
from timeline.validate import extract_all
from warehouse.accounting import account, format_accounting
from warehouse.load import connect, live_records, load, publish, read_records, stored_sources, stored_versions
from warehouse.lock import writer_lock

__all__ = ["build_timeline"]


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_sources(source: str, now: datetime) -> Ingested:
    # the same content under two names is stored once, with both names in `sources`
    got = ingest_all(Path(source), now)
    get_run_logger().info("ingest: %d inputs → %d articles (%d duplicate names), %d rejected",
                          len(got.inputs), len(got.articles), got.duplicates, len(got.rejects))
    return got


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
    mentions, rejects = extract_all(articles, now)
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


@task(cache_policy=NO_CACHE)
def account_inputs(warehouse: str, ingested: Ingested, extracted: set[str]) -> dict:
    """Every input checked against the warehouse: stored or rejected, none lost."""
    con = connect(warehouse, read_only=True)
    try:
        result = account(con, ingested, extracted)
    finally:
        con.close()
    log = get_run_logger()
    (log.error if result["lost"] else log.info)("accounting: %s", format_accounting(result))
    return result


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
    ingested = ingest_sources(source, now)
    with writer_lock(warehouse):
        # Extract: only articles whose content or extractor version is new
        stored, versions, known_sources = read_warehouse(warehouse)
        todo = [a for a in ingested.articles if versions.get(a.article_id) != EXTRACTOR_VERSION]
        new_mentions, extract_rejects = extract_and_validate(todo, now)
        # Transform
        redone = {a.article_id for a in todo}
        records = live_records(stored, known_sources, ingested.sources, redone) + new_mentions
        events = dedupe_events(records)
        # Load, account, publish
        counts = load_warehouse(warehouse, todo, records, events, ingested.rejects + extract_rejects, ingested.sources)
        accounting = account_inputs(warehouse, ingested, redone)
        snapshot = publish_snapshot(warehouse, parquet_dir)
    return {"snapshot": snapshot, "inputs": accounting["inputs"], "articles": len(ingested.articles),
            "articles_new_or_changed": accounting["articles_new_or_changed"],
            "articles_unchanged": accounting["articles_unchanged"], "duplicate_names": accounting["duplicate_names"],
            "inputs_rejected": accounting["inputs_rejected"], "lost": accounting["lost"],
            "rejects": len(ingested.rejects) + len(extract_rejects), **counts}
