"""Load and publish stages: the only code that writes the DuckDB file and the Parquet snapshot.

Load runs in one transaction: articles and rejects are merged on their keys (first ingest time
kept), mention records of the loaded articles are replaced, and the derived tables (mentions,
meetings, participants, outcomes, dedupe decisions) are brought to what the full set of mention
records gives — by deleting and inserting only the rows that differ, so the tables are those of
a rewrite from scratch (a re-run with the same input leaves identical tables) at the cost of
the change.

The rows come from a staging folder (warehouse/staging.py) and are moved in SQL (`load_staged`),
so a load holds no article or record in memory: the flow stages them batch by batch. `load`
takes them in memory (tests, small tools) and stages them first.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa
from collections import Counter
from enum import Enum

from models import Article, EventMention, Meeting, Outcome, Participant, Rejection
from timeline import EXTRACTOR_VERSION
from timeline.dedupe import Events
from warehouse.faults import fault
from warehouse.snapshot import content_stamp

__all__ = ["SCHEMA_SQL", "VIEWS_SQL", "TABLES", "connect", "ensure_schema", "read_records", "stored_versions",
           "stored_sources", "live_records", "load", "load_staged", "record_unchanged", "record_run", "publish"]

_HERE = Path(__file__).resolve().parent
SCHEMA_SQL = _HERE / "schema.sql"
VIEWS_SQL = _HERE / "views.sql"
TABLES = ("articles", "article_sources", "mention_records", "mentions", "meetings", "participants", "outcomes",
          "dedupe_decisions", "event_redirects", "rejects", "runs", "fetch_cache")
VIEWS = ("timeline", "participant_activity", "counterparts", "outcomes_by_topic", "source_coverage",
         "meeting_series")


# DuckDB's memory for one run's queries (sorts and joins spill to disk past it). Its default, 80%
# of the machine's memory, let a 100,000-article load keep gigabytes of buffers.
MEMORY_LIMIT = os.environ.get("TIMELINE_DUCKDB_MEMORY", "512MB")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return limit_memory(duckdb.connect(str(path), read_only=read_only))


def limit_memory(con: duckdb.DuckDBPyConnection, temp_directory: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Bound DuckDB's memory (MEMORY_LIMIT); an in-memory database spills to `temp_directory`."""
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    if temp_directory is not None:
        con.execute(f"SET temp_directory = '{temp_directory}'")
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))


def read_records(con: duckdb.DuckDBPyConnection) -> tuple[list[EventMention], dict[str, str]]:
    """Every stored mention record, and the content hash of every stored article."""
    ensure_schema(con)
    records = [EventMention.model_validate_json(p) for (p,) in con.execute(
        "SELECT payload FROM mention_records ORDER BY record_id").fetchall()]
    hashes = dict(con.execute("SELECT article_id, content_sha256 FROM articles").fetchall())
    return records, hashes


def _many(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> None:
    if params:  # DuckDB refuses executemany with no parameter sets
        con.executemany(sql, params)


def _with_keys(con: duckdb.DuckDBPyConnection, columns: dict[str, list], sql: str) -> None:
    """Run `sql` once against `_keys`, an Arrow table of `columns` (one statement for any number
    of keys: executemany costs ~1 ms per row in DuckDB, 10 s per 10,000 articles)."""
    if not next(iter(columns.values())):
        return
    con.register("_keys", pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()}))
    try:
        con.execute(sql)
    finally:
        con.unregister("_keys")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Bulk insert through Arrow, columns matched by name."""
    if not rows:
        return
    batch = pa.Table.from_pylist(rows)
    con.register("_batch", batch)
    try:
        cols = ", ".join(batch.column_names)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _batch")
    finally:
        con.unregister("_batch")


def _enum(v):
    return v.value if isinstance(v, Enum) else v


def _model_rows(items) -> list[dict]:
    return [{k: _enum(v) for k, v in item.model_dump().items()} for item in items]


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """The column list of a relation, for INSERT … SELECT by name."""
    result = con.execute(f"SELECT * FROM {relation} LIMIT 0")
    names = [d[0] for d in result.description]
    result.fetchall()
    return ", ".join(names)


def _sync(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...], want: str) -> int:
    """Make `table` hold exactly the rows of the relation `want` (SQL; unique on `key`): the
    stored rows that are not among them are deleted, the missing ones inserted, equal rows left
    alone. Returns how many keys kept a row but with other values."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _want AS SELECT * FROM {want}")
    cols = _columns(con, "_want")
    keys = ", ".join(key)
    on = " AND ".join(f"t.{k} = w.{k}" for k in key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _stale AS SELECT {keys} FROM "
                f"(SELECT {cols} FROM {table} EXCEPT SELECT {cols} FROM _want)")
    replaced = con.execute(f"SELECT count(*) FROM _stale t JOIN _want w ON {on}").fetchall()[0][0]
    con.execute(f"DELETE FROM {table} t USING _stale w WHERE {on}")
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _want w "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {on})")
    con.execute("DROP TABLE _stale")
    con.execute("DROP TABLE _want")
    return replaced


def stored_versions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """article_id → extractor version of every stored article."""
    ensure_schema(con)
    return dict(con.execute("SELECT article_id, extractor_version FROM articles").fetchall())


def stored_sources(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """source_uri → article_id of every source name seen so far."""
    ensure_schema(con)
    return dict(con.execute("SELECT source_uri, article_id FROM article_sources").fetchall())


def live_records(stored: list[EventMention], sources_before: dict[str, str], sources_now: dict[str, str],
                 redone: set[str]) -> list[EventMention]:
    """Stored records that still stand: their article is still some source's content and was not
    extracted again in this run (a source whose content changed releases its old article)."""
    live = set({**sources_before, **sources_now}.values())
    return [m for m in stored if m.article_id in live and m.article_id not in redone]


def load(con: duckdb.DuckDBPyConnection, articles: list[Article], records: list[EventMention],
         events: Events, rejects: list[Rejection], *, sources: dict[str, str] | None = None,
         retracted: set[str] = frozenset(), run: dict | None = None,
         fetch_cache: list[dict] | None = None) -> dict:
    """Write one batch in a single transaction, from records in memory (`load_staged` does the
    writing; the flow stages its rows as it goes instead).

    `articles` are the articles (re)extracted in this run, `records` the full set of mention
    records after the run, `events` their deduplication, `sources` source_uri → article_id for
    every source seen in this run, `retracted` article ids whose reports are withdrawn.
    `run`, when given, is this run's `runs` row (without the event counts, which are filled in
    here) and is written in the same transaction; `fetch_cache` rows are upserted on url.
    """
    from warehouse.staging import Staging, mention_rows, model_table

    staging = Staging.fresh(tempfile.mkdtemp(prefix="timeline-load-"))
    try:
        current = {m.mention_id: m for m in records}
        staging.add_articles(articles)
        staging.add_records(list(current.values()))
        staging.add_assignment({r: events.assignment[r] for r in current}, {r: m.article_id for r, m in current.items()})
        staging.write("meetings", model_table(Meeting, events.meetings, "meetings"))
        staging.write("participants", model_table(Participant, events.participants, "participants"))
        staging.write("outcomes", model_table(Outcome, events.outcomes, "outcomes"))
        staging.add_decisions(events.decisions)
        staging.add_rows("mentions", [row for r in sorted(current) for row in mention_rows(current[r], events.assignment[r])])
        sources = sources if sources is not None else {a.source_uri: a.article_id for a in articles}
        return load_staged(con, staging, rejects, sources=sources, retracted=retracted, run=run, fetch_cache=fetch_cache)
    finally:
        staging.clear()


def load_staged(con: duckdb.DuckDBPyConnection, staging, rejects: list[Rejection], *, sources: dict[str, str],
                retracted: set[str] = frozenset(), run: dict | None = None,
                fetch_cache: list[dict] | None = None) -> dict:
    """Write a run's staged rows (warehouse/staging.py) in a single transaction.

    The staging holds the articles (re)extracted in this run and their mention records, the
    assignment of every current record to its event, the full contents of meetings,
    participants, outcomes and dedupe_decisions, and the `mentions` rows of the records written
    or moved. `sources` is source_uri → article_id for every source seen in this run,
    `retracted` article ids whose reports are withdrawn; `run` and `fetch_cache` as for `load`.
    The counts returned include "checked", the content stamp of what passed the data tests
    (warehouse/snapshot.py), for `publish`.

    The derived tables end up exactly as a rewrite from the records would leave them, but only
    the rows that differ are deleted and inserted, so a run that adds 1% of the articles writes
    about 1% of the rows.
    """
    ensure_schema(con)
    rel = staging.relation
    con.execute("BEGIN TRANSACTION")
    try:
        old_rows = con.execute("SELECT record_id, event_id, article_id FROM mentions WHERE is_main").fetchall()
        old_assign = {r: e for r, e, _ in old_rows}
        old_article = {r: a for r, _, a in old_rows}
        del old_rows
        old_sources = dict(con.execute("SELECT source_uri, article_id FROM article_sources").fetchall())
        # a source whose content changed: its old article is replaced by the new one
        replaced = {old_sources[u]: a for u, a in sources.items() if u in old_sources and old_sources[u] != a}
        before = {r[0] for r in con.execute("SELECT event_id FROM meetings").fetchall()}
        # articles: merged on content; a re-extracted article takes the current extractor version
        con.execute(f"CREATE OR REPLACE TEMP VIEW _staged_articles AS SELECT * FROM {rel('articles')}")
        cols = _columns(con, "_staged_articles")
        con.execute("DELETE FROM articles USING _staged_articles k WHERE articles.article_id = k.article_id "
                    "AND articles.extractor_version <> k.extractor_version")
        con.execute(f"INSERT INTO articles ({cols}) SELECT {cols} FROM _staged_articles s "
                    "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = s.article_id)")
        written = con.execute("SELECT count(*) FROM _staged_articles").fetchall()[0][0]
        # sources: a name now pointing at other content releases the old content
        if sources:
            changed = sorted((u, a) for u, a in sources.items() if old_sources.get(u) != a)
            _with_keys(con, {"source_uri": [u for u, _ in changed], "article_id": [a for _, a in changed]},
                       "INSERT INTO article_sources SELECT source_uri, article_id FROM _keys "
                       "ON CONFLICT (source_uri) DO UPDATE SET article_id = excluded.article_id")
        if retracted:
            _many(con, "DELETE FROM article_sources WHERE article_id = ?", [(a,) for a in sorted(retracted)])
        orphans = [r[0] for r in con.execute(
            "SELECT article_id FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_sources s WHERE s.article_id = a.article_id)").fetchall()]
        _with_keys(con, {"article_id": orphans},
                   "DELETE FROM articles WHERE article_id IN (SELECT article_id FROM _keys)")
        # derived tables: what the full set of records and their events give
        updated = _write_derived(con, staging)
        # redirects: an id that disappeared points at the event holding most of its reports
        after = {r[0] for r in con.execute("SELECT event_id FROM meetings").fetchall()}
        new_assign: dict[str, str] = {}
        new_by_article: dict[str, list[str]] = {}
        for r, e, a in con.execute("SELECT record_id, event_id, article_id FROM _assignment").fetchall():
            new_assign[r] = e
            new_by_article.setdefault(a, []).append(e)
        successors = {r: new_by_article.get(replaced.get(a, ""), []) for r, a in old_article.items()}
        _redirect(con, old_assign, new_assign, before, after, successors)
        del new_assign, new_by_article, successors, old_assign, old_article
        con.execute("DROP TABLE _assignment")
        if rejects:
            known = {x[0] for x in con.execute("SELECT reject_id FROM rejects").fetchall()}
            _insert(con, "rejects", [r for r in _model_rows(rejects) if r["reject_id"] not in known])
        if fetch_cache:
            _upsert_fetch_cache(con, fetch_cache)
        if run is not None:
            record_run(con, {**run, "events_created": len(after - before), "events_updated": updated})
        _check_data(con)
        checked = content_stamp(con)     # what passed the data tests: publish need not test it again
        mentions = con.execute("SELECT count(*) FROM mentions").fetchall()[0][0]
        fault("load:before_commit")
        con.execute("COMMIT")
        fault("load:after_commit")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"events": len(after), "events_created": len(after - before), "events_removed": len(before - after),
            "events_updated": updated, "mentions": mentions, "articles_written": written,
            "articles_retracted": len(orphans), "rejects_written": len(rejects), "checked": checked}


def _write_derived(con: duckdb.DuckDBPyConnection, staging) -> int:
    """Bring mention_records, mentions, meetings, participants, outcomes and dedupe_decisions to
    what the staging gives, deleting and inserting only the rows that differ; return the number
    of events that existed before and changed. Leaves `_assignment` (record_id, event_id,
    article_id of every current record) for the caller.

    - mention_records: the staged records (new, or of an article extracted again in this run)
      replace their rows; a record in no event's assignment is gone.
    - mentions: a record's rows are a function of the record and its event: the staged rows
      (records written, or moved to another event) replace theirs; a gone record's go.
    - meetings, participants, outcomes, dedupe_decisions come from dedupe: every row is staged,
      then compared with the stored rows in SQL (`_sync`), so nothing here assumes which events
      a change can reach.
    """
    rel = staging.relation
    con.execute(f"CREATE OR REPLACE TEMP TABLE _assignment AS SELECT * FROM {rel('assignment')}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW _staged_records AS SELECT * FROM {rel('records')}")
    con.execute("DELETE FROM mention_records WHERE record_id NOT IN (SELECT record_id FROM _assignment) "
                "OR record_id IN (SELECT record_id FROM _staged_records)")
    con.execute("INSERT INTO mention_records (record_id, article_id, extractor_version, payload) "
                "SELECT record_id, article_id, ?, payload FROM _staged_records", [EXTRACTOR_VERSION])
    con.execute(f"CREATE OR REPLACE TEMP VIEW _staged_mentions AS SELECT * FROM {rel('mentions')}")
    cols = _columns(con, "_staged_mentions")
    con.execute("DELETE FROM mentions WHERE record_id NOT IN (SELECT record_id FROM _assignment) "
                "OR record_id IN (SELECT record_id FROM _staged_mentions)")
    con.execute(f"INSERT INTO mentions ({cols}) SELECT {cols} FROM _staged_mentions")
    fault("load:mid_insert")
    updated = _sync(con, "meetings", ("event_id",), rel("meetings"))
    _sync(con, "participants", ("event_id", "person_key"), rel("participants"))
    _sync(con, "outcomes", ("outcome_id",), rel("outcomes"))
    _sync(con, "dedupe_decisions", ("record_a", "record_b"), rel("dedupe_decisions"))
    for view in ("_staged_articles", "_staged_records", "_staged_mentions"):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    return updated


def record_unchanged(con: duckdb.DuckDBPyConnection, run: dict, fetch_cache: list[dict] | None = None) -> dict[str, int]:
    """A run that found nothing new, changed or gone and no new reject (flows/build_timeline.py):
    its `runs` row and its fetch-cache rows (304s that refreshed an entry, files read again) in
    one transaction, checked by the data tests of those two tables; no other table is touched.
    Returns the counts `load` returns, for the unchanged tables."""
    from warehouse.datatests import check
    from warehouse.snapshot import BOOKKEEPING

    ensure_schema(con)
    con.execute("BEGIN TRANSACTION")
    try:
        if fetch_cache:
            _upsert_fetch_cache(con, fetch_cache)
        record_run(con, {**run, "events_created": 0, "events_updated": 0})
        check(con, where="load (rolled back: nothing was written)", relations=BOOKKEEPING)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    events, mentions = con.execute("SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM mentions)").fetchone()
    return {"events": events, "events_created": 0, "events_removed": 0, "events_updated": 0, "mentions": mentions,
            "articles_written": 0, "articles_retracted": 0, "rejects_written": 0}


RUN_COLUMNS = ("run_id", "started_at", "finished_at", "flow_run_id", "sources_seen", "articles_new",
               "articles_unchanged", "articles_failed", "mentions", "events_created", "events_updated", "rejects",
               "status", "rejects_extract", "requests", "task_runner", "sources")


def record_run(con: duckdb.DuckDBPyConnection, run: dict) -> None:
    """Write (or replace) one `runs` row; missing counts are 0. Joins the caller's transaction
    (the schema must exist: `load` and `ensure_schema` create it)."""
    row = {c: run.get(c) for c in RUN_COLUMNS}
    for c in RUN_COLUMNS[4:12] + ("rejects_extract", "requests"):
        row[c] = int(row[c] or 0)
    cols = ", ".join(RUN_COLUMNS)
    con.execute(f"INSERT OR REPLACE INTO runs ({cols}) VALUES ({', '.join('?' for _ in RUN_COLUMNS)})",
                [row[c] for c in RUN_COLUMNS])


_FETCH_CACHE = pa.schema([("url", pa.string()), ("etag", pa.string()), ("last_modified", pa.string()),
                          ("content_sha256", pa.string()), ("fetched_at", pa.timestamp("us", tz="UTC")),
                          ("entries", pa.list_(pa.string()))])


def _upsert_fetch_cache(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """One Arrow-registered statement (a run over a folder has an entry per file: executemany
    would cost ~1 ms a row)."""
    latest = {r["url"]: r for r in rows}   # one row per url: a batch with duplicate keys keeps the first silently
    batch = pa.Table.from_pylist([{c: r.get(c) for c in _FETCH_CACHE.names} for r in latest.values()], schema=_FETCH_CACHE)
    con.register("_cache", batch)
    try:
        con.execute("INSERT OR REPLACE INTO fetch_cache (url, etag, last_modified, content_sha256, fetched_at, entries) "
                    "SELECT url, etag, last_modified, content_sha256, fetched_at, entries FROM _cache")
    finally:
        con.unregister("_cache")


def _redirect(con, old_assign: dict[str, str], new_assign: dict[str, str], before: set[str], after: set[str],
              successors: dict[str, list[str]]) -> None:
    _with_keys(con, {"old_event_id": sorted(after)},
               "DELETE FROM event_redirects WHERE old_event_id IN (SELECT old_event_id FROM _keys)")
    gone = sorted(before - after)
    records_of: dict[str, list[str]] = {}      # old event id → its records (once, not per gone id)
    moved: dict[str, set[str]] = {}            # new event id → the old event ids of its records
    for r, e in old_assign.items():
        records_of.setdefault(e, []).append(r)
        if r in new_assign:
            moved.setdefault(new_assign[r], set()).add(e)
    for old in gone:
        targets = Counter(new_assign[r] for r in records_of.get(old, ()) if r in new_assign)
        replacement = Counter(x for r in records_of.get(old, ()) for x in successors.get(r, []))
        if not targets and replacement:
            new, reason = min(replacement, key=lambda e: (-replacement[e], e)), "replaced"
        elif not targets:
            new, reason = None, "retracted"
        else:
            new = min(targets, key=lambda e: (-targets[e], e))
            moved_from = moved.get(new, set())
            reason = "split" if len(targets) > 1 else "merged" if len(moved_from) > 1 else "rekeyed"
        con.execute("INSERT INTO event_redirects VALUES (?, ?, ?) ON CONFLICT (old_event_id) DO UPDATE "
                    "SET new_event_id = excluded.new_event_id, reason = excluded.reason", [old, new, reason])
    # keep chains short: anything pointing at a gone id follows it
    for old in gone:
        con.execute("UPDATE event_redirects SET new_event_id = (SELECT new_event_id FROM event_redirects r "
                    "WHERE r.old_event_id = ?) WHERE new_event_id = ?", [old, old])


def _check_data(con: duckdb.DuckDBPyConnection) -> None:
    """Run every data test inside the load transaction; DataTestError makes the caller roll back."""
    from warehouse.datatests import check

    check(con, where="load (rolled back: nothing was written or published)")


def publish(con: duckdb.DuckDBPyConnection, out_dir: str | Path, snapshot_root: str | Path | None = None,
            checked: dict[str, str] | None = None, if_changed: bool = False) -> Path:
    """Publish a read-only snapshot of `con` and return `out_dir`, the stable Parquet path.

    See warehouse/snapshot.py: snapshots live in `snapshot_root` (default: the folder of
    `out_dir`) as `snapshots/<stamp>/`; the `snapshot` link there points at the current one and
    `out_dir` is a link to its Parquet folder. Raises DataTestError (and publishes nothing) when
    the snapshot fails a data test. `checked` (the stamp `load` returns as "checked") spares the
    data tests a second pass over the same content; `if_changed` publishes only when the current
    snapshot does not hold the warehouse's content already."""
    from warehouse.snapshot import publish_snapshot

    out_dir = Path(out_dir)
    publish_snapshot(con, Path(snapshot_root) if snapshot_root is not None else out_dir.parent, parquet_link=out_dir,
                     checked=checked, if_changed=if_changed)
    return out_dir
