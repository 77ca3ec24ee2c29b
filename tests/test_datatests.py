"""Data tests: all pass on the seeds warehouse; each one fails on a warehouse broken on purpose;
a load that breaks one is rolled back and publishes nothing."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT, SEEDS, run_stages
from warehouse import datatests
from warehouse.datatests import DataTestError, all_tests, relations
from warehouse.load import TABLES, VIEWS_SQL, load, read_records

TESTS = {t.name: t for t in all_tests()}
MARTS = set(datatests.catalog()["marts"])


def _first(table: str) -> str:
    return f"rowid = (SELECT min(rowid) FROM {table})"


def _materialise(con, view: str) -> str:
    """Replace a mart by a table holding its rows, so a test can break the mart's output."""
    con.execute(f"CREATE TABLE _{view} AS SELECT * FROM {view}")
    con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM _{view}")
    return f"_{view}"


# How to break each test that a generic rule cannot: SQL run on the unconstrained copy.
EXPLICIT = {
    "expression__articles__n_chars": "UPDATE articles SET n_chars = 0 WHERE {first:articles}",
    "expression__mentions__duration_minutes": "UPDATE mentions SET duration_minutes = -5 WHERE {first:mentions}",
    "expression__mentions__confidence": "UPDATE mentions SET confidence = 1.5 WHERE {first:mentions}",
    "expression__meetings__duration_minutes": "UPDATE meetings SET duration_minutes = -5 WHERE {first:meetings}",
    "expression__meetings__n_mentions": "UPDATE meetings SET n_mentions = 0 WHERE {first:meetings}",
    "expression__meetings__n_articles": "UPDATE meetings SET n_articles = 0 WHERE {first:meetings}",
    "expression__meetings__n_sources": "UPDATE meetings SET n_sources = n_articles + 1 WHERE {first:meetings}",
    "expression__meetings__confidence": "UPDATE meetings SET confidence = -0.1 WHERE {first:meetings}",
    "expression__participants__n_articles": "UPDATE participants SET n_articles = 0 WHERE {first:participants}",
    "expression__dedupe_decisions__score": "UPDATE dedupe_decisions SET score = 2 WHERE {first:dedupe_decisions}",
    "article_text_matches_hash": "UPDATE articles SET text = text || '。' WHERE {first:articles}",
    "event_dates_ordered": "UPDATE meetings SET end_date = start_date - 1 WHERE rowid = "
                           "(SELECT min(rowid) FROM meetings WHERE start_date IS NOT NULL)",
    "meeting_counts_match_mentions": "UPDATE meetings SET n_mentions = n_mentions + 1 WHERE {first:meetings}",
    "mention_evidence_slices_article": "UPDATE mentions SET evidence = evidence || '!' WHERE {first:mentions}",
    "one_main_sentence_per_record": "UPDATE mentions SET is_main = NOT is_main WHERE {first:mentions}",
    "outcome_text_slices_article": "UPDATE outcomes SET char_start = char_start + 1 WHERE {first:outcomes}",
    "participant_span_inside_article": "UPDATE participants SET char_end = 1000000 WHERE {first:participants}",
    "participant_support_within_event": "UPDATE participants SET n_articles = 99 WHERE {first:participants}",
    "meeting_series_numbered_in_order": "{mart:meeting_series} UPDATE _meeting_series SET series_number = 7 "
                                        "WHERE series_number = 1",
    "source_coverage_adds_up": "{mart:source_coverage} UPDATE _source_coverage SET n_articles = n_articles + 1",
    "timeline_one_row_per_event": "{mart:timeline} DELETE FROM _timeline WHERE rowid = 0",
    "expression__runs__sources_add_up": "UPDATE runs SET articles_new = articles_new + 1 WHERE {first:runs}",
    "expression__runs__rejects_add_up": "UPDATE runs SET rejects = rejects + 1 WHERE {first:runs}",
}


def _generic(con, test) -> None:
    table = _materialise(con, test.relation) if test.relation in MARTS else test.relation
    where = _first(table)
    column = test.column
    if test.kind == "unique":
        con.execute(f"INSERT INTO {table} SELECT * FROM {table} WHERE {where}")
    elif test.kind == "not_null":
        con.execute(f"UPDATE {table} SET {column} = NULL WHERE {where}")
    elif test.kind == "accepted_values":
        is_list = con.execute(f"SELECT typeof({column}) FROM {table} LIMIT 1").fetchone()[0].endswith("[]")
        value = "['not-in-vocabulary']" if is_list else "'not-in-vocabulary'"
        con.execute(f"UPDATE {table} SET {column} = {value} WHERE {where}")
    elif test.kind == "relationships":
        con.execute(f"UPDATE {table} SET {column} = 'no-such-parent' WHERE {where}")
    elif test.kind == "matches":
        con.execute(f"UPDATE {table} SET {column} = '!!' WHERE {where}")
    else:
        raise AssertionError(f"no way to break {test.name}: add it to EXPLICIT")


def _break(con, name: str) -> None:
    if name not in EXPLICIT:
        _generic(con, TESTS[name])
        return
    sql = EXPLICIT[name]
    for view in MARTS:
        if "{mart:" + view + "}" in sql:
            _materialise(con, view)
            sql = sql.replace("{mart:" + view + "}", "")
    for table in TABLES:
        sql = sql.replace("{first:" + table + "}", _first(table))
    con.execute(sql)


@pytest.fixture(scope="session")
def seeds_snapshot_db(seeds_warehouse):
    return seeds_warehouse.parent / "snapshot" / "timeline.duckdb"


def _unconstrained_copy(db) -> duckdb.DuckDBPyConnection:
    """The seeds data in tables without keys or NOT NULL, so any rule can be broken; every table
    holds at least one valid row."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{db}' AS src (READ_ONLY)")
    for table in TABLES:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{table}")
    con.execute("DETACH src")
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    if not con.execute("SELECT count(*) FROM rejects").fetchone()[0]:
        con.execute("INSERT INTO rejects VALUES ('r0', 'x.txt', 'ingest', 'empty', NULL, TIMESTAMPTZ '2025-01-01 00:00:00+00')")
    if not con.execute("SELECT count(*) FROM event_redirects").fetchone()[0]:
        con.execute("INSERT INTO event_redirects SELECT 'old-id', min(event_id), 'merged' FROM meetings")
    if not con.execute("SELECT count(*) FROM runs").fetchone()[0]:
        con.execute("INSERT INTO runs (run_id, started_at, finished_at, sources_seen, articles_new, articles_unchanged, "
                    "articles_failed, mentions, events_created, events_updated, rejects, status, rejects_extract) VALUES "
                    "('run-0', now(), now(), 6, 5, 0, 1, 20, 10, 0, 2, 'completed', 1)")
    if not con.execute("SELECT count(*) FROM fetch_cache").fetchone()[0]:
        con.execute("INSERT INTO fetch_cache VALUES ('http://127.0.0.1/a.html', '\"e1\"', NULL, NULL, now(), NULL)")
    return con


@pytest.mark.parametrize("name", sorted(TESTS))
def test_data_test_passes_on_the_seeds_warehouse(seeds_snapshot_db, name):
    con = duckdb.connect(str(seeds_snapshot_db), read_only=True)
    failures = datatests.run(con, only=[name])
    con.close()
    assert not failures, str(failures[0])


def test_the_unconstrained_copy_is_clean(seeds_snapshot_db):
    assert datatests.run(_unconstrained_copy(seeds_snapshot_db)) == []


@pytest.mark.parametrize("name", sorted(TESTS))
def test_data_test_fails_on_a_warehouse_broken_for_it(seeds_snapshot_db, name):
    con = _unconstrained_copy(seeds_snapshot_db)
    _break(con, name)
    failures = datatests.run(con, only=[name])
    assert [f.test.name for f in failures] == [name]
    assert failures[0].n_rows >= 1 and failures[0].sample


def test_a_broken_warehouse_fails_the_check_command(seeds_snapshot_db, tmp_path):
    broken = tmp_path / "broken.duckdb"
    con = _unconstrained_copy(seeds_snapshot_db)
    con.execute(f"ATTACH '{broken}' AS out")
    con.execute("COPY FROM DATABASE memory TO out")
    con.execute("DETACH out")
    out = duckdb.connect(str(broken))
    out.execute("UPDATE outcomes SET event_id = 'no-such-event' WHERE rowid = 0")
    out.execute("UPDATE participants SET article_id = 'no-such-article' WHERE rowid = 0")
    out.execute("UPDATE meetings SET event_type = 'press_conference' WHERE rowid = 0")
    out.close()
    run = subprocess.run([sys.executable, "-m", "timeline.cli", "check", "--live", "--warehouse", str(broken)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1
    failed = {line.split()[1].rstrip(":") for line in run.stdout.splitlines() if line.startswith("FAIL ")}
    assert {"relationships__outcomes__event_id", "relationships__participants__article_id",
            "accepted_values__meetings__event_type"} <= failed


def test_check_command_passes_on_the_seeds_snapshot(seeds_warehouse):
    run = subprocess.run([sys.executable, "-m", "timeline.cli", "check", "--warehouse", str(seeds_warehouse)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(TESTS)} passed, 0 failed (snapshot " in run.stdout


def _dump(con) -> dict:
    return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}


def test_a_load_that_breaks_a_data_test_writes_and_publishes_nothing(tmp_path):
    from timeline.dedupe import dedupe
    from warehouse.snapshot import manifest

    db = tmp_path / "w.duckdb"
    run_stages(SEEDS, db)
    published = manifest(tmp_path)["stamp"]
    con = duckdb.connect(str(db))
    before = _dump(con)
    records, _ = read_records(con)
    events = dedupe(records)
    orphan = events.outcomes[0].model_copy(update={"event_id": "no-such-event"})
    broken = dataclasses.replace(events, outcomes=[orphan, *events.outcomes[1:]])
    with pytest.raises(DataTestError, match="relationships__outcomes__event_id") as info:
        load(con, [], records, broken, [])
    assert "rolled back" in str(info.value)
    assert _dump(con) == before
    con.close()
    assert manifest(tmp_path)["stamp"] == published


def test_every_relation_with_a_key_has_a_uniqueness_test():
    unique = {t.relation for t in all_tests() if t.kind == "unique"}
    keyed = {name for name, spec in relations().items() if spec.get("key") or spec.get("grain")}
    assert keyed <= unique
