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

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def run_stages(source: Path, db: Path, now: datetime = FIXED_NOW) -> dict:
    """The flow's stages called directly, in the flow's order (no Prefect)."""
    import duckdb

    from models import Article
    from timeline.dedupe import dedupe
    from timeline.extract import extract
    from timeline.ingest import discover, ingest_file
    from timeline.validate import validate
    from timeline import EXTRACTOR_VERSION
    from warehouse.load import live_records, load, publish, read_records, stored_sources, stored_versions

    items = [ingest_file(p, now) for p in discover(source)]
    articles = sorted({a.article_id: a for a in items if isinstance(a, Article)}.values(), key=lambda a: a.article_id)
    sources = {a.source_uri: a.article_id for a in items if isinstance(a, Article)}
    rejects = [r for r in items if not isinstance(r, Article)]
    con = duckdb.connect(str(db))
    stored, _ = read_records(con)
    versions = stored_versions(con)
    known_sources = stored_sources(con)
    todo = [a for a in articles if versions.get(a.article_id) != EXTRACTOR_VERSION]
    mentions = []
    for a in todo:
        ok, bad = validate(a, extract(a), now)
        mentions += ok
        rejects += bad
    records = live_records(stored, known_sources, sources, {a.article_id for a in todo}) + mentions
    events = dedupe(records)
    counts = load(con, todo, records, events, rejects, sources=sources)
    counts["extracted"] = len(todo)
    publish(con, db.parent / "parquet")
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
