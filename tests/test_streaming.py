"""Streaming (issue 7, memory flat in corpus size): the flow stages each batch's articles and
records on disk, deduplicates over small keys read back in SQL, merges the events a chunk at a
time and loads the staged rows in SQL. It must write exactly what the in-memory stages write.

Real DuckDB files throughout; the flow tests run the real Prefect flow."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from datetime import datetime, timezone

from conftest import ROOT, SEEDS, run_stages
from test_flow_sources import _tables

FIXTURES = ROOT / "tests" / "fixtures"


def _all_articles(dst: Path) -> Path:
    """The seeds and every development corpus in one folder (names prefixed by their set)."""
    dst.mkdir()
    for folder in [SEEDS, *sorted(FIXTURES.glob("dev*/articles"))]:
        label = folder.parent.name if folder.name == "articles" and folder != SEEDS else "seeds"
        for p in sorted(folder.iterdir()):
            if p.is_file() and p.suffix != ".md":
                shutil.copyfile(p, dst / f"{label}--{p.name}")
    return dst


@pytest.fixture(scope="module")
def corpus_warehouse(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("streaming")
    db = base / "wh" / "timeline.duckdb"
    db.parent.mkdir()
    run_stages(_all_articles(base / "src"), db)
    return db


def test_keys_read_in_sql_are_the_keys_of_the_records(corpus_warehouse, tmp_path):
    """`read_keys` (json_transform over the stored JSON) gives, field for field, what `key_of`
    gives from the validated records — on every record of the seeds and the dev corpora."""
    from models import EventMention
    from timeline.dedupe import key_of
    from warehouse.staging import Staging, _records_view, read_keys

    con = duckdb.connect(str(corpus_warehouse), read_only=True)
    try:
        records = [EventMention.model_validate_json(p) for (p,) in con.execute(
            "SELECT payload FROM mention_records").fetchall()]
        live = {r for (r,) in con.execute("SELECT article_id FROM articles").fetchall()}
        _records_view(con, Staging.fresh(tmp_path / "empty"), live)
        keys = {k.mention_id: k for k in read_keys(con)}
    finally:
        con.close()
    assert len(records) > 100 and len(keys) == len(records)
    assert any(k.people for k in keys.values()) and any(k.published_at for k in keys.values())
    assert any(k.title for k in keys.values()) and any(k.start_date is None for k in keys.values())
    for m in records:
        assert keys[m.mention_id] == key_of(m), m.mention_id


def test_staged_records_dedupe_to_the_events_of_dedupe_in_memory(corpus_warehouse, tmp_path):
    """The same records staged as Parquet, planned over keys and merged in chunks of a few rows,
    give the meetings, participants, outcomes, decisions and assignment `dedupe` gives."""
    import pyarrow.parquet as pq

    from models import EventMention, Meeting, Outcome, Participant
    from timeline.dedupe import dedupe
    from warehouse.staging import Staging, model_table, stage_events

    con = duckdb.connect(str(corpus_warehouse), read_only=True)
    try:
        records = [EventMention.model_validate_json(p) for (p,) in con.execute(
            "SELECT payload FROM mention_records").fetchall()]
    finally:
        con.close()
    want = dedupe(records)
    staging = Staging.fresh(tmp_path / "staging")
    staging.add_records(records[: len(records) // 2])
    staging.add_records(records[len(records) // 2:])
    counts = stage_events(None, staging, (), site_kind=lambda m: None, chunk_rows=50)
    assert counts["events"] == len(want.meetings) and counts["records"] == len(records)
    assert len(staging.parts("meetings")) > 3          # merged in several chunks

    def rows(kind, cls=None, items=None):
        got = pq.read_table(staging.parts(kind)).to_pylist()
        return sorted(got, key=repr), (sorted(model_table(cls, items, kind).to_pylist(), key=repr) if cls else None)

    for kind, cls, items in (("meetings", Meeting, want.meetings), ("participants", Participant, want.participants),
                             ("outcomes", Outcome, want.outcomes)):
        got, expected = rows(kind, cls, items)
        assert got == expected, kind
    assignment = {r["record_id"]: r["event_id"] for r in pq.read_table(staging.parts("assignment")).to_pylist()}
    assert assignment == want.assignment
    decisions = pq.read_table(staging.parts("dedupe_decisions")).to_pylist()
    assert [(d["record_a"], d["record_b"], d["merged"], d["rule"], d["score"]) for d in decisions] == [
        (d.record_a, d.record_b, d.merged, d.rule, d.score) for d in want.decisions]
    # a cold run stages every record's mentions rows
    assert sum(1 for _ in pq.read_table(staging.parts("mentions")).to_pylist()) == counts["mentions"]


def _reference(src: Path, db: Path, monkeypatch) -> None:
    """The stages in memory (conftest.run_stages), deduplicating with the sites' kinds as the flow does."""
    import timeline.dedupe as dd
    from timeline.ingest import _sites

    kinds = {e["site"]: e.get("kind") for e in _sites()}
    plain = dd.dedupe
    monkeypatch.setattr(dd, "dedupe", lambda records: plain(records, site_kind=lambda m: kinds.get(m.site)))
    db.parent.mkdir()
    run_stages(src, db, datetime.now(timezone.utc))     # the flow's clock: year-less stamps are read against it
    monkeypatch.setattr(dd, "dedupe", plain)


@pytest.mark.slow
def test_the_streamed_flow_writes_the_tables_of_the_in_memory_stages(prefect_harness, tmp_path, monkeypatch):
    """The flow with one article per batch (many batches in flight, staged one by one) leaves the
    tables `run_stages` (everything in memory, one `load`) leaves, and no staging folder."""
    from flows.build_timeline import build_timeline

    src = _all_articles(tmp_path / "src")
    db = tmp_path / "wh" / "timeline.duckdb"
    summary = build_timeline(source=str(src), warehouse=str(db), batch_size=1)
    assert summary["lost"] == 0
    ref = tmp_path / "ref" / "timeline.duckdb"
    _reference(src, ref, monkeypatch)
    assert _tables(db) == _tables(ref)
    assert not Path(f"{db}.staging").exists()


@pytest.mark.slow
def test_a_failed_run_leaves_no_staging_and_the_next_run_starts_clean(prefect_harness, tmp_path, monkeypatch):
    """A load that fails drops the run's staged rows; a staging folder left by a killed run is
    emptied by the next one (its rows never reach the warehouse)."""
    from flows.build_timeline import build_timeline
    from warehouse.staging import Staging

    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    db = tmp_path / "wh" / "timeline.duckdb"
    import warehouse.load as wl

    _real_check = wl._check_data

    def broken(con):
        raise RuntimeError("a data test failed")

    monkeypatch.setattr(wl, "_check_data", broken)
    with pytest.raises(RuntimeError):
        build_timeline(source=str(src), warehouse=str(db))
    assert not Path(f"{db}.staging").exists()
    monkeypatch.setattr(wl, "_check_data", _real_check)
    # a killed run's leftovers: stale rows that must not be loaded
    stale = Staging.fresh(f"{db}.staging")
    stale.add_records([])
    (stale.folder / "records-999999.parquet").write_bytes(b"not parquet")
    summary = build_timeline(source=str(src), warehouse=str(db))
    assert summary["lost"] == 0 and summary["events"] > 0
    ref = tmp_path / "ref" / "timeline.duckdb"
    _reference(src, ref, monkeypatch)
    assert _tables(db) == _tables(ref)
