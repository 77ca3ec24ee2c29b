"""The scorer: gold file → metrics, on small synthetic warehouses built from schema.sql."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from timeline.evaluate import (
    GoldError,
    _max_weight_assignment,
    Predictions,
    covers,
    evaluate,
    format_report,
    load_gold,
    read_predictions,
    score,
)

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "warehouse" / "schema.sql"
SEEDS_GOLD = REPO.parent / "shared" / "gold" / "seeds.gold.json"

FILE_A = "000_aaaa.txt"
FILE_B = "001_bbbb.txt"

# A small gold file: a two-source core meeting, a core phone call, a non-core planned visit.
GOLD: dict = {
    "schema": "timeline-gold/1",
    "articles": [
        {"file": FILE_A, "site": "A", "published_at": None, "language": "ja", "title": "a"},
        {"file": FILE_B, "site": "B", "published_at": None, "language": "ja", "title": "b"},
    ],
    "events": [
        {
            "event_id": "2024-07-28-scc",
            "event_type": "ministerial_2plus2",
            "medium": "in_person",
            "core": True,
            "status": "held",
            "start_date": "2024-07-28",
            "end_date": "2024-07-28",
            "date_precision": "day",
            "participants": [
                {"name_ja": "木原稔", "name_en": "Minoru Kihara"},
                {"name_ja": "ロイド・オースティン", "name_en": "Lloyd Austin"},
                {"name_ja": "上川陽子", "name_en": "Yoko Kamikawa", "optional": True},
            ],
            "outcomes": [
                {"kind": "reaffirmed", "key": "日米同盟の抑止力を強化することを確認した", "text": "x"},
                {"kind": "agreed", "key": "統合作戦司令部の設置で一致した", "text": "y"},
            ],
            "mentions": [
                {"file": FILE_A, "evidence": "7月28日、東京で日米安全保障協議委員会(「2+2」)を開催した。"},
                {"file": FILE_B, "evidence": "7月に開催された日米「2+2」では、同盟の強化が議論された"},
            ],
        },
        {
            "event_id": "2025-01-31-phone-call",
            "event_type": "defense_ministers_meeting",
            "medium": "phone",
            "core": True,
            "status": "held",
            "start_date": "2025-01-31",
            "end_date": "2025-01-31",
            "date_precision": "day",
            "participants": [{"name_ja": "中谷元", "name_en": "Gen Nakatani"}],
            "outcomes": [{"kind": "reaffirmed", "key": "尖閣諸島への日米安保条約第5条の適用を確認", "text": "z"}],
            "mentions": [{"file": FILE_B, "evidence": "中谷防衛大臣は1月31日、ヘグセス国防長官と電話会談を行った"}],
        },
        {
            "event_id": "2025-hegseth-visit",
            "event_type": "visit",
            "medium": "in_person",
            "core": False,
            "status": "planned",
            "start_date": None,
            "end_date": None,
            "date_precision": "unknown",
            "date_window": ["2025-02-01", "2025-12-31"],
            "participants": [],
            "outcomes": [],
            "mentions": [{"file": FILE_B, "evidence": "ヘグセス長官の早期訪日を調整している"}],
        },
    ],
    "not_events": [
        {"file": FILE_A, "text": "レールガンの進捗状況を発表 極超音速兵器の撃墜めざす", "why": "ranking list"},
    ],
}


# ------------------------------------------------------------------------------ helpers


def _article_id(file: str) -> str:
    return hashlib.sha256(file.encode()).hexdigest()[:16]


def perfect_rows(gold: dict) -> dict[str, list[dict]]:
    """The rows of a warehouse that reproduces the gold file exactly."""
    rows: dict[str, list[dict]] = {k: [] for k in ("articles", "mentions", "meetings", "participants", "outcomes")}
    files = [a["file"] for a in gold["articles"]]
    for f in {m["file"] for e in gold["events"] for m in e["mentions"]} - set(files):
        files.append(f)
    for f in files:
        rows["articles"].append({"article_id": _article_id(f), "source_uri": f"seeds/articles/{f}"})
    for e in gold["events"]:
        eid = e["event_id"]
        base = {
            "event_id": eid,
            "event_type": e["event_type"],
            "medium": e["medium"] or "unknown",
            "status": e["status"],
            "start_date": e["start_date"],
            "end_date": e["end_date"],
        }
        rows["meetings"].append(dict(base))
        for j, m in enumerate(e["mentions"]):
            rows["mentions"].append(
                {**base, "mention_id": f"{eid}#{j}", "article_id": _article_id(m["file"]), "evidence": m["evidence"]}
            )
        for j, p in enumerate(e["participants"]):
            rows["participants"].append(
                {"event_id": eid, "person_key": f"p{j}", "name_ja": p.get("name_ja"), "name_en": p.get("name_en")}
            )
        for j, o in enumerate(e["outcomes"]):
            rows["outcomes"].append(
                {"outcome_id": f"{eid}#o{j}", "event_id": eid, "kind": o["kind"], "text": o["key"],
                 "article_id": _article_id(e["mentions"][0]["file"])}
            )
    return rows


def build_warehouse(path: Path, rows: dict[str, list[dict]]) -> Path:
    """A DuckDB file from schema.sql, with every NOT NULL column filled."""
    con = duckdb.connect(str(path))
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    for a in rows.get("articles", []):
        con.execute(
            "INSERT INTO articles (article_id, source_uri, language, content_sha256, text, n_chars,"
            " extractor_version, ingested_at) VALUES (?, ?, 'ja', ?, '', 0, 'test', now())",
            [a["article_id"], a["source_uri"], a["article_id"]],
        )
    for m in rows.get("mentions", []):
        con.execute(
            "INSERT INTO mentions (mention_id, record_id, article_id, event_id, event_type, medium, status, start_date,"
            " end_date, date_precision, evidence, char_start, char_end, rule, is_main, confidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'day', ?, 0, ?, 'test', true, 1.0)",
            [m["mention_id"], m["mention_id"], m["article_id"], m["event_id"], m["event_type"], m["medium"], m["status"],
             m["start_date"], m["end_date"], m["evidence"], len(m["evidence"])],
        )
    for mt in rows.get("meetings", []):
        con.execute(
            "INSERT INTO meetings (event_id, event_type, medium, status, start_date, end_date, date_precision,"
            " n_mentions, n_articles, n_sources, confidence) VALUES (?, ?, ?, ?, ?, ?, 'day', 1, 1, 1, 1.0)",
            [mt["event_id"], mt["event_type"], mt["medium"], mt["status"], mt["start_date"], mt["end_date"]],
        )
    for p in rows.get("participants", []):
        con.execute(
            "INSERT INTO participants (event_id, person_key, name_ja, name_en, role, article_id, char_start,"
            " char_end, rule, n_articles) VALUES (?, ?, ?, ?, 'attendee', 'x', 0, 0, 'test', 1)",
            [p["event_id"], p["person_key"], p["name_ja"], p["name_en"]],
        )
    for o in rows.get("outcomes", []):
        con.execute(
            "INSERT INTO outcomes (outcome_id, event_id, kind, text, topics, article_id, char_start, char_end,"
            " rule) VALUES (?, ?, ?, ?, [], ?, 0, 0, 'test')",
            [o["outcome_id"], o["event_id"], o["kind"], o["text"], o["article_id"]],
        )
    con.close()
    return path


def run(tmp_path: Path, rows: dict[str, list[dict]], gold: dict = GOLD) -> dict:
    n = len(list(tmp_path.glob("wh*.duckdb")))
    wh = build_warehouse(tmp_path / f"wh{n}.duckdb", rows)
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return evaluate(wh, gold_file)


def drop_event(rows: dict[str, list[dict]], event_id: str) -> dict[str, list[dict]]:
    return {k: [r for r in v if r.get("event_id") != event_id] if k != "articles" else v for k, v in rows.items()}


def duplicate_event(rows: dict[str, list[dict]], event_id: str, new_id: str) -> dict[str, list[dict]]:
    rows = copy.deepcopy(rows)
    for table, key in (("meetings", None), ("mentions", "mention_id")):
        for r in [r for r in rows[table] if r["event_id"] == event_id]:
            dup = {**r, "event_id": new_id}
            if key:
                dup[key] = r[key] + "-dup"
            rows[table].append(dup)
    return rows


# ------------------------------------------------------------------------------- covers

COVERS_CASES = [
    # (pred, gold, expected)
    ("7月28日、東京で2+2を開催した。", "東京で2+2を開催", True),            # containment
    ("東京で2+2を開催した", "東京で2+2を開催した", True),                   # equal
    ("2+2を開催した", "東京で2+2を開催した", True),                         # part, 7 of 10 chars
    ("開催した", "東京で2+2を開催した", False),                             # part, 4 of 10: too short
    ("東京で", "東京で2+2", True),                                          # part, exactly half (3 of 6)
    ("東京", "東京で2+", False),                                            # part, under half (2 of 5)
    ("日米「2+2」を開催。", "日米2+2を開催", True),                           # 「」。 removed
    ("日米・豪、会談", "日米豪会談", True),                                  # ・、 removed
    ("安全保障協議委員会（２＋２）", "安全保障協議委員会 2+2", True),          # NFKC width + ()
    ("ＡＢＣ　ＤＥＦ", "abcdef", False),                                    # case is kept
    ("ＡＢＣ　ＤＥＦ", "ABCDEF", True),                                     # full-width, ideographic space
    ("電話会談を行った", "防衛相会談を開催", False),                         # unrelated
    ("", "会談", False),                                                    # empty covers nothing
    ("会談", "", False),
    ("「」・", "会談", False),                                              # empty after normalising
]


@pytest.mark.parametrize(("pred", "gold", "expected"), COVERS_CASES)
def test_covers(pred: str, gold: str, expected: bool) -> None:
    assert covers(pred, gold) is expected


# ---------------------------------------------------------------------------- assignment


@pytest.mark.parametrize("seed", range(30))
def test_assignment_is_exact(seed: int) -> None:
    """The Hungarian assignment equals brute force on small random matrices (zeros = no pair)."""
    import itertools
    import random

    rnd = random.Random(seed)
    rows, cols = rnd.randint(1, 5), rnd.randint(1, 5)
    w = [[rnd.choice([0.0, 0.0, rnd.uniform(0.5, 6)]) for _ in range(cols)] for _ in range(rows)]
    got = _max_weight_assignment(w)
    assert len({r for r, _ in got}) == len(got) == len({c for _, c in got})
    n = max(rows, cols)
    padded = [[w[i][j] if i < rows and j < cols else 0.0 for j in range(n)] for i in range(n)]
    best = max(sum(padded[i][perm[i]] for i in range(n)) for perm in itertools.permutations(range(n)))
    assert sum(w[r][c] for r, c in got) == pytest.approx(best)


def test_assignment_beats_greedy() -> None:
    # Greedy takes (0, 0) = 5 and leaves 0; the optimum pairs (0, 1) + (1, 0) = 8.
    assert sorted(_max_weight_assignment([[5.0, 4.0], [4.0, 0.0]])) == [(0, 1), (1, 0)]


# ------------------------------------------------------------------------------ metrics


def test_perfect_prediction_scores_one(tmp_path: Path) -> None:
    m = run(tmp_path, perfect_rows(GOLD))
    for key in ("event_recall", "event_precision", "multi_source_merged", "date_exact", "type_exact",
                "medium_exact", "status_exact", "participant_recall", "participant_precision",
                "outcome_recall", "outcome_kind_exact", "outcome_precision_lower_bound"):
        assert m[key] == 1.0, key
    assert m["negatives_extracted"] == 0
    assert m["duplicate_splits"] == 0
    assert (m["n_gold_core"], m["n_gold_events"], m["n_predictions"], m["n_matched"]) == (2, 3, 3, 3)
    assert (m["multi_source_merged_n"], m["multi_source_total"]) == (1, 1)
    assert m["unmatched_core"] == [] and m["false_positives"] == []
    # The optional participant is neither required nor a false positive.
    assert (m["participant_recall_n"], m["participant_recall_total"]) == (3, 3)
    assert (m["participant_precision_n"], m["participant_precision_total"]) == (3, 3)
    assert {r["gold"]: r["predicted"] for r in m["per_event"]} == {e["event_id"]: e["event_id"] for e in GOLD["events"]}


def test_dropping_a_core_event_lowers_recall(tmp_path: Path) -> None:
    m = run(tmp_path, drop_event(perfect_rows(GOLD), "2025-01-31-phone-call"))
    assert m["event_recall"] == 0.5
    assert m["unmatched_core"] == ["2025-01-31-phone-call"]
    assert m["event_precision"] == 1.0
    assert m["n_predictions"] == 2


def test_duplicate_prediction_is_a_split_and_a_false_positive(tmp_path: Path) -> None:
    rows = duplicate_event(perfect_rows(GOLD), "2025-01-31-phone-call", "zz-phone-call-again")
    m = run(tmp_path, rows)
    assert m["duplicate_splits"] == 1
    assert m["event_recall"] == 1.0
    assert m["event_precision"] == pytest.approx(3 / 4)
    assert len(m["false_positives"]) == 1
    assert m["duplicate_predictions"][0]["gold"] == ["2025-01-31-phone-call"]


def test_wrong_date_lowers_date_exact(tmp_path: Path) -> None:
    rows = perfect_rows(GOLD)
    for table in ("meetings", "mentions"):
        for r in rows[table]:
            if r["event_id"] == "2025-01-31-phone-call":
                r["start_date"] = r["end_date"] = "2025-02-01"  # one day off: still matches
    m = run(tmp_path, rows)
    assert m["event_recall"] == 1.0
    assert m["date_exact"] == 0.5
    assert (m["date_exact_n"], m["date_exact_total"]) == (1, 2)
    row = next(r for r in m["per_event"] if r["gold"] == "2025-01-31-phone-call")
    assert row["date_match"] is False and row["type_match"] is True


def test_evidence_covering_a_not_event_is_counted(tmp_path: Path) -> None:
    rows = perfect_rows(GOLD)
    rows["meetings"].append({"event_id": "railgun", "event_type": "other", "medium": "unknown",
                             "status": "held", "start_date": None, "end_date": None})
    rows["mentions"].append({"mention_id": "railgun#0", "article_id": _article_id(FILE_A), "event_id": "railgun",
                             "event_type": "other", "medium": "unknown", "status": "held", "start_date": None,
                             "end_date": None, "evidence": "レールガンの進捗状況を発表"})
    m = run(tmp_path, rows)
    assert m["negatives_extracted"] == 1
    assert m["false_positives"] == ["railgun"]
    assert m["duplicate_splits"] == 0


def test_not_event_in_another_file_is_not_counted(tmp_path: Path) -> None:
    gold = copy.deepcopy(GOLD)
    gold["not_events"][0]["file"] = FILE_B
    rows = perfect_rows(gold)
    rows["mentions"].append({"mention_id": "railgun#0", "article_id": _article_id(FILE_A), "event_id": "railgun",
                             "event_type": "other", "medium": "unknown", "status": "held", "start_date": None,
                             "end_date": None, "evidence": "レールガンの進捗状況を発表 極超音速兵器の撃墜めざす"})
    assert run(tmp_path, rows, gold)["negatives_extracted"] == 0


def test_single_source_prediction_is_not_merged(tmp_path: Path) -> None:
    rows = perfect_rows(GOLD)
    rows["mentions"] = [r for r in rows["mentions"] if r["mention_id"] != "2024-07-28-scc#1"]
    m = run(tmp_path, rows)
    assert m["event_recall"] == 1.0
    assert m["multi_source_merged"] == 0.0


def test_match_by_date_and_type_without_evidence_overlap(tmp_path: Path) -> None:
    rows = perfect_rows(GOLD)
    for r in rows["mentions"]:
        if r["event_id"] == "2025-01-31-phone-call":
            r["evidence"] = "両氏は同盟の重要性で一致した"  # overlaps no gold evidence
    rows["participants"] = [p for p in rows["participants"] if p["event_id"] != "2025-01-31-phone-call"]
    m = run(tmp_path, rows)
    assert m["event_recall"] == 1.0
    # Same article but wrong date and no evidence overlap: no match.
    for table in ("meetings", "mentions"):
        for r in rows[table]:
            if r["event_id"] == "2025-01-31-phone-call":
                r["start_date"] = r["end_date"] = "2025-03-01"
    m = run(tmp_path, rows)
    assert m["event_recall"] == 0.5


def test_undated_gold_needs_evidence_and_accepts_window(tmp_path: Path) -> None:
    rows = perfect_rows(GOLD)
    for table in ("meetings", "mentions"):
        for r in rows[table]:
            if r["event_id"] == "2025-hegseth-visit":
                r["start_date"] = r["end_date"] = "2025-03-15"  # inside date_window
    m = run(tmp_path, rows)
    assert m["n_matched"] == 3
    row = next(r for r in m["per_event"] if r["gold"] == "2025-hegseth-visit")
    assert row["date_agrees"] is True


def test_participants_by_name_variants(tmp_path: Path) -> None:
    rows = perfect_rows(GOLD)
    for p in rows["participants"]:
        if p["name_en"] == "Lloyd Austin":
            p["name_ja"], p["name_en"] = None, "AUSTIN Lloyd"          # word order and case
        if p["name_en"] == "Minoru Kihara":
            p["name_ja"], p["name_en"] = "木原 稔", None                 # a space inside name_ja
    rows["participants"].append({"event_id": "2024-07-28-scc", "person_key": "extra",
                                 "name_ja": "石破茂", "name_en": "Shigeru Ishiba"})
    m = run(tmp_path, rows)
    assert m["participant_recall"] == 1.0
    assert (m["participant_precision_n"], m["participant_precision_total"]) == (3, 4)


def test_outcome_kind_and_precision(tmp_path: Path) -> None:
    rows = perfect_rows(GOLD)
    for o in rows["outcomes"]:
        if o["text"] == "統合作戦司令部の設置で一致した":
            o["kind"] = "reaffirmed"
    rows["outcomes"].append({"outcome_id": "extra", "event_id": "2024-07-28-scc", "kind": "other",
                             "text": "防衛装備品の共同生産を進める", "article_id": _article_id(FILE_A)})
    m = run(tmp_path, rows)
    assert m["outcome_recall"] == 1.0
    assert (m["outcome_kind_exact_n"], m["outcome_kind_exact_total"]) == (2, 3)
    assert (m["outcome_precision_lower_bound_n"], m["outcome_precision_lower_bound_total"]) == (3, 4)


def test_empty_warehouse_gives_none_ratios(tmp_path: Path) -> None:
    m = run(tmp_path, {})
    assert m["event_recall"] == 0.0
    assert m["event_precision"] is None
    assert m["date_exact"] is None
    report = format_report(m)
    assert "n/a" in report and "event_recall" in report


def test_source_uri_as_url_and_absolute_path(tmp_path: Path) -> None:
    rows = perfect_rows(GOLD)
    rows["articles"][0]["source_uri"] = f"https://example.org/news/{FILE_A}?ref=top#x"
    rows["articles"][1]["source_uri"] = f"/data/in/{FILE_B}"
    assert run(tmp_path, rows)["event_recall"] == 1.0


def test_read_predictions_and_score_in_memory() -> None:
    con = duckdb.connect()
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    pred = read_predictions(con)
    assert pred == Predictions()
    assert score(GOLD, pred)["n_predictions"] == 0


def test_format_report_lines(tmp_path: Path) -> None:
    report = format_report(run(tmp_path, perfect_rows(GOLD)))
    assert "event_recall" in report and "1.000" in report and "(2/2)" in report
    assert "negatives_extracted" in report


# ------------------------------------------------------------------------------ load_gold

BAD_GOLD = [
    ("not json {", "not JSON"),
    (json.dumps([1, 2]), "not a JSON object"),
    (json.dumps({**GOLD, "schema": "timeline-gold/2"}), "schema"),
    (json.dumps({"schema": "timeline-gold/1", "articles": []}), "events"),
    (json.dumps({**GOLD, "events": [{"event_id": "x"}]}), "missing key"),
    (json.dumps({**GOLD, "events": [GOLD["events"][0], GOLD["events"][0]]}), "duplicate event_id"),
]


@pytest.mark.parametrize(("text", "message"), BAD_GOLD)
def test_load_gold_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "gold.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GoldError, match=message) as info:
        load_gold(path)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


def test_load_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="not found"):
        load_gold(tmp_path / "nope.json")


def test_load_gold_ok(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    assert load_gold(path)["events"][0]["event_id"] == "2024-07-28-scc"


# ------------------------------------------------------------------------- real seeds gold


def test_seeds_gold_perfect_prediction(tmp_path: Path) -> None:
    if not SEEDS_GOLD.exists():
        pytest.skip(f"{SEEDS_GOLD} not present")
    gold = load_gold(SEEDS_GOLD)
    wh = build_warehouse(tmp_path / "wh.duckdb", perfect_rows(gold))
    m = evaluate(wh, SEEDS_GOLD)
    for key in ("event_recall", "event_precision", "multi_source_merged", "date_exact", "type_exact",
                "medium_exact", "status_exact", "participant_recall", "participant_precision",
                "outcome_recall", "outcome_kind_exact", "outcome_precision_lower_bound"):
        assert m[key] == 1.0, (key, m[key])
    assert m["negatives_extracted"] == 0
    assert m["duplicate_splits"] == 0
    assert m["n_matched"] == m["n_gold_events"] == len(gold["events"])
    assert all(r["predicted"] == r["gold"] for r in m["per_event"])
