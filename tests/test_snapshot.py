"""Published snapshots: layout, atomic switch, pruning, and readers that never block the writer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, SEEDS, run_stages
from warehouse.datatests import DataTestError
from warehouse.load import TABLES, VIEWS, publish
from warehouse.snapshot import DB_NAME, KEEP, current, manifest, publish_snapshot

READER = ROOT / "tests" / "helpers" / "snapshot_reader.py"


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_layout_links_manifest_and_parquet(seeds_warehouse):
    root = seeds_warehouse.parent
    snap = current(root)
    assert os.readlink(root / "snapshot") == f"snapshots/{snap.name}"
    assert os.readlink(root / "parquet") == "snapshot/parquet"
    m = manifest(root)
    assert m["stamp"] == snap.name and m["data_tests_passed"] > 50
    con = duckdb.connect(str(snap / DB_NAME), read_only=True)
    for name in (*TABLES, *VIEWS):
        n = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        assert n == {**m["tables"], **m["marts"]}[name], name
        assert pq.read_table(root / "parquet" / f"{name}.parquet").num_rows == n, name
    for name in m["year_partitioned"]:
        dataset = pq.read_table(root / "parquet" / "by_year" / name)
        assert dataset.num_rows == m["tables"].get(name, m["marts"].get(name)), name
        years = {y for y in dataset.column("year").to_pylist()}
        dated = {r[0] for r in con.execute(f"SELECT DISTINCT year(start_date) FROM {name}").fetchall()}
        assert years == dated
    con.close()
    # published files are read-only and never rewritten
    assert all(not (p.stat().st_mode & 0o222) for p in snap.rglob("*") if p.is_file())


def test_snapshot_database_opens_in_duckdb_1x(seeds_warehouse):
    """The header carries storage version 64, the format DuckDB 1.0 and later read (2.x files are 999)."""
    header = (current(seeds_warehouse.parent) / DB_NAME).read_bytes()[:20]
    assert header[8:12] == b"DUCK" and int.from_bytes(header[12:20], "little") == 64


def test_writing_the_live_file_never_touches_the_snapshot(seeds_warehouse):
    snap = current(seeds_warehouse.parent)
    assert snap.parent.name == "snapshots" and (snap / DB_NAME).resolve() != seeds_warehouse.resolve()


def test_publish_keeps_the_newest_snapshots_and_migrates_a_parquet_folder(tmp_path):
    db = tmp_path / "w.duckdb"
    legacy = tmp_path / "parquet"
    legacy.mkdir()
    (legacy / "meetings.parquet").write_bytes(b"old layout")
    run_stages(SEEDS, db)
    assert legacy.is_symlink() and pq.read_table(legacy / "meetings.parquet").num_rows > 0
    stamps = [current(tmp_path).name]
    con = duckdb.connect(str(db), read_only=True)
    for _ in range(KEEP + 1):
        publish(con, legacy)
        stamps.append(current(tmp_path).name)
    con.close()
    assert stamps == sorted(set(stamps))      # every publish is a new, later version
    kept = sorted(p.name for p in (tmp_path / "snapshots").iterdir())
    assert kept == stamps[-KEEP:]


def test_a_snapshot_that_fails_a_data_test_is_not_published(tmp_path):
    db = tmp_path / "w.duckdb"
    run_stages(SEEDS, db)
    before = current(tmp_path)
    broken = tmp_path / "broken.duckdb"
    shutil.copy(db, broken)
    con = duckdb.connect(str(broken))
    con.execute("UPDATE mentions SET evidence = 'not what the article says' WHERE mention_id = "
                "(SELECT min(mention_id) FROM mentions)")
    with pytest.raises(DataTestError, match="mention_evidence_slices_article"):
        publish_snapshot(con, tmp_path, parquet_link=tmp_path / "parquet")
    con.close()
    assert current(tmp_path) == before
    assert [p.name for p in (tmp_path / "snapshots").iterdir()] == [before.name]   # no leftovers


def _ask(reader) -> dict:
    reader.stdin.write("look\n")
    reader.stdin.flush()
    return json.loads(reader.stdout.readline())


def test_a_reader_holding_the_snapshot_blocks_nobody_and_sees_whole_versions(tmp_path, monkeypatch):
    # version 1: two articles, published
    first = tmp_path / "first"
    first.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(f, first / f.name)
    root = tmp_path / "wh"
    root.mkdir()
    db = root / "timeline.duckdb"
    run_stages(first, db)
    v1 = manifest(root)

    # a dashboard-like reader holds the published snapshot open; a poller keeps re-opening it
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, str(READER), "hold", str(root)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
    poller = subprocess.Popen([sys.executable, str(READER), "poll", str(root), str(stop)],
                              stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
    try:
        ready = json.loads(reader.stdout.readline())
        assert ready["stamp"] == v1["stamp"]
        v1_counts = ready["counts"]

        # the writer opens the live file read-write while the reader holds the snapshot: not blocked
        writer = duckdb.connect(str(db))
        writer.execute("BEGIN TRANSACTION")
        writer.execute("DELETE FROM meetings")          # a half-done write, not committed
        mid = _ask(reader)                              # the reader is not blocked either
        assert mid["seconds"] < 5
        assert mid["held"] == v1_counts and (mid["fresh_stamp"], mid["fresh"]) == (v1["stamp"], v1_counts)
        writer.execute("ROLLBACK")
        writer.close()

        # a whole load of all five articles, not yet published: readers still see version 1
        published = []
        monkeypatch.setattr("warehouse.load.publish", lambda con, out: published.append(out))
        t0 = time.monotonic()
        run_stages(SEEDS, db)
        assert time.monotonic() - t0 < 60 and published
        loaded = _ask(reader)
        assert loaded["held"] == v1_counts
        assert (loaded["fresh_stamp"], loaded["fresh"]) == (v1["stamp"], v1_counts)

        # the publish (not blocked by the reader) switches new readers to version 2 at once
        monkeypatch.undo()
        con = duckdb.connect(str(db), read_only=True)
        publish(con, root / "parquet")
        con.close()
        v2 = manifest(root)
        after = _ask(reader)
        assert after["held_stamp"] == v1["stamp"] and after["held"] == v1_counts   # pinned, still readable
        assert after["fresh_stamp"] == v2["stamp"] != v1["stamp"]
        assert after["fresh"] == {t: v2["tables"][t] for t in after["fresh"]} != v1_counts
    finally:
        stop.touch()
        reader.communicate("quit\n", timeout=30)
        polled, _ = poller.communicate(timeout=60)
    seen = json.loads(polled)
    assert seen["errors"] == [] and seen["consistent"] and seen["observations"] > 5
    assert seen["versions"] == [v1["stamp"], v2["stamp"]]      # old, then new; nothing in between
    assert reader.returncode == 0 and poller.returncode == 0


def test_readers_fall_back_to_the_live_file_only_when_nothing_was_published(tmp_path):
    from warehouse.load import SCHEMA_SQL

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.close()
    run = subprocess.run([sys.executable, "-m", "timeline.cli", "sql", "SELECT count(*) AS n FROM meetings",
                          "--warehouse", str(db)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0 and run.stdout.split() == ["n", "0"]
    assert "no snapshot published" in run.stderr
    missing = subprocess.run([sys.executable, "-m", "timeline.cli", "sql", "SELECT 1", "--snapshot", str(tmp_path)],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert missing.returncode == 2 and "no published snapshot at" in missing.stderr
