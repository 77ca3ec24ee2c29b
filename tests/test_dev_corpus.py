"""Development corpus (tests/fixtures/dev): a held-out-style check of how the extractor generalises.

The 16 articles were written for the project in the style of real pages (see
tests/fixtures/dev/README.md); dev.gold.json annotates them in the ``timeline-gold/1`` format.

1. The gold file is valid: it loads with ``timeline.evaluate.load_gold`` and every quoted string
   is an exact substring of its article.
2. The whole pipeline (ingest → extract → validate → dedupe → load, no Prefect) runs on the
   corpus into a temporary DuckDB file, is scored, and every metric stays above a floor: the
   figure measured when the corpus was written minus 0.05, so the test guards against
   regressions. Raise the floors when the extractor improves.
3. The policy explainer, which reports no event at all, yields no mentions.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from timeline.evaluate import evaluate, format_report, load_gold

DEV = Path(__file__).resolve().parent / "fixtures" / "dev"
ARTICLES = DEV / "articles"
GOLD = DEV / "dev.gold.json"
NO_EVENT_FILE = "ja07_explainer_no_event.txt"
# A fixed clock: relative dates must come from the articles, never from "now".
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)

# Measured after the second extraction pass (dev-corpus fixes: 同日 from the discourse, card
# boundaries, trigger occasions, statuses of announcements) minus 0.05; measured values trail.
FLOORS = {
    "event_recall": 0.95,                    # 1.000 (9/9)
    "event_precision": 0.894,                # 0.944 (17/18)
    "multi_source_merged": 0.95,             # 1.000 (6/6)
    "date_exact": 0.95,                      # 1.000 (9/9)
    "type_exact": 0.95,                      # 1.000 (9/9)
    "medium_exact": 0.95,                    # 1.000 (9/9)
    "status_exact": 0.891,                   # 0.941 (16/17)
    "participant_recall": 0.888,             # 0.938 (30/32)
    "participant_precision": 0.888,          # 0.938 (30/32)
    "outcome_recall": 0.931,                 # 0.981 (51/52)
    "outcome_kind_exact": 0.872,             # 0.922 (47/51)
    "outcome_precision_lower_bound": 0.810,  # 0.860 (49/57)
}
# Counts that must not grow.
CEILINGS = {
    "negatives_extracted": 0,
    "duplicate_splits": 1,  # ja04: an aggregator card dated by the page, not the event (see README.md)
}


def run_pipeline(folder: Path, db: Path, now: datetime = NOW) -> None:
    """ingest → extract → validate → dedupe → load, without Prefect."""
    from timeline.dedupe import dedupe
    from timeline.extract import extract
    from timeline.ingest import ingest_file
    from timeline.validate import validate
    from warehouse.load import load

    arts = [ingest_file(p, now) for p in sorted(folder.glob("*.txt"))]
    ms = [m for a in arts for m in validate(a, extract(a), now)[0]]
    ev = dedupe(ms)
    con = duckdb.connect(str(db))
    try:
        load(con, arts, ms, ev, [])
    finally:
        con.close()


@pytest.fixture(scope="module")
def dev_warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("dev") / "timeline.duckdb"
    run_pipeline(ARTICLES, db)
    return db


@pytest.fixture(scope="module")
def dev_metrics(dev_warehouse) -> dict:
    return evaluate(dev_warehouse, GOLD)


# --------------------------------------------------------------------------- 1. gold validity


def _texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}


def test_gold_loads_and_lists_every_article():
    gold = load_gold(GOLD)
    assert gold["schema"] == "timeline-gold/1"
    listed = [a["file"] for a in gold["articles"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(_texts()), "gold articles and corpus files differ"
    assert 12 <= len(listed) <= 16
    assert {a["language"] for a in gold["articles"]} == {"ja", "en"}


def test_every_gold_string_is_a_substring_of_its_article():
    gold = load_gold(GOLD)
    texts = _texts()
    problems = []
    for a in gold["articles"]:
        if a.get("title") and a["title"] not in texts[a["file"]]:
            problems.append(("title", a["file"], a["title"]))
    for ev in gold["events"]:
        files = {m["file"] for m in ev["mentions"]}
        for m in ev["mentions"]:
            if m["file"] not in texts or m["evidence"] not in texts[m["file"]]:
                problems.append((ev["event_id"], "evidence", m["file"], m["evidence"]))
        for o in ev["outcomes"]:
            # an outcome key is quoted from one of the articles that mention the event
            if not any(o["key"] in texts[f] for f in files if f in texts):
                problems.append((ev["event_id"], "key", o["key"]))
    for ne in gold["not_events"]:
        if ne["file"] not in texts or ne["text"] not in texts[ne["file"]]:
            problems.append(("not_event", ne["file"], ne["text"]))
    assert not problems, problems


def test_gold_events_use_the_vocabularies():
    gold = load_gold(GOLD)
    types = {"summit", "ministerial_2plus2", "defense_ministers_meeting", "foreign_ministers_meeting",
             "working_level_dialogue", "visit", "document_release", "exercise", "other"}
    kinds = {"agreed", "confirmed", "reaffirmed", "welcomed", "condemned", "concerned", "decided", "announced", "other"}
    for ev in gold["events"]:
        assert ev["event_type"] in types, ev["event_id"]
        assert ev["medium"] in {"in_person", "phone", "video", None}, ev["event_id"]
        assert ev["status"] in {"held", "planned", "cancelled"}, ev["event_id"]
        assert ev["date_precision"] in {"day", "month", "year", "unknown"}, ev["event_id"]
        assert (ev["start_date"] is None) == (ev["end_date"] is None), ev["event_id"]
        assert isinstance(ev["core"], bool), ev["event_id"]
        for o in ev["outcomes"]:
            assert o["kind"] in kinds, (ev["event_id"], o["key"])
        for p in ev["participants"]:
            assert p.get("country") and (p.get("name_ja") or p.get("name_en")), ev["event_id"]
    # the no-event article is annotated with no event
    assert not any(m["file"] == NO_EVENT_FILE for ev in gold["events"] for m in ev["mentions"])


# ------------------------------------------------------------------- 2. metrics above floors


def test_dev_corpus_metrics_stay_above_their_floors(dev_metrics):
    report = format_report(dev_metrics)
    low = {k: (dev_metrics.get(k), floor) for k, floor in FLOORS.items()
           if dev_metrics.get(k) is None or dev_metrics[k] < floor}
    high = {k: (dev_metrics.get(k), cap) for k, cap in CEILINGS.items() if dev_metrics.get(k, 0) > cap}
    assert not low and not high, f"below floor: {low}; above ceiling: {high}\n{report}"


def test_dev_corpus_every_article_is_ingested(dev_warehouse):
    con = duckdb.connect(str(dev_warehouse), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        langs = dict(con.execute("SELECT language, count(*) FROM articles GROUP BY 1").fetchall())
    finally:
        con.close()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert n == len(gold["articles"])
    expected = {}
    for a in gold["articles"]:
        expected[a["language"]] = expected.get(a["language"], 0) + 1
    assert langs == expected


# -------------------------------------------------------------------- 3. the no-event article


def test_no_event_article_yields_no_mentions(dev_warehouse):
    from timeline.extract import extract
    from timeline.ingest import ingest_file

    article = ingest_file(ARTICLES / NO_EVENT_FILE, NOW)
    assert extract(article) == []
    con = duckdb.connect(str(dev_warehouse), read_only=True)
    try:
        n = con.execute(
            "SELECT count(*) FROM mentions m JOIN articles a USING (article_id) WHERE a.source_uri LIKE ?",
            [f"%{NO_EVENT_FILE}"],
        ).fetchone()[0]
    finally:
        con.close()
    assert n == 0
