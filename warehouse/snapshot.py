"""Published snapshots: what readers (SQL users, BI tools, the dashboard) open instead of the live file.

DuckDB lets one read-write process exclude every other process, so nobody reads the live
warehouse. After each successful load the writer publishes, under the warehouse folder::

    snapshots/<stamp>/timeline.duckdb    the tables and marts, a read-only copy (DuckDB 1.0+ can open it)
    snapshots/<stamp>/parquet/           <name>.parquet for every table and mart, by_year/<name>/year=YYYY/
    snapshots/<stamp>/manifest.json      stamp, time, row counts, data tests passed
    snapshot  -> snapshots/<stamp>       the current snapshot: a symlink swapped atomically
    parquet   -> snapshot/parquet        the stable Parquet path for BI tools

A snapshot is complete before the `snapshot` link is swapped to it (os.replace of a new link:
atomic), so a reader sees the previous complete version or the new complete version, never a
half-written one; files of a published snapshot are never modified. A reader resolves the link
once (`current`) and keeps reading that version; the writer never opens a snapshot file, so
readers never block it. The newest `KEEP` snapshots are kept; older ones are pruned (on POSIX a
reader still holding a pruned file keeps reading it).

The manifest records a fingerprint of what was published (`content_stamp`: per table, the row
count and an order-free hash of the rows). It serves twice:

- the data tests run once a run: a load runs them inside its transaction (a failure rolls it
  back) and hands the fingerprint of the state that passed them to `publish_snapshot`
  (`checked`); when the tables exported are that state and the snapshot database holds exactly
  those rows (its own fingerprint is equal), the tests are not run again on the copy. Otherwise
  (a publish on its own, a copy that differs) they run on the snapshot as before, and a failure
  publishes nothing.
- a run that changed no content (`if_changed`) publishes nothing when the current snapshot
  already holds the warehouse's content: equal fingerprints for every table except the run
  bookkeeping (`runs`, `fetch_cache`), whose rows of such runs are in the live warehouse only
  until the next publish. A load committed by a run that died before publishing differs, so
  the next run publishes it.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.faults import fault

__all__ = ["KEEP", "STORAGE_COMPATIBILITY", "BOOKKEEPING", "publish_snapshot", "content_stamp", "is_current", "current",
           "open_current", "manifest", "relations"]

KEEP = 3                                  # snapshots kept: the current one and two before it
STORAGE_COMPATIBILITY = "v1.0.0"          # snapshot files readable by DuckDB 1.0 and later
YEAR_PARTITIONED = {                      # Parquet datasets partitioned by the year of an event date
    "meetings": "start_date", "mentions": "start_date", "timeline": "start_date",
}
DB_NAME = "timeline.duckdb"
BOOKKEEPING = ("runs", "fetch_cache")     # tables a run that changes no content still writes
LINK = "snapshot"
DIR = "snapshots"


def relations() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from warehouse.load import TABLES, VIEWS

    return tuple(TABLES), tuple(VIEWS)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _swap_link(link: Path, target: str) -> None:
    """Point `link` at `target` atomically (a new link renamed over the old one)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.{time.monotonic_ns()}")
    os.symlink(target, tmp)
    try:
        if link.exists() and link.is_dir() and not link.is_symlink():
            # a folder from an older layout: move it aside once (the only non-atomic step, ever)
            aside = link.with_name(f".{link.name}.old-{_stamp()}")
            os.replace(link, aside)
            os.replace(tmp, link)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.replace(tmp, link)
    finally:
        if tmp.is_symlink():
            tmp.unlink()


def _readonly(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


# Parquet row groups of at most this many rows: the writer holds a row group in memory, and the
# default (122,880 rows) of 100,000 articles' text is ~600 MB, past the memory DuckDB is given
# (warehouse/load.py MEMORY_LIMIT).
ROW_GROUP = "ROW_GROUP_SIZE 16384"


def content_stamp(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] | None = None) -> dict[str, str]:
    """Per table, "<rows>:<sum of the rows' hashes>": equal stamps mean equal contents, in any row
    order (a fingerprint against accidents, not against a crafted collision). ~0.1 s at 10,000
    articles. Joins the caller's transaction, so a load can stamp what it is about to commit."""
    tables = tables if tables is not None else relations()[0]
    sql = " UNION ALL ".join(f"SELECT '{t}' AS name, count(*) AS n, sum(hash(r)) AS h FROM (SELECT {t} AS r FROM {t} AS {t})"
                             for t in tables)
    return {name: f"{n}:{h or 0}" for name, n, h in con.execute(sql).fetchall()}


def _export_tables(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...], parquet: Path) -> dict[str, str]:
    """Parquet of every contract table, read in one transaction (one consistent version); returns
    the content stamp of that version."""
    con.execute("BEGIN TRANSACTION")
    try:
        stamp = content_stamp(con, tables)
        for name in tables:
            con.execute(f"COPY (SELECT * FROM {name}) TO '{parquet / (name + '.parquet')}' (FORMAT parquet, {ROW_GROUP})")
    finally:
        con.execute("COMMIT")
    return stamp


def _build_database(path: Path, tables: tuple[str, ...], parquet: Path) -> duckdb.DuckDBPyConnection:
    """A fresh DuckDB file with the schema and views of warehouse/, filled from the Parquet export."""
    from warehouse.load import SCHEMA_SQL, VIEWS_SQL, limit_memory

    snap = limit_memory(duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}))
    snap.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    for name in tables:
        snap.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet('{parquet / (name + '.parquet')}')")
    snap.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    return snap


def _export_marts(snap: duckdb.DuckDBPyConnection, tables: tuple[str, ...], views: tuple[str, ...],
                  parquet: Path) -> None:
    for name in views:
        snap.execute(f"COPY (SELECT * FROM {name}) TO '{parquet / (name + '.parquet')}' (FORMAT parquet, {ROW_GROUP})")
    (parquet / "by_year").mkdir(exist_ok=True)
    for name in (*tables, *views):
        column = YEAR_PARTITIONED.get(name)
        if column:
            target = parquet / "by_year" / name
            snap.execute(f"COPY (SELECT *, year({column}) AS year FROM {name}) TO '{target}' "
                         f"(FORMAT parquet, PARTITION_BY (year), FILENAME_PATTERN 'part_{{i}}')")


def is_current(con: duckdb.DuckDBPyConnection, root: str | Path) -> bool:
    """Whether the current snapshot under `root` holds what `con` holds (the run bookkeeping
    tables aside): see the module docstring."""
    try:
        published = manifest(Path(root)).get("content") or {}
    except (FileNotFoundError, ValueError):
        return False
    tables = tuple(t for t in relations()[0] if t not in BOOKKEEPING)
    return bool(published) and all(published.get(t) == v for t, v in content_stamp(con, tables).items())


def publish_snapshot(con: duckdb.DuckDBPyConnection, root: str | Path, parquet_link: str | Path | None = None,
                     keep: int = KEEP, checked: dict[str, str] | None = None, if_changed: bool = False) -> Path:
    """Write a complete snapshot of `con` under `root`/snapshots/, check it, then make it current.

    `con` may be read-only. Raises DataTestError (leaving the current snapshot in place) when the
    copy fails a data test. `checked`: the content stamp of a state that passed every data test
    (the load's); `if_changed`: publish only when the current snapshot does not already hold the
    warehouse's content (module docstring). Returns the new (or still current) snapshot folder."""
    from warehouse.datatests import all_tests, check

    root = Path(root)
    if if_changed and is_current(con, root):
        _link_parquet(root, parquet_link)
        return current(root)
    tables, views = relations()
    versions = root / DIR
    versions.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{stamp}-", dir=versions))
    try:
        parquet = tmp / "parquet"
        parquet.mkdir()
        # 1. the tables, as one consistent read of the warehouse
        content = _export_tables(con, tables, parquet)
        fault("publish:mid_export")
        # 2. the snapshot database, from exactly those files; 3. the data tests on it, unless they
        # passed on this very content in the load and the copy is shown to hold exactly its rows
        snap = _build_database(tmp / DB_NAME, tables, parquet)
        try:
            if checked is not None and checked == content and content_stamp(snap, tables) == content:
                n_tests, tested_in = len(all_tests()), "load"
            else:
                n_tests, tested_in = check(snap, where=f"snapshot {stamp} (not published)"), "snapshot"
            # 4. marts and year partitions, computed on the snapshot
            _export_marts(snap, tables, views, parquet)
            counts = {name: snap.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in (*tables, *views)}
            snap.execute("CHECKPOINT")
        finally:
            snap.close()
        (parquet / "_SUCCESS").write_text(json.dumps({"tables": [*tables, *views], "stamp": stamp}) + "\n")
        (tmp / "manifest.json").write_text(json.dumps({
            "format": "timeline-snapshot/1",
            "stamp": stamp,
            "published_at": datetime.now(timezone.utc).isoformat(),
            "database": DB_NAME,
            "duckdb_version": duckdb.__version__,
            "storage_compatibility": STORAGE_COMPATIBILITY,
            "tables": {n: counts[n] for n in tables},
            "marts": {n: counts[n] for n in views},
            "year_partitioned": sorted(YEAR_PARTITIONED),
            "data_tests_passed": n_tests,
            "data_tests_run_on": tested_in,      # load: on the same content, in the load transaction
            "content": content,
        }, indent=1) + "\n")
        _readonly(tmp)
        final = versions / stamp
        fault("publish:before_rename")
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # 5. the atomic switch, then the stable Parquet link and pruning
    fault("publish:before_swap")
    _swap_link(root / LINK, f"{DIR}/{stamp}")
    _link_parquet(root, parquet_link)
    fault("publish:after_swap")
    _prune(versions, keep, current=stamp)
    return final


def _link_parquet(root: Path, parquet_link: str | Path | None) -> None:
    """The stable Parquet path: a link to the current snapshot's Parquet folder."""
    if parquet_link is not None:
        link = Path(parquet_link)
        target = (f"{LINK}/parquet" if link.parent.resolve() == root.resolve()
                  else str(root.resolve() / LINK / "parquet"))
        if not (link.is_symlink() and os.readlink(link) == target):
            _swap_link(link, target)


def _prune(versions: Path, keep: int, current: str) -> None:
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    for old in done[:-keep] if keep > 0 else done:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
    # temporary folders of publishes that died more than an hour ago
    for p in versions.glob(".tmp-*"):
        try:
            if time.time() - p.stat().st_mtime > 3600:
                shutil.rmtree(p, ignore_errors=True)
        except FileNotFoundError:
            pass


def current(root_or_link: str | Path) -> Path:
    """The folder of the current snapshot, resolved once: pass the warehouse folder, the
    `snapshot` link or a snapshot folder. Raises FileNotFoundError when nothing is published."""
    p = Path(root_or_link)
    if (p / LINK / "manifest.json").exists():      # the warehouse folder (it may hold a live timeline.duckdb too)
        p = p / LINK
    if not ((p / "manifest.json").exists() and (p / DB_NAME).exists()):
        raise FileNotFoundError(f"no published snapshot at {root_or_link}")
    return Path(os.path.realpath(p))


def manifest(snapshot: str | Path) -> dict:
    return json.loads((current(snapshot) / "manifest.json").read_text(encoding="utf-8"))


def open_current(root_or_link: str | Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A read-only connection to the current snapshot, and the snapshot folder it pinned."""
    folder = current(root_or_link)
    return duckdb.connect(str(folder / DB_NAME), read_only=True), folder
