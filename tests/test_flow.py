"""The Prefect flow end to end under one session-scoped test harness (a real local API)."""

from __future__ import annotations

import duckdb
import pytest

from conftest import SEEDS

pytestmark = pytest.mark.slow


def test_flow_builds_the_warehouse_and_snapshot(prefect_harness, tmp_path):
    from flows.build_timeline import build_timeline

    db = tmp_path / "timeline.duckdb"
    summary = build_timeline(source=str(SEEDS), warehouse=str(db))
    assert summary["articles"] == 5 and summary["rejects"] == 0
    con = duckdb.connect(str(db), read_only=True)
    n_events = con.execute("SELECT count(*) FROM meetings").fetchone()[0]
    assert n_events == summary["events"] > 0
    assert con.execute("SELECT count(*) FROM timeline").fetchone()[0] == n_events
    assert (tmp_path / "parquet" / "meetings.parquet").exists()
    con.close()
    # a second run with the same input changes nothing
    again = build_timeline(source=str(SEEDS), warehouse=str(db))
    assert again["events_created"] == 0 and again["articles_new_or_changed"] == 0


def test_one_bad_article_does_not_stop_the_flow(prefect_harness, tmp_path):
    from flows.build_timeline import build_timeline

    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_bytes((SEEDS / "003_0bb852b01388ee52.txt").read_bytes())
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (src / "page.pdf").write_bytes(b"%PDF-1.4")
    db = tmp_path / "w.duckdb"
    summary = build_timeline(source=str(src), warehouse=str(db))
    con = duckdb.connect(str(db), read_only=True)
    reasons = dict(con.execute("SELECT source_uri, reason FROM rejects").fetchall())
    assert {k.rsplit("/", 1)[-1]: v for k, v in reasons.items()} == {
        "empty.txt": "empty", "binary.txt": "binary", "page.pdf": "unsupported_type"}
    assert summary["articles"] == 1 and summary["rejects"] == 3
    # every input is accounted for: stored or rejected
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] + len(reasons) == 4
