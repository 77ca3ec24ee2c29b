"""Staging: a run's rows on disk between the stages, so that memory does not grow with the corpus.

The flow writes each batch's articles (with their text) and mention records here as soon as the
batch is read and extracted, and keeps only ids. Deduplication then reads the reports' small
keys (`read_keys`: SQL over the JSON records, no text), plans the events over them
(timeline.dedupe.plan) and builds the derived rows an event at a time from the full records,
streamed in event order (`stage_events`); the load (warehouse/load.py) moves everything into the
tables in its one transaction, in SQL.

    <warehouse>.staging/
      articles-00001.parquet …     rows of `articles`: the articles (re)extracted in this run
      records-00001.parquet …      record_id, article_id, payload: their mention records
      assignment-00001.parquet     record_id, event_id, article_id: every current record's event
      meetings- participants- outcomes- dedupe_decisions-…   the derived tables' full contents
      mentions-….parquet           rows of `mentions` for the records written or moved to another event

Only the flow's writer (under the warehouse's writer lock) uses the folder; a run empties it
when it starts and when it ends.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from models import Article, EventMention
from models.records import person_key
from timeline.dedupe import MentionKey, Plan, merge, plan

__all__ = ["Staging", "table_schema", "model_table", "read_keys", "stage_events", "mention_rows"]

KINDS = ("articles", "records", "assignment", "meetings", "participants", "outcomes", "mentions", "dedupe_decisions")
_RECORDS = pa.schema([("record_id", pa.string()), ("article_id", pa.string()), ("payload", pa.string())])
_ASSIGNMENT = pa.schema([("record_id", pa.string()), ("event_id", pa.string()), ("article_id", pa.string())])


@lru_cache(maxsize=None)
def table_schema(table: str) -> pa.Schema:
    """The Arrow schema of a warehouse table (from warehouse/schema.sql, in memory)."""
    from warehouse.load import SCHEMA_SQL

    con = duckdb.connect()
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        return con.sql(f"SELECT * FROM {table} LIMIT 0").to_arrow_table().schema
    finally:
        con.close()


def model_table(cls, items: list, table: str) -> pa.Table:
    """Pydantic models of `cls` as an Arrow table typed like `table`'s columns (those the model
    has), built column by column from the attributes (a `model_dump` per row is ~10× slower)."""
    from enum import Enum

    arrays = {}
    for f in table_schema(table):
        if f.name not in cls.model_fields:
            continue
        values = [getattr(x, f.name) for x in items]
        if isinstance(next((v for v in values if v is not None), None), Enum):
            values = [v.value if isinstance(v, Enum) else v for v in values]
        arrays[f.name] = pa.array(values, f.type)
    return pa.table(arrays)


def mention_rows(m: EventMention, event_id: str) -> list[dict]:
    """The `mentions` rows of one record: its main evidence and each supporting sentence."""
    from models.records import content_id

    rows = []
    for i, span in enumerate([m.evidence, *m.supporting]):
        rows.append(dict(
            mention_id=m.mention_id if i == 0 else content_id(m.mention_id, span.char_start, span.char_end),
            record_id=m.mention_id, article_id=m.article_id, event_id=event_id, event_type=m.event_type.value,
            medium=m.medium.value, status=m.status.value, start_date=m.start_date, end_date=m.end_date,
            date_precision=m.date_precision.value, start_time=m.start_time, duration_minutes=m.duration_minutes,
            location=m.location, title=m.title, evidence=span.text, char_start=span.char_start,
            char_end=span.char_end, rule=span.rule, is_main=i == 0, confidence=m.confidence,
        ))
    return rows


class Staging:
    """One run's staged rows: Parquet parts per kind in `folder` (see the module docstring)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._n = 0

    @classmethod
    def fresh(cls, folder: str | Path) -> Staging:
        """An empty staging folder (what a run that died left there is dropped)."""
        folder = Path(folder)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        return cls(folder)

    @classmethod
    def for_warehouse(cls, warehouse: str | Path) -> Staging:
        return cls.fresh(f"{warehouse}.staging")

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # writing ------------------------------------------------------------------------------

    def write(self, kind: str, table: pa.Table) -> None:
        """Add a part of `kind` (parts of one kind share one schema)."""
        assert kind in KINDS, kind
        self._n += 1
        pq.write_table(table, self.folder / f"{kind}-{self._n:06d}.parquet", compression="zstd")

    def add_articles(self, articles: list[Article]) -> None:
        if articles:
            self.write("articles", model_table(Article, articles, "articles"))

    def add_records(self, records: list[EventMention]) -> None:
        if records:
            self.write("records", pa.table({"record_id": [m.mention_id for m in records],
                                            "article_id": [m.article_id for m in records],
                                            "payload": [m.model_dump_json() for m in records]}, schema=_RECORDS))

    def add_assignment(self, assignment: dict[str, str], articles: dict[str, str]) -> None:
        ids = sorted(assignment)
        self.write("assignment", pa.table({"record_id": ids, "event_id": [assignment[r] for r in ids],
                                           "article_id": [articles[r] for r in ids]}, schema=_ASSIGNMENT))

    def add_decisions(self, ds: list) -> None:
        """timeline.dedupe.Decision rows of `dedupe_decisions`."""
        self.write("dedupe_decisions", pa.table({
            "record_a": pa.array([d.record_a for d in ds], pa.string()),
            "record_b": pa.array([d.record_b for d in ds], pa.string()),
            "merged": pa.array([d.merged for d in ds], pa.bool_()), "rule": pa.array([d.rule for d in ds], pa.string()),
            "score": pa.array([d.score for d in ds], pa.float64())}))

    def add_rows(self, kind: str, rows: list[dict]) -> None:
        """Rows of a warehouse table (`kind` is its name), typed like the table."""
        self.write(kind, pa.Table.from_pylist(rows, schema=table_schema(kind)))

    # reading ------------------------------------------------------------------------------

    def parts(self, kind: str) -> list[str]:
        return sorted(str(p) for p in self.folder.glob(f"{kind}-*.parquet"))

    def relation(self, kind: str) -> str:
        """SQL for the rows of `kind` (no rows when nothing was staged)."""
        parts = self.parts(kind)
        if parts:
            return "read_parquet([" + ", ".join(f"'{p}'" for p in parts) + "])"
        if kind == "records":
            return "(SELECT NULL::VARCHAR AS record_id, NULL::VARCHAR AS article_id, NULL::VARCHAR AS payload LIMIT 0)"
        if kind == "assignment":
            return "(SELECT NULL::VARCHAR AS record_id, NULL::VARCHAR AS event_id, NULL::VARCHAR AS article_id LIMIT 0)"
        return f"(SELECT * FROM {kind} LIMIT 0)"


# ---------------------------------------------------------------------------------------------
# Deduplication over keys, then the derived rows event by event
# ---------------------------------------------------------------------------------------------

# One parse of each JSON record into the fields the keys need (json_transform: twenty `->>`
# paths parsed every record twenty times and took 1.2 GB for 12,000 records; this takes ~50 MB)
_KEY_SHAPE = ('{"event_type": "VARCHAR", "medium": "VARCHAR", "status": "VARCHAR", "start_date": "DATE", '
              '"end_date": "DATE", "date_precision": "VARCHAR", "date_rule": "VARCHAR", "month_day": "VARCHAR", '
              '"series": "VARCHAR", "title": "VARCHAR", "site": "VARCHAR", "published_at": "VARCHAR", '
              '"is_primary": "BOOLEAN", "confidence": "DOUBLE", "participants": [{"person_id": "VARCHAR", '
              '"country": "VARCHAR", "name_ja": "VARCHAR", "name_en": "VARCHAR"}]}')
_KEY_SQL = f"""
SELECT record_id, article_id, k.event_type, k.medium, k.status, k.start_date, k.end_date, k.date_precision,
       k.date_rule, k.month_day, k.series, CASE WHEN k.event_type = 'document_release' THEN k.title END,
       k.site, k.published_at, k.is_primary, k.confidence, k.participants
FROM (SELECT record_id, article_id, json_transform(payload, '{_KEY_SHAPE}') AS k FROM _records)
"""


def _records_view(con: duckdb.DuckDBPyConnection, staging: Staging, live: Iterable[str] | None) -> None:
    """`_records` (record_id, article_id, payload as text): the stored records of the `live` articles
    (those some source still holds and that were not extracted again in this run; none when the
    warehouse has no records table) and the staged ones."""
    staged = f"SELECT record_id, article_id, payload::VARCHAR AS payload FROM {staging.relation('records')}"
    has_stored = live is not None and con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'mention_records'").fetchall()[0][0]
    if has_stored:
        con.register("_live_articles", pa.table({"article_id": pa.array(sorted(live), pa.string())}))
        con.execute("CREATE OR REPLACE TEMP TABLE _live AS SELECT article_id FROM _live_articles")
        con.unregister("_live_articles")
        con.execute("CREATE OR REPLACE TEMP VIEW _records AS SELECT r.record_id, r.article_id, r.payload::VARCHAR AS payload "
                    "FROM mention_records r SEMI JOIN _live l ON r.article_id = l.article_id "
                    f"UNION ALL {staged}")
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW _records AS {staged}")


def read_keys(con: duckdb.DuckDBPyConnection) -> list[MentionKey]:
    """The keys of every record of the `_records` view (`_records_view`), as `key_of` makes them
    from the records themselves (tests/test_streaming.py holds them to that)."""
    from datetime import datetime

    from models import DatePrecision, EventType, Medium, Status

    keys = []
    result = con.execute(_KEY_SQL)
    while rows := result.fetchmany(10_000):
        for (rid, aid, etype, medium, status, start, end, precision, rule, month_day, series, title, site, published,
             primary, confidence, people) in rows:
            people = people or []
            keys.append(MentionKey(
                mention_id=rid, article_id=aid, event_type=EventType(etype), medium=Medium(medium),
                status=Status(status), start_date=start, end_date=end, date_precision=DatePrecision(precision),
                date_rule=rule, month_day=month_day, series=series, title=title, site=site,
                published_at=datetime.fromisoformat(published) if published is not None else None,
                is_primary=primary, confidence=confidence,
                people=tuple(sorted((p["country"] or "", p["person_id"]) for p in people if p["person_id"])),
                person_keys=tuple(person_key(p["person_id"], p["name_ja"], p["name_en"]) for p in people)))
    return keys


def stage_events(warehouse: str | Path | None, staging: Staging, live: Iterable[str], site_kind: Callable,
                 chunk_rows: int = 20_000) -> dict[str, int]:
    """Deduplicate every current record — the stored records of the `live` articles and the staged
    ones — and stage the derived tables: the keys are read and planned over
    (timeline.dedupe.plan), then the full records are read back in event order and merged one
    event at a time (timeline.dedupe.merge), their rows written in parts of about `chunk_rows`.
    `mentions` rows are staged for the staged records and for those whose event changed. Reads
    the warehouse (read-only) and writes only the staging folder. Returns counts."""
    from models import Meeting, Outcome, Participant

    from warehouse.load import limit_memory

    exists = warehouse is not None and Path(warehouse).exists()
    con = limit_memory(duckdb.connect(str(warehouse), read_only=True) if exists else duckdb.connect(),
                       temp_directory=staging.folder / "spill")
    try:
        _records_view(con, staging, live if exists else None)
        keys = read_keys(con)
        p = plan(keys, site_kind)
        del keys
        staging.add_assignment(p.assignment, p.articles)
        staging.add_decisions(p.decisions)
        n_decisions = len(p.decisions)
        old = dict(con.execute("SELECT record_id, event_id FROM mentions WHERE is_main").fetchall()) if exists and \
            con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'mentions'").fetchall()[0][0] else {}
        fresh = {r for (r,) in con.execute(f"SELECT record_id FROM {staging.relation('records')}").fetchall()}
        rewrite = fresh | {r for r, e in p.assignment.items() if old.get(r) != e}
        del old, fresh
        order = {event_id: k for k, (event_id, _) in enumerate(p.events)}
        con.register("_order", pa.table({"record_id": pa.array(list(p.assignment), pa.string()),
                                         "ord": pa.array([order[e] for e in p.assignment.values()], pa.int64())}))
        con.execute("CREATE OR REPLACE TEMP TABLE _assign AS SELECT * FROM _order")
        con.unregister("_order")
        ids = [event_id for event_id, _ in p.events]
        n_events, n_records = len(ids), len(p.assignment)
        del p, order
        meetings: list[Meeting] = []
        participants: list[Participant] = []
        outcomes: list[Outcome] = []
        mentions: list[dict] = []
        n_mentions = 0

        def flush() -> None:
            staging.write("meetings", model_table(Meeting, meetings, "meetings"))
            staging.write("participants", model_table(Participant, participants, "participants"))
            staging.write("outcomes", model_table(Outcome, outcomes, "outcomes"))
            staging.add_rows("mentions", mentions)
            for xs in (meetings, participants, outcomes, mentions):
                xs.clear()

        def close(k: int, ms: list[EventMention]) -> None:
            nonlocal n_mentions
            meeting, people, outs = merge(ids[k], ms, site_kind)
            meetings.append(meeting)
            participants.extend(people)
            outcomes.extend(outs)
            for m in ms:
                n_mentions += 1 + len(m.supporting)
                if m.mention_id in rewrite:
                    mentions.extend(mention_rows(m, ids[k]))

        result = con.execute("SELECT a.ord, r.payload FROM _records r JOIN _assign a USING (record_id) "
                             "ORDER BY a.ord, r.record_id")
        current, ms = -1, []
        while True:
            rows = result.fetchmany(2048)
            if not rows:
                break
            for k, payload in rows:
                if k != current:
                    if ms:
                        close(current, ms)
                        if len(meetings) + len(participants) + len(outcomes) + len(mentions) >= chunk_rows:
                            flush()
                    current, ms = k, []
                ms.append(EventMention.model_validate_json(payload))
        if ms:
            close(current, ms)
        flush()
        return {"events": n_events, "records": n_records, "mentions": n_mentions, "decisions": n_decisions}
    finally:
        con.close()
