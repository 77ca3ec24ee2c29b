"""The flow against real components on 127.0.0.1: a local news site (article pages, an RSS feed, a
404, a redirect, a slow page past the timeout, an oversized body) fetched by the Prefect flow; the
run summary (runs row and markdown artifact) adding up; a second run sending conditional requests;
the same flow on a two-worker Dask LocalCluster giving the same tables as the default runner."""

from __future__ import annotations

import json
import time

import duckdb
import pytest

from conftest import SEEDS
from helpers.http_site import NewsSite, page_from_text, seed_site, with_feeds

pytestmark = pytest.mark.slow

FETCH = {"timeout": 0.5, "retries": 1, "backoff": 0.01, "rate_limit": 0.02, "max_bytes": 200_000}
GOOD = ["/articles/2plus2.html", "/articles/guidelines.html", "/old-location"]
FEED_ENTRIES = ["/articles/feed-1.html", "/articles/feed-2.html"]
BAD = {"/missing": "not_found", "/slow": "timeout", "/big": "too_large"}


@pytest.fixture
def site():
    with NewsSite(seed_site(SEEDS), slow_seconds=1.5) as s:
        s.pages.update(with_feeds(s.pages, s.base))
        yield s


def _run_row(db, run_id) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id])
        cols = [d[0] for d in cur.description]
        return dict(zip(cols, cur.fetchone()))
    finally:
        con.close()


def _artifact(flow_run_id: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["timeline-run-summary"]), flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    assert len(found) == 1
    return found[0].data


def _adds_up(row: dict) -> None:
    assert row["sources_seen"] == row["articles_new"] + row["articles_unchanged"] + row["articles_failed"]
    assert row["rejects"] == row["articles_failed"] + row["rejects_extract"]


def test_pages_and_feeds_over_http_land_and_failures_are_rejects(prefect_harness, site, tmp_path):
    from flows.build_timeline import build_timeline

    db = tmp_path / "w.duckdb"
    sources = [site.url(p) for p in GOOD] + [site.url("/feed.xml")] + [site.url(p) for p in BAD]
    start = time.monotonic()
    first = build_timeline(source=sources, warehouse=str(db), fetch=FETCH)
    took = time.monotonic() - start
    con = duckdb.connect(str(db), read_only=True)
    stored = {r[0] for r in con.execute("SELECT source_uri FROM article_sources").fetchall()}
    assert stored == {site.url(p) for p in GOOD + FEED_ENTRIES}
    reasons = dict(con.execute("SELECT source_uri, reason FROM rejects").fetchall())
    assert reasons == {site.url(p): r for p, r in BAD.items()}
    assert all(d for (d,) in con.execute("SELECT detail FROM rejects").fetchall())
    per_page = dict(con.execute("SELECT a.source_uri, count(m.mention_id) FROM articles a LEFT JOIN mentions m "
                                "USING (article_id) GROUP BY ALL").fetchall())
    assert per_page[site.url("/articles/2plus2.html")] > 0 and per_page[site.url("/articles/guidelines.html")] > 0
    cache = dict(con.execute("SELECT url, etag FROM fetch_cache").fetchall())
    assert set(cache) == {site.url(p) for p in GOOD + FEED_ENTRIES + ["/feed.xml"]} and all(cache.values())
    con.close()
    # the run summary: runs row and artifact, adding up
    row = _run_row(db, first["run_id"])
    assert row["status"] == "completed" and row["flow_run_id"] == first["run_id"]
    assert (row["sources_seen"], row["articles_new"], row["articles_unchanged"], row["articles_failed"]) == (8, 5, 0, 3)
    assert row["rejects"] == 3 + row["rejects_extract"] and row["mentions"] > 0 and row["events_created"] > 0
    _adds_up(row)
    md = _artifact(first["run_id"])
    for label, key in (("sources seen", "sources_seen"), ("articles new", "articles_new"),
                       ("articles failed", "articles_failed"), ("mentions", "mentions"),
                       ("events created", "events_created"), ("rejects", "rejects")):
        assert f"| {label} | {row[key]} |" in md
    assert "✓" in md and "timeout" in md and "too_large" in md
    print(f"\nHTTP run 1: {took:.1f} s, {row['requests']} requests, {json.dumps({k: row[k] for k in ('sources_seen', 'articles_new', 'articles_failed', 'mentions', 'events_created', 'rejects')})}")

    # a second run: conditional requests, nothing unchanged fetched again
    site.clear()
    second = build_timeline(source=sources, warehouse=str(db), fetch=FETCH)
    for p in GOOD[:2] + FEED_ENTRIES + ["/feed.xml"]:
        hits = site.hits(p)
        assert [h.status for h in hits] == [304], p
        assert hits[0].headers.get("if-none-match") and hits[0].headers.get("if-modified-since")
    assert [h.status for h in site.hits("/old-location")] == [301]
    assert [h.status for h in site.hits("/articles/moved.html")] == [304]
    row2 = _run_row(db, second["run_id"])
    assert (row2["sources_seen"], row2["articles_new"], row2["articles_unchanged"], row2["articles_failed"]) == (8, 0, 5, 3)
    assert row2["mentions"] == 0 and row2["events_created"] == 0 and row2["events_updated"] == 0
    _adds_up(row2)
    print(f"HTTP run 2: {row2['requests']} requests, every unchanged page answered 304")

    # a changed page is fetched again; the others stay 304
    site.pages["/articles/guidelines.html"] = (page_from_text((SEEDS / "000_f15ec7d27cccfef6.txt").read_text(
        encoding="utf-8") + "\n追記: 本記事を更新しました。\n"), "text/html")
    site.clear()
    third = build_timeline(source=sources, warehouse=str(db), fetch=FETCH)
    assert [h.status for h in site.hits("/articles/guidelines.html")] == [200]
    row3 = _run_row(db, third["run_id"])
    assert (row3["articles_new"], row3["articles_unchanged"], row3["articles_failed"]) == (1, 4, 3)
    _adds_up(row3)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 3
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5   # the old version released
    con.close()


def test_a_source_list_mixing_files_globs_and_urls(prefect_harness, site, tmp_path):
    from flows.build_timeline import build_timeline

    local = tmp_path / "local"
    local.mkdir()
    (local / "a.txt").write_bytes((SEEDS / "003_0bb852b01388ee52.txt").read_bytes())
    (local / "b.json").write_text(json.dumps({"title": "日米防衛相電話会談", "published_at": "2025-01-31",
                                              "text": (SEEDS / "004_085922098f503051.txt").read_text(encoding="utf-8")},
                                             ensure_ascii=False), encoding="utf-8")
    listing = tmp_path / "sources.list"
    listing.write_text(f"# test list\nlocal/*.txt\nlocal/b.json\n{site.url('/atom.xml')}\nmissing/folder\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    summary = build_timeline(source=[f"@{listing}"], warehouse=str(db), fetch=FETCH)
    row = _run_row(db, summary["run_id"])
    assert (row["sources_seen"], row["articles_new"], row["articles_failed"]) == (5, 4, 1)
    _adds_up(row)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT reason FROM rejects").fetchall() == [("not_found",)]
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    con.close()


def _tables(db) -> dict[str, list]:
    """Every contract table, without run-specific columns (times, run ids), in a stable order."""
    skip = {"ingested_at", "rejected_at", "fetched_at"}
    con = duckdb.connect(str(db), read_only=True)
    out = {}
    for table in ("articles", "article_sources", "mention_records", "mentions", "meetings", "participants",
                  "outcomes", "dedupe_decisions", "event_redirects", "rejects"):
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in skip]
        out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
    con.close()
    return out


def test_dask_local_cluster_gives_the_same_tables(prefect_harness, site, tmp_path):
    from flows.build_timeline import build_timeline, set_progress, with_task_runner

    sources = [str(SEEDS), site.url("/feed.xml"), site.url("/articles/2plus2.html"), site.url("/missing")]
    a, b = tmp_path / "threads" / "w.duckdb", tmp_path / "dask" / "w.duckdb"
    start = time.monotonic()
    default = build_timeline(source=sources, warehouse=str(a), fetch=FETCH, batch_size=2)
    t_default = time.monotonic() - start
    seen = []
    set_progress(lambda phase, done, total: seen.append((phase, done, total)))
    try:
        start = time.monotonic()
        dask = with_task_runner("dask", n_workers=2)(source=sources, warehouse=str(b), fetch=FETCH, batch_size=2)
        t_dask = time.monotonic() - start
    finally:
        set_progress(None)
    # the progress callback runs in the flow's process on Dask too: every batch ticks once
    fetch = [x for x in seen if x[0] == "fetch"]
    assert fetch[0][1] == 0 and fetch[-1][1] == fetch[-1][2] >= 3 and len(fetch) == fetch[-1][2] + 1
    assert {p for p, _, _ in seen} == {"sources", "fetch", "extract", "load", "publish"}
    assert default["task_runner"] == "default" and dask["task_runner"] == "dask"
    ta, tb = _tables(a), _tables(b)
    for table in ta:
        assert ta[table] == tb[table], table
    assert len(ta["meetings"]) > 0 and len(ta["articles"]) == 8
    ra, rb = _run_row(a, default["run_id"]), _run_row(b, dask["run_id"])
    for k in ("sources_seen", "articles_new", "articles_unchanged", "articles_failed", "mentions", "events_created",
              "rejects"):
        assert ra[k] == rb[k], k
    assert rb["task_runner"] == "dask"
    print(f"\ndefault runner {t_default:.1f} s, Dask LocalCluster (2 workers) {t_dask:.1f} s; "
          f"{len(ta['meetings'])} events, {len(ta['mentions'])} mention rows identical")


def test_dask_scheduler_address(prefect_harness, tmp_path):
    """--dask-address: the flow on a scheduler started elsewhere (here a LocalCluster of this test)."""
    from distributed import LocalCluster

    from flows.build_timeline import build_timeline, with_task_runner

    a, b = tmp_path / "threads" / "w.duckdb", tmp_path / "address" / "w.duckdb"
    build_timeline(source=str(SEEDS), warehouse=str(a))
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        summary = with_task_runner("dask", address=cluster.scheduler_address)(source=str(SEEDS), warehouse=str(b))
    assert summary["task_runner"] == "dask" and _tables(a) == _tables(b)


def test_a_failed_load_leaves_a_failed_runs_row_and_the_rerun_reuses_cached_extraction(prefect_harness, tmp_path,
                                                                                         monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    import warehouse.load as load_module
    from flows.build_timeline import build_timeline
    from warehouse.datatests import DataTestError

    def broken(con):
        raise DataTestError([], where="load (injected by the test)")

    db = tmp_path / "w.duckdb"
    monkeypatch.setattr(load_module, "_check_data", broken)
    with pytest.raises(DataTestError):
        build_timeline(source=str(SEEDS), warehouse=str(db))
    monkeypatch.undo()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0      # rolled back
    failed = con.execute("SELECT status, sources_seen, articles_new, mentions FROM runs").fetchall()
    con.close()
    assert len(failed) == 1 and failed[0][0] == "failed" and failed[0][1] == 5 and failed[0][2] == 5 and failed[0][3] > 0
    assert not (tmp_path / "snapshot").exists()                                   # nothing published

    summary = build_timeline(source=str(SEEDS), warehouse=str(db))
    assert summary["articles_new"] == 5 and summary["events_created"] > 0
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[summary["run_id"]])))
    states = {r.name.rsplit("-", 1)[0]: r.state.name for r in runs}
    assert states["extract_batch"] == "Cached"          # same content, same extractor: not extracted again
    assert states["load_warehouse"] == "Completed" and states["fetch_batch"] == "Completed"
    con = duckdb.connect(str(db), read_only=True)
    assert [r[0] for r in con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()] == ["failed", "completed"]
    con.close()
