"""Marts (warehouse/views.sql): exact results on a small hand-built warehouse, invariants on the seeds."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from warehouse import datatests
from warehouse.load import SCHEMA_SQL, VIEWS_SQL

T0 = "TIMESTAMPTZ '2025-01-01 00:00:00+00'"


def _article(con, site: str | None, text: str) -> str:
    sha = hashlib.sha256(text.encode()).hexdigest()
    con.execute(f"INSERT INTO articles VALUES (?, ?, ?, 't', 'ja', NULL, NULL, ?, ?, ?, 'v', {T0})",
                [sha[:16], f"{sha[:6]}.txt", site, sha, text, len(text)])
    con.execute("INSERT INTO article_sources VALUES (?, ?)", [f"{sha[:6]}.txt", sha[:16]])
    return sha[:16]


def _event(con, eid, etype, start, status="held", series=None, articles=(), people=(), outcomes=()):
    """One meeting with one mention per article, its participants (key, country) and outcomes (kind, topics)."""
    day = None if start is None else date.fromisoformat(start)
    con.execute("INSERT INTO meetings (event_id, event_type, medium, status, title_ja, title_en, start_date, end_date, "
                "date_precision, n_mentions, n_articles, n_sources, confidence, series) "
                "VALUES (?, ?, 'in_person', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0.9, ?)",
                [eid, etype, status, f"会合{eid}", f"Meeting {eid}", day, day, "unknown" if day is None else "day",
                 len(articles), len(set(a for a, _ in articles)), 1, series])
    for i, (aid, text) in enumerate(articles):
        con.execute("INSERT INTO mention_records VALUES (?, ?, 'v', '{}')", [f"{eid}-r{i}", aid])
        con.execute("INSERT INTO mentions (mention_id, record_id, article_id, event_id, event_type, medium, status, "
                    "start_date, end_date, date_precision, evidence, char_start, char_end, rule, is_main, confidence) "
                    "VALUES (?, ?, ?, ?, ?, 'in_person', ?, ?, ?, ?, ?, 0, ?, 'r', true, 0.9)",
                    [f"{eid}-m{i}", f"{eid}-r{i}", aid, eid, etype, status, day, day,
                     "unknown" if day is None else "day", text, len(text)])
    for key, country in people:
        con.execute("INSERT INTO participants VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, 'attendee', ?, 0, 1, 'r', 1)",
                    [eid, key, key, f"{key}(ja)", key.title(), country, articles[0][0]])
    for i, (kind, topics) in enumerate(outcomes):
        text = articles[0][1]
        con.execute("INSERT INTO outcomes VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'r')",
                    [f"{eid}-o{i}", eid, kind, text, topics, articles[0][0], len(text)])


@pytest.fixture(scope="module")
def small():
    """Three EDD rounds (one undated, one cancelled), two 2+2s and a call; two sites and an unknown one."""
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    a1 = (_article(con, "Ministry", "拡大抑止協議を開催した。"), "拡大抑止協議を開催した。")
    a2 = (_article(con, "Reprints", "2+2を開催した。"), "2+2を開催した。")
    a3 = (_article(con, None, "電話会談を行った。"), "電話会談を行った。")
    a4 = (_article(con, "Ministry", "2+2が開かれた。"), "2+2が開かれた。")
    _event(con, "edd-2", "working_level_dialogue", "2024-12-10", series="edd", articles=[a1],
           people=[("ueda", "JP"), ("bell", "US")], outcomes=[("reaffirmed", ["extended_deterrence", "china"])])
    _event(con, "edd-1", "working_level_dialogue", "2024-06-11", series="edd", articles=[a1],
           people=[("ueda", "JP"), ("vance", "US")], outcomes=[("confirmed", ["extended_deterrence"])])
    _event(con, "edd-x", "working_level_dialogue", "2024-09-01", status="cancelled", series="edd", articles=[a1])
    _event(con, "edd-u", "working_level_dialogue", None, series="edd", articles=[a1])
    _event(con, "ssc-1", "ministerial_2plus2", "2023-01-11", series="ssc", articles=[a2, a4],
           people=[("kihara", "JP"), ("kamikawa", "JP"), ("austin", "US"), ("blinken", "US")],
           outcomes=[("agreed", ["china"]), ("condemned", ["north_korea"]), ("other", [])])
    _event(con, "ssc-2", "ministerial_2plus2", "2024-07-28", series="ssc", articles=[a4],
           people=[("kihara", "JP"), ("austin", "US")], outcomes=[("reaffirmed", ["china", "senkaku"])])
    _event(con, "call", "defense_ministers_meeting", "2024-07-29", articles=[a3],
           people=[("kihara", "JP"), ("austin", "US")])
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    return con


def _q(con, sql):
    return con.execute(sql).fetchall()


def test_the_small_warehouse_passes_every_data_test(small):
    assert [str(f) for f in datatests.run(small)] == []


def test_timeline_has_one_row_per_event_with_counts_and_sources(small):
    rows = {r[0]: r[1:] for r in _q(small, "SELECT event_id, n_outcomes, sites, article_ids, topics, participants FROM timeline")}
    assert len(rows) == 7
    n_outcomes, sites, articles, topics, people = rows["ssc-1"]
    assert n_outcomes == 3 and sites == ["Ministry", "Reprints"] and len(articles) == 2
    assert topics == ["china", "north_korea"] and people == "kamikawa(ja)、kihara(ja)、austin(ja)、blinken(ja)"
    assert rows["call"][1] == []                              # the site is unknown
    order = [r[0] for r in _q(small, "SELECT event_id FROM timeline")]
    assert order[-1] == "edd-u" and order[0] == "ssc-1"       # date order, undated last


def test_meeting_series_numbers_dated_rounds_in_order(small):
    rows = _q(small, "SELECT series, series_number, event_id, previous_event_id, next_event_id, days_since_previous "
                     "FROM meeting_series")
    assert rows == [
        ("edd", 1, "edd-1", None, "edd-2", None),
        ("edd", 2, "edd-2", "edd-1", None, 182),
        ("edd", None, "edd-u", None, None, None),
        ("edd", None, "edd-x", None, None, None),
        ("ssc", 1, "ssc-1", None, "ssc-2", None),
        ("ssc", 2, "ssc-2", "ssc-1", None, 564),
    ]


def test_participant_activity_counts_events_by_type_and_year_and_counterparts(small):
    rows = {(r[0], r[1], r[2]): r[3:] for r in _q(
        small, "SELECT person_key, year, event_type, n_events, n_held, counterparts, n_counterparts FROM participant_activity")}
    assert rows[("kihara", 2024, "ministerial_2plus2")] == (1, 1, ["austin(ja)"], 1)
    assert rows[("kihara", 2023, "ministerial_2plus2")] == (1, 1, ["austin(ja)", "blinken(ja)"], 2)
    assert rows[("kihara", 2024, "defense_ministers_meeting")] == (1, 1, ["austin(ja)"], 1)
    assert rows[("ueda", 2024, "working_level_dialogue")] == (2, 2, ["bell(ja)", "vance(ja)"], 2)


def test_counterparts_are_symmetric_and_cross_country(small):
    rows = _q(small, "SELECT person_key, counterpart_key, n_events, country, counterpart_country, first_date, last_date "
                     "FROM counterparts")
    pairs = {(a, b): n for a, b, n, *_ in rows}
    assert pairs[("kihara", "austin")] == pairs[("austin", "kihara")] == 3
    assert all(r[3] != r[4] for r in rows)
    assert ("kihara", "kamikawa") not in pairs
    top = rows[0]
    assert top[2] == 3 and top[5] == date(2023, 1, 11) and top[6] == date(2024, 7, 29)


def test_outcomes_by_topic_counts_each_topic_and_untagged_outcomes(small):
    rows = {(r[0], r[1], r[2]): (r[3], r[4]) for r in _q(
        small, "SELECT topic, month, kind, n_outcomes, n_events FROM outcomes_by_topic")}
    assert rows[("china", date(2024, 7, 1), "reaffirmed")] == (1, 1)
    assert rows[("china", date(2024, 12, 1), "reaffirmed")] == (1, 1)
    assert rows[(None, date(2023, 1, 1), "other")] == (1, 1)
    total = _q(small, "SELECT sum(greatest(len(topics), 1)) FROM outcomes")[0][0]
    assert sum(n for n, _ in rows.values()) == total


def test_source_coverage_counts_articles_events_and_exclusives(small):
    rows = {r[0]: r[1:] for r in _q(small, "SELECT site, n_articles, n_events, n_exclusive_events, exclusive_share, "
                                           "share_of_all_events FROM source_coverage")}
    # Ministry: the four EDD rounds and both 2+2s; only it reports the EDDs and ssc-2
    assert rows["Ministry"] == (2, 6, 5, round(5 / 6, 4), round(5 / 7, 4))
    assert rows["Reprints"] == (1, 1, 0, 0.0, 0.0)
    assert rows[None] == (1, 1, 1, 1.0, round(1 / 7, 4))


# ---- the seeds: invariants that hold whatever the extractor finds

@pytest.fixture(scope="module")
def seeds(seeds_warehouse):
    con = duckdb.connect(str(seeds_warehouse.parent / "snapshot" / "timeline.duckdb"), read_only=True)
    yield con
    con.close()


def test_seeds_2plus2_rounds_are_numbered_in_date_order(seeds):
    rows = _q(seeds, "SELECT series_number, start_date FROM meeting_series WHERE series = 'ssc' AND series_number IS NOT NULL")
    assert len(rows) >= 2
    assert [n for n, _ in rows] == list(range(1, len(rows) + 1)) and [d for _, d in rows] == sorted(d for _, d in rows)


def test_seeds_marts_agree_with_the_tables(seeds):
    assert _q(seeds, "SELECT count(*) FROM timeline") == _q(seeds, "SELECT count(*) FROM meetings")
    assert _q(seeds, "SELECT sum(n_events) FROM participant_activity") == _q(seeds, "SELECT count(*) FROM participants")
    assert _q(seeds, "SELECT sum(n_outcomes) FROM outcomes_by_topic") == \
        _q(seeds, "SELECT sum(greatest(len(topics), 1)) FROM outcomes")
    assert _q(seeds, "SELECT count(*) FROM counterparts WHERE country = counterpart_country") == [(0,)]
    assert _q(seeds, "SELECT sum(n_articles) FROM source_coverage") == _q(seeds, "SELECT count(*) FROM articles")


# ---- export

def _cli(*args):
    return subprocess.run([sys.executable, "-m", "timeline.cli", *args], capture_output=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_writes_every_row_of_a_mart(seeds_warehouse, seeds, tmp_path, fmt):
    out = tmp_path / f"series.{fmt}"
    run = _cli("export", "--table", "meeting_series", "--format", fmt, "--out", str(out), "--warehouse", str(seeds_warehouse))
    assert run.returncode == 0, run.stderr
    n = _q(seeds, "SELECT count(*) FROM meeting_series")[0][0]
    reader = {"csv": "read_csv", "json": "read_json", "parquet": "read_parquet"}[fmt]
    assert duckdb.connect().execute(f"SELECT count(*) FROM {reader}('{out}')").fetchone()[0] == n
    if fmt == "parquet":
        assert pq.read_table(out).column_names == [r[0] for r in seeds.execute("DESCRIBE meeting_series").fetchall()]


def test_export_to_standard_output_and_errors(seeds_warehouse, seeds):
    run = _cli("export", "--table", "timeline", "--format", "csv", "--warehouse", str(seeds_warehouse))
    lines = run.stdout.decode("utf-8").splitlines()
    assert run.returncode == 0 and lines[0].startswith("event_id,start_date")
    assert len(lines) - 1 >= _q(seeds, "SELECT count(*) FROM timeline")[0][0]
    for args, message in ((["--table", "nope"], "no table or mart 'nope'"),
                          (["--table", "meetings", "--format", "parquet"], "give --out FILE")):
        bad = _cli("export", *args, "--warehouse", str(seeds_warehouse))
        assert bad.returncode == 2 and message in bad.stderr.decode() and b"Traceback" not in bad.stderr
