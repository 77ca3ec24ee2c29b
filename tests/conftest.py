"""Shared fixtures: repository paths, the seed articles, and a pipeline run without Prefect."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
SHARED = ROOT.parent / "shared"
SHARED_GOLD = SHARED / "gold" / "seeds.gold.json"
FIXED_NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)

REPORTS = pytest.StashKey[list]()   # reports a suite prints at the end of the session (test_reliability)

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def run_stages(source: Path, db: Path, now: datetime = FIXED_NOW) -> dict:
    """The flow's stages called directly, in the flow's order, under the writer lock (no Prefect).
    Returns the load counts, `extracted`, and the run's accounting (warehouse/accounting.py)."""
    import duckdb

    from timeline import EXTRACTOR_VERSION
    from timeline.dedupe import dedupe
    from timeline.ingest import ingest_all
    from timeline.validate import extract_all
    from warehouse.accounting import account
    from warehouse.load import live_records, load, publish, read_records, stored_sources, stored_versions
    from warehouse.lock import writer_lock

    ingested = ingest_all(source, now)
    with writer_lock(db):
        con = duckdb.connect(str(db))
        try:
            stored, _ = read_records(con)
            versions = stored_versions(con)
            known_sources = stored_sources(con)
            todo = [a for a in ingested.articles if versions.get(a.article_id) != EXTRACTOR_VERSION]
            mentions, extract_rejects = extract_all(todo, now)
            redone = {a.article_id for a in todo}
            records = live_records(stored, known_sources, ingested.sources, redone) + mentions
            events = dedupe(records)
            counts = load(con, todo, records, events, ingested.rejects + extract_rejects, sources=ingested.sources)
            counts["extracted"] = len(todo)
            counts["accounting"] = account(con, ingested, redone)
            publish(con, db.parent / "parquet")
        finally:
            con.close()
    return counts


@pytest.fixture(scope="session")
def seeds_warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "timeline.duckdb"
    run_stages(SEEDS, db)
    return db


@pytest.fixture
def need_shared():
    if not SHARED_GOLD.exists():
        pytest.skip("../shared is not present in this clone")
    return SHARED


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test API for the whole session (it takes ~11-17 s to start): the flow tests share it."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for title, text in config.stash.get(REPORTS, []):
        terminalreporter.write_sep("-", title)
        terminalreporter.write(text)
