"""Load and publish stages: the only code that writes the DuckDB file and the Parquet snapshot.

Load runs in one transaction: articles and rejects are merged on their keys (first ingest time
kept), mention records of the loaded articles are replaced, and the derived tables (mentions,
meetings, participants, outcomes) are rewritten from the full set of mention records, so a
re-run with the same input leaves identical tables.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from models import Article, EventMention, Rejection
from timeline import EXTRACTOR_VERSION
from timeline.dedupe import Events

__all__ = ["SCHEMA_SQL", "VIEWS_SQL", "TABLES", "connect", "ensure_schema", "read_records", "load", "publish"]

_HERE = Path(__file__).resolve().parent
SCHEMA_SQL = _HERE / "schema.sql"
VIEWS_SQL = _HERE / "views.sql"
TABLES = ("articles", "mention_records", "mentions", "meetings", "participants", "outcomes", "rejects")
VIEWS = ("timeline",)


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=read_only)


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


def _mention_rows(m: EventMention, event_id: str) -> list[tuple]:
    from models.records import content_id

    rows = []
    for i, span in enumerate([m.evidence, *m.supporting]):
        rows.append((
            m.mention_id if i == 0 else content_id(m.mention_id, span.char_start, span.char_end),
            m.mention_id, m.article_id, event_id, m.event_type.value, m.medium.value, m.status.value,
            m.start_date, m.end_date, m.date_precision.value, m.start_time, m.duration_minutes, m.location,
            m.title, span.text, span.char_start, span.char_end, span.rule, i == 0, m.confidence,
        ))
    return rows


def load(con: duckdb.DuckDBPyConnection, articles: list[Article], records: list[EventMention],
         events: Events, rejects: list[Rejection]) -> dict[str, int]:
    """Write one batch in a single transaction; `records` is the full set of mention records."""
    ensure_schema(con)
    con.execute("BEGIN TRANSACTION")
    try:
        before = {r[0] for r in con.execute("SELECT event_id FROM meetings").fetchall()}
        for a in articles:
            con.execute(
                "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (article_id) DO NOTHING",
                [a.article_id, a.source_uri, a.site, a.title, a.language.value, a.published_at,
                 a.published_at_source, a.content_sha256, a.text, a.n_chars, a.extractor_version, a.ingested_at],
            )
        for table in ("mention_records", "mentions", "meetings", "participants", "outcomes"):
            con.execute(f"DELETE FROM {table}")
        con.executemany("INSERT INTO mention_records VALUES (?,?,?,?)", [
            (m.mention_id, m.article_id, EXTRACTOR_VERSION, m.model_dump_json()) for m in records])
        rows = [r for m in records for r in _mention_rows(m, events.assignment[m.mention_id])]
        if rows:
            con.executemany("INSERT INTO mentions VALUES (" + ",".join("?" * 20) + ")", rows)
        if events.meetings:
            con.executemany("INSERT INTO meetings VALUES (" + ",".join("?" * 16) + ")", [
                (e.event_id, e.event_type.value, e.medium.value, e.status.value, e.title_ja, e.title_en,
                 e.start_date, e.end_date, e.date_precision.value, e.start_time, e.duration_minutes,
                 e.location, e.n_mentions, e.n_articles, e.n_sources, e.confidence) for e in events.meetings])
        if events.participants:
            con.executemany("INSERT INTO participants VALUES (" + ",".join("?" * 14) + ")", [
                (p.event_id, p.person_key, p.person_id, p.name_ja, p.name_en, p.title, p.organization,
                 p.country, p.role.value, p.article_id, p.char_start, p.char_end, p.rule, p.n_articles)
                for p in events.participants])
        if events.outcomes:
            con.executemany("INSERT INTO outcomes VALUES (?,?,?,?,?,?,?,?,?)", [
                (o.outcome_id, o.event_id, o.kind.value, o.text, o.topics, o.article_id, o.char_start,
                 o.char_end, o.rule) for o in events.outcomes])
        for r in rejects:
            con.execute("INSERT INTO rejects VALUES (?,?,?,?,?,?) ON CONFLICT (reject_id) DO NOTHING",
                        [r.reject_id, r.source_uri, r.stage, r.reason, r.detail, r.rejected_at])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    after = {e.event_id for e in events.meetings}
    return {"events": len(after), "events_created": len(after - before), "mentions": len(rows),
            "articles_written": len(articles), "rejects_written": len(rejects)}


def publish(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> Path:
    """Parquet of every table and view, written to a fresh directory and swapped in by rename."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".parquet-", dir=out_dir.parent))
    try:
        for name in (*TABLES, *VIEWS):
            target = tmp / f"{name}.parquet"
            con.execute(f"COPY (SELECT * FROM {name}) TO '{target}' (FORMAT parquet)")
        (tmp / "_SUCCESS").write_text(json.dumps({"tables": [*TABLES, *VIEWS]}) + "\n")
        old = out_dir.with_name(out_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out_dir
