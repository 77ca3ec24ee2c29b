"""Incremental runs of the flow (issue 7): a run over an unchanged folder reads no file, extracts,
deduplicates, rewrites and publishes nothing — only its runs row — and leaves identical tables; a
file whose content changed (even to the same size) is read again; a deleted file is handled as
before; a load that committed without being published is published by the next run.

What ran is observed through the flow's task runs in the Prefect API and the runs row, not timing."""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter

import pytest

from conftest import SEEDS
from test_flow_sources import _run_row, _tables

pytestmark = pytest.mark.slow

WORK = {"fetch_batch", "extract_batch", "read_records", "dedupe_events", "load_warehouse"}


def _folder(dst):
    """The seed articles, with mtimes an hour old (a file written a moment ago is never trusted by
    its stat: timeline/sources.py, RACY_SECONDS)."""
    dst.mkdir()
    old = time.time() - 3600
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, dst / f.name)
        os.utime(dst / f.name, (old, old))
    return dst


def _tasks(run_id: str) -> Counter:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
    return Counter(r.name.rsplit("-", 1)[0] for r in runs)


def _snapshot(root):
    from warehouse.snapshot import current

    return current(root).name


def test_a_second_run_over_an_unchanged_folder_writes_its_runs_row_only(prefect_harness, tmp_path):
    from flows.build_timeline import build_timeline

    src, db = _folder(tmp_path / "src"), tmp_path / "wh" / "timeline.duckdb"
    first = build_timeline(source=str(src), warehouse=str(db))
    assert first["articles_new"] == 5 and first["events"] > 0
    tables, published = _tables(db), _snapshot(db.parent)

    second = build_timeline(source=str(src), warehouse=str(db))
    tasks = _tasks(second["run_id"])
    assert not WORK & set(tasks), tasks                       # no file read, nothing extracted or deduplicated
    assert tasks["record_unchanged_run"] == 1 and tasks["publish_snapshot"] == 1
    assert _snapshot(db.parent) == published == second["snapshot"]   # nothing published
    assert _tables(db) == tables
    row = _run_row(db, second["run_id"])
    assert (row["status"], row["sources_seen"], row["articles_new"], row["articles_unchanged"], row["articles_failed"],
            row["mentions"], row["events_created"], row["events_updated"]) == ("completed", 5, 0, 5, 0, 0, 0, 0)
    # every input still accounted for, against the warehouse
    assert (second["inputs"], second["articles_unchanged"], second["lost"]) == (5, 5, 0)
    assert second["events"] == first["events"] and second["articles"] == 5


def test_content_changed_to_the_same_size_is_read_and_ends_as_a_run_from_scratch(prefect_harness, tmp_path):
    from flows.build_timeline import build_timeline

    src, db = _folder(tmp_path / "src"), tmp_path / "wh" / "timeline.duckdb"
    build_timeline(source=str(src), warehouse=str(db))
    page = src / "003_0bb852b01388ee52.txt"
    text = page.read_text(encoding="utf-8")
    changed = text.replace("7月28日", "7月27日")
    assert changed != text and len(changed.encode()) == len(text.encode())
    page.write_text(changed, encoding="utf-8")                # same size; mtime and ctime move

    again = build_timeline(source=str(src), warehouse=str(db))
    tasks = _tasks(again["run_id"])
    assert tasks["fetch_batch"] == 1 and tasks["extract_batch"] == 1 and tasks["load_warehouse"] == 1
    row = _run_row(db, again["run_id"])
    assert (row["articles_new"], row["articles_unchanged"]) == (1, 4)
    # the tables are those of a single run over the folder as it is now
    scratch = tmp_path / "scratch" / "timeline.duckdb"
    build_timeline(source=str(src), warehouse=str(scratch))
    ours, theirs = _tables(db), _tables(scratch)
    for table in ("articles", "mention_records", "mentions", "meetings", "participants", "outcomes", "dedupe_decisions"):
        assert ours[table] == theirs[table], table
    assert len(ours["articles"]) == 5                          # the old content released


def test_a_deleted_file_is_handled_as_before(prefect_harness, tmp_path):
    from flows.build_timeline import build_timeline

    src, db = _folder(tmp_path / "src"), tmp_path / "wh" / "timeline.duckdb"
    build_timeline(source=str(src), warehouse=str(db))
    tables = _tables(db)
    gone = src / "001_8306b084de7452db.txt"
    assert gone.exists()
    gone.unlink()

    again = build_timeline(source=str(src), warehouse=str(db))
    tasks = _tasks(again["run_id"])
    assert tasks["dedupe_events"] == 1 and tasks["load_warehouse"] == 1 and "fetch_batch" not in tasks
    # as before this work: the source stays stored (retraction is explicit), the tables are unchanged
    assert _tables(db) == tables
    row = _run_row(db, again["run_id"])
    assert (row["sources_seen"], row["articles_new"], row["articles_unchanged"]) == (4, 0, 4)
    assert (again["inputs"], again["lost"]) == (4, 0)


def test_a_load_that_was_not_published_is_published_by_the_next_run(prefect_harness, tmp_path, monkeypatch):
    import flows.build_timeline as flow_module
    from warehouse.snapshot import current

    def broken(*args, **kwargs):
        raise OSError("disk full (injected by the test)")

    src, db = _folder(tmp_path / "src"), tmp_path / "wh" / "timeline.duckdb"
    monkeypatch.setattr(flow_module, "publish", broken)
    with pytest.raises(OSError):
        flow_module.build_timeline(source=str(src), warehouse=str(db))
    monkeypatch.undo()
    with pytest.raises(FileNotFoundError):
        current(db.parent)                                     # loaded, never published
    summary = flow_module.build_timeline(source=str(src), warehouse=str(db))
    assert summary["articles_new"] == 0                        # nothing to load …
    assert not WORK & set(_tasks(summary["run_id"]))
    snap = current(db.parent)                                  # … but the snapshot is published
    assert snap.name == summary["snapshot"]
    import duckdb

    con = duckdb.connect(str(snap / "timeline.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    con.close()
