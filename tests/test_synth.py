"""Synthetic corpus generator: determinism, truth consistency, realism of the pages, scoring."""

from __future__ import annotations

import statistics
import time
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from models import Article
from timeline import synth
from timeline.registry import load_registry
from timeline.synth import TrueEvent, Truth, align_rows, generate, pairwise_scores

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def _files(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Truth:
    return generate(200, 11, tmp_path_factory.mktemp("synth"))


# ------------------------------------------------------------------------------ determinism


def test_same_seed_gives_identical_bytes(tmp_path):
    a = generate(40, 3, tmp_path / "a")
    b = generate(40, 3, tmp_path / "b")
    fa, fb = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert fa == fb
    assert len(fa) == len(a.articles) + 1 and "truth.json" in fa
    assert a.to_json() == b.to_json()


def test_rerun_into_the_same_directory_replaces_the_corpus(tmp_path):
    generate(30, 3, tmp_path)
    first = _files(tmp_path)
    generate(5, 9, tmp_path)
    generate(30, 3, tmp_path)
    assert _files(tmp_path) == first
    with pytest.raises(FileExistsError):
        generate(30, 3, tmp_path, overwrite=False)


def test_different_seed_gives_a_different_corpus(tmp_path):
    a = generate(40, 3, tmp_path / "a")
    b = generate(40, 4, tmp_path / "b")
    assert a.to_json() != b.to_json()
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


# ------------------------------------------------------------------------------ truth


def test_truth_round_trips_through_json(corpus):
    again = Truth.load(corpus.articles_dir.parent)
    assert again.events == corpus.events
    assert again.articles == corpus.articles
    assert again.article_meta == corpus.article_meta
    assert again.to_json() == corpus.to_json()


def test_participants_held_their_offices_on_the_event_date(corpus):
    reg = load_registry()
    expected = {
        "summit": {"jp_prime_minister", "us_president"},
        "defense_ministers_meeting": {"jp_minister_of_defense", "us_secretary_of_defense"},
        "foreign_ministers_meeting": {"jp_minister_of_foreign_affairs", "us_secretary_of_state"},
        "ministerial_2plus2": {"jp_minister_of_foreign_affairs", "jp_minister_of_defense",
                               "us_secretary_of_state", "us_secretary_of_defense"},
    }
    for e in corpus.events.values():
        held = set()
        for pid in e.participants:
            offices = {o.key for o in reg.offices_of(reg.person(pid), e.start_date)}
            assert offices, f"{e.event_id}: {pid} held no office on {e.start_date}"
            held |= offices
        if e.event_type in expected:
            assert expected[e.event_type] <= held, (e.event_id, e.participants)
            # nobody else held those offices that day (no handover-day ambiguity)
            for key in expected[e.event_type]:
                assert len(reg.holders(key, e.start_date)) == 1
        if e.event_type == "visit":
            assert len(e.participants) == 2
            assert {reg.person(p).country for p in e.participants} == {"JP", "US"}


def test_every_article_reports_existing_events_and_every_event_is_reported(corpus):
    reported = set()
    for name, tevs in corpus.articles.items():
        assert tevs and len(set(tevs)) == len(tevs)
        assert all(t in corpus.events for t in tevs)
        assert (corpus.articles_dir / name).is_file()
        meta = corpus.article_meta[name]
        assert meta["views"][tevs[0]]["role"] == "main"
        assert set(meta["views"]) == set(tevs)
        assert meta["bytes"] == (corpus.articles_dir / name).stat().st_size
        reported.update(tevs)
    assert reported == set(corpus.events)
    assert len(corpus.events) == 200


def test_events_are_well_formed(corpus):
    for e in corpus.events.values():
        assert synth.FIRST_DAY <= e.start_date <= e.end_date <= date(2026, 12, 31)
        assert e.status == "held"
        if e.event_type == "ministerial_2plus2":
            assert e.series == "ssc" and e.round
        if e.event_type in ("summit", "defense_ministers_meeting", "foreign_ministers_meeting"):
            assert e.medium in ("in_person", "phone", "video")
            assert (e.location is None) == (e.medium != "in_person")
    # series rounds count up with the date
    by_series: dict[str, list[TrueEvent]] = {}
    for e in sorted(corpus.events.values(), key=lambda e: e.event_id):
        if e.series in ("ssc", "edd", "dicas"):
            by_series.setdefault(e.series, []).append(e)
    for evs in by_series.values():
        assert [e.round for e in evs] == list(range(1, len(evs) + 1))
        assert [e.start_date for e in evs] == sorted(e.start_date for e in evs)


def test_hard_cases_are_planted(tmp_path):
    truth = generate(400, 5, tmp_path)
    cases = {c for e in truth.events.values() for c in e.cases}
    assert {"same_day_2plus2", "phone_then_in_person", "planned_then_held", "us_venue_jst"} <= cases
    # a same-day bundle: 2+2, defence and foreign ministers' meetings on one day, shared people
    bundle = [e for e in truth.events.values() if "same_day_2plus2" in e.cases]
    day = bundle[0].start_date
    same = [e for e in bundle if e.start_date == day]
    assert {"ministerial_2plus2", "defense_ministers_meeting", "foreign_ministers_meeting"} <= {e.event_type for e in same}
    two = next(e for e in same if e.event_type == "ministerial_2plus2")
    assert all(set(e.participants) <= set(two.participants) for e in same if e.event_type != "visit")
    # phone then in person: same type and people, 2–5 days apart
    pairs = sorted((e for e in truth.events.values() if "phone_then_in_person" in e.cases), key=lambda e: e.start_date)
    first = pairs[0]
    second = next(e for e in pairs if e.participants == first.participants and e.start_date > first.start_date)
    assert first.medium in ("phone", "video") and second.medium == "in_person"
    assert 2 <= (second.start_date - first.start_date).days <= 5
    # a Japanese report of a Washington meeting dated one day later
    shifted = [(a, t) for a, m in truth.article_meta.items() for t, v in m["views"].items() if v["shift"] == 1]
    assert shifted and all(truth.events[t].location in ("Washington", "Honolulu", "New York") for _, t in shifted)
    # planned announcements come out before the event
    planned = [(m, t) for m in truth.article_meta.values() for t, v in m["views"].items() if v["status"] == "planned"]
    assert planned and all(date.fromisoformat(m["published"]) < truth.events[t].start_date for m, t in planned)


# ------------------------------------------------------------------------------ pages


def test_size_distribution(corpus):
    sizes = [m["bytes"] for m in corpus.article_meta.values()]
    mean = statistics.mean(sizes)
    print(f"\nsynthetic article sizes: mean {mean:.0f} B, min {min(sizes)}, max {max(sizes)}")
    assert 4200 <= mean <= 6200
    assert min(sizes) >= 1500 and max(sizes) <= 20000
    kinds = {m["kind"] for m in corpus.article_meta.values()}
    assert kinds == {"ja_release", "ja_reprint", "ja_news", "aggregator", "en_readout"}


def test_noise_free_pages_are_smaller(tmp_path):
    clean = generate(40, 3, tmp_path / "clean", noise=False)
    noisy = generate(40, 3, tmp_path / "noisy")
    assert statistics.mean(m["bytes"] for m in clean.article_meta.values()) < \
        0.6 * statistics.mean(m["bytes"] for m in noisy.article_meta.values())


def test_generated_articles_are_ingestible(corpus):
    ids = set()
    for name, meta in corpus.article_meta.items():
        art = synth_ingest(corpus.articles_dir / name)
        assert isinstance(art, Article), (name, art)
        assert art.language.value == meta["lang"]
        if meta["kind"] != "aggregator":
            assert art.published_at is not None, name
        ids.add(art.article_id)
    assert len(ids) == len(corpus.articles)      # no two pages share their content


def synth_ingest(path: Path):
    from timeline.ingest import ingest_file

    return ingest_file(path, NOW)


def test_chrome_and_background_pools_hold_no_event_triggers():
    """Ranking lists, menus and background sentences must not read as Japan–US event reports."""
    from timeline.rules import TRIGGERS

    pools = [*synth._FILL_JA, *synth._FILL_EN, *synth._CHATTER, *synth._TALK_JA, *synth._OPENING_JA,
             *synth._NAV_JA_GOV, *synth._FOOT_JA_GOV, *synth._NAV_JA_NEWS, *synth._FOOT_JA_NEWS,
             *synth._NAV_EN, *synth._FOOT_EN]
    fmt = dict(m=3, d=4, r=7, a=5, b=6, c=7, y=2025, mon="March", yen=150, item=synth._RANK_ITEMS[0],
               pref=synth._PREFS[0], ship=synth._SHIPS[0], base=synth._BASES[0])
    pools += [t.format(**fmt) for t in (*synth._RANK_JA, *synth._NEWS_JA, *synth._RANK_EN, *synth._NOTICE_JA)]
    pools += [f"{o} {v} {x}" for o in synth._EN_ORGS for v in synth._EN_VERBS for x in synth._EN_OBJECTS]
    # "X and Y agreed" fires only with a Japanese and a US counterpart before the verb, which a
    # bare pattern search cannot see: those sentences must yield no event from the extractor instead
    joint = {"joint_action_en"}
    for text in pools:
        norm = unicodedata.normalize("NFKC", text)
        hits = [t.name for t in TRIGGERS if t.pattern.search(norm)]
        assert not set(hits) - joint, (text, hits)
        if hits:
            from timeline.extract import extract
            from timeline.ingest import build_article
            article = build_article("pool.txt", "Pool\nMarch 4, 2025\n" + text + "\n", NOW)
            assert extract(article) == [], text


def test_generation_is_fast(tmp_path):
    t0 = time.perf_counter()
    truth = generate(400, 1, tmp_path)
    dt = time.perf_counter() - t0
    print(f"\n{len(truth.articles)} synthetic articles in {dt:.2f}s")
    assert len(truth.articles) >= 900
    assert dt < 15      # ~1 s in practice; 10,000 articles take well under a minute


def test_cli_generates_and_scores(tmp_path, capsys):
    assert synth.main(["--events", "6", "--seed", "2", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "truth.json").is_file()
    assert "6 events" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        synth.main(["--out", str(tmp_path)])          # generating needs --events


# ------------------------------------------------------------------------------ scoring


def _toy_truth() -> Truth:
    d = date(2024, 7, 28)
    ev = {
        "A": TrueEvent("A", "ministerial_2plus2", "in_person", "held", d, d, ()),
        "B": TrueEvent("B", "defense_ministers_meeting", "in_person", "held", d, d, ()),
    }
    arts = {"a1.txt": ["A"], "a2.txt": ["A"], "a3.txt": ["A", "B"], "a4.txt": ["B"]}
    return Truth(0, {}, ev, arts)


def test_pairwise_scores_on_a_hand_made_example():
    truth = _toy_truth()
    # units: a1A a2A a3A a3B a4B; true pairs: A has 3 units → 3 pairs, B has 2 → 1 pair; 4 in all
    perfect = {"a1.txt": {"A": "p"}, "a2.txt": {"A": "p"}, "a3.txt": {"A": "p", "B": "q"}, "a4.txt": {"B": "q"}}
    s = pairwise_scores(truth, perfect)
    assert (s["precision"], s["recall"], s["true_pairs"], s["predicted_pairs"]) == (1.0, 1.0, 4, 4)

    # a3's report of A split off (p2); a4's B wrongly merged into A's cluster p1
    mixed = {"a1.txt": {"A": "p1"}, "a2.txt": {"A": "p1"}, "a3.txt": {"A": "p2", "B": "p3"}, "a4.txt": {"B": "p1"}}
    s = pairwise_scores(truth, mixed)
    # predicted pairs: p1 holds a1A a2A a4B → 3 pairs, of which only (a1A, a2A) is true
    assert s["predicted_pairs"] == 3 and s["true_positive_pairs"] == 1
    assert s["precision"] == pytest.approx(1 / 3) and s["recall"] == pytest.approx(1 / 4)
    assert s["unit_recall"] == 1.0 and s["recall_matched"] == pytest.approx(1 / 4)

    # a missed unit (a2 has no mention) costs recall but not precision
    missed = {"a1.txt": {"A": "p"}, "a3.txt": {"A": "p", "B": "q"}, "a4.txt": {"B": "q"}}
    s = pairwise_scores(truth, missed)
    assert s["precision"] == 1.0 and s["recall"] == pytest.approx(2 / 4)
    assert s["unit_recall"] == pytest.approx(4 / 5) and s["recall_matched"] == 1.0

    s = pairwise_scores(truth, {})
    assert (s["precision"], s["recall"], s["matched_units"]) == (1.0, 0.0, 0)

    # only some roles: a3's B is a passing reference here, so it leaves the units
    truth.article_meta = {"a3.txt": {"views": {"A": {"role": "main"}, "B": {"role": "reference"}}}}
    s = pairwise_scores(truth, perfect, roles=["main"])
    assert (s["units"], s["true_pairs"], s["recall"]) == (4, 3, 1.0)


def test_alignment_uses_type_then_date_one_to_one():
    truth = _toy_truth()
    d = date(2024, 7, 28)
    rows = [
        ("/x/a3.txt", "ev-dmm", "defense_ministers_meeting", d, d, "in_person"),
        ("/x/a3.txt", "ev-2p2", "ministerial_2plus2", None, None, "unknown"),     # undated still aligns by type
        ("/x/a3.txt", "ev-visit", "visit", date(2024, 7, 29), date(2024, 7, 29), "in_person"),  # fits nothing
        ("/x/a4.txt", "ev-fmm", "foreign_ministers_meeting", d, d, "in_person"),  # wrong type, same day: aligned
        ("/x/a1.txt", "ev-old", "ministerial_2plus2", date(2023, 1, 1), date(2023, 1, 1), "in_person"),  # too far
        ("/x/zz.txt", "ev-z", "summit", d, d, "phone"),                            # not in the truth
    ]
    assign, stats = align_rows(truth, rows)
    assert assign["a3.txt"] == {"B": "ev-dmm", "A": "ev-2p2"}
    assert assign["a4.txt"] == {"B": "ev-fmm"}
    assert assign["a1.txt"] == {}
    assert stats == {"predicted_article_events": 6, "spurious": 2, "outside_truth": 1}


def test_assignment_from_a_warehouse(tmp_path):
    import duckdb

    truth = _toy_truth()
    d = date(2024, 7, 28)
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE articles (article_id VARCHAR, source_uri VARCHAR)")
    con.execute("CREATE TABLE mentions (mention_id VARCHAR, article_id VARCHAR, event_id VARCHAR, event_type VARCHAR, "
                "medium VARCHAR, start_date DATE, end_date DATE, is_main BOOLEAN)")
    con.executemany("INSERT INTO articles VALUES (?, ?)", [(f"id{i}", f"/c/articles/a{i}.txt") for i in range(1, 5)])
    con.executemany("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?)", [
        ("m1", "id1", "E-2p2", "ministerial_2plus2", "in_person", d, d, True),
        ("m1s", "id1", "E-2p2", "ministerial_2plus2", "in_person", d, d, False),   # supporting sentence: ignored
        ("m2", "id2", "E-2p2", "ministerial_2plus2", "unknown", d, d, True),
        ("m3", "id3", "E-2p2", "ministerial_2plus2", "in_person", d, d, True),
        ("m4", "id3", "E-dmm", "defense_ministers_meeting", "in_person", d, d, True),
        ("m5", "id4", "E-dmm2", "defense_ministers_meeting", "in_person", None, None, True),
    ])
    con.close()
    s = synth.score_warehouse(truth, db)
    assert s["precision"] == 1.0 and s["recall"] == pytest.approx(3 / 4)
    assert s["spurious"] == 0 and s["predicted_clusters"] == 3


def test_end_to_end_measurement_with_the_stage_functions(tmp_path):
    """~60 events through the flow's stages (run_stages) into a warehouse, scored against the truth.

    Only checks that the measurement runs; quality targets belong to dedupe."""
    from conftest import run_stages

    truth = generate(60, 7, tmp_path / "corpus")
    db = tmp_path / "wh" / "timeline.duckdb"
    db.parent.mkdir()
    counts = run_stages(truth.articles_dir, db)
    assert counts["articles_written"] == len(truth.articles)
    scores = synth.score_warehouse(truth, db)
    print(f"\nsynthetic 60 events / {len(truth.articles)} articles: pairwise precision {scores['precision']:.3f} "
          f"recall {scores['recall']:.3f} (units found {scores['unit_recall']:.3f}, recall among found "
          f"{scores['recall_matched']:.3f}, spurious {scores['spurious']})")
    for key in ("precision", "recall", "f1", "recall_matched", "unit_recall"):
        assert 0.0 <= scores[key] <= 1.0
    assert scores["outside_truth"] == 0 and scores["units"] == sum(len(v) for v in truth.articles.values())


def test_in_memory_alignment_matches_the_warehouse(tmp_path):
    """assignment_from_records (stage outputs, no DuckDB) gives the warehouse's scores."""
    from conftest import run_stages
    from timeline.dedupe import dedupe
    from timeline.extract import extract
    from timeline.ingest import discover, ingest_file
    from timeline.validate import validate

    truth = generate(25, 8, tmp_path / "corpus")
    db = tmp_path / "wh" / "timeline.duckdb"
    db.parent.mkdir()
    run_stages(truth.articles_dir, db)
    articles = [a for a in (ingest_file(p, NOW) for p in discover(truth.articles_dir)) if isinstance(a, Article)]
    records = []
    for a in articles:
        records += validate(a, extract(a), NOW)[0]
    assignment, _ = synth.assignment_from_records(truth, articles, records, dedupe(records).assignment)
    memory = pairwise_scores(truth, assignment)
    warehouse = synth.score_warehouse(truth, db)
    assert {k: memory[k] for k in ("precision", "recall", "units", "matched_units")} == \
        {k: warehouse[k] for k in ("precision", "recall", "units", "matched_units")}
    # and `python -m timeline.synth --score-stages` (the stages in process, forked extraction) too
    stages = synth.score_stages(truth, truth.articles_dir)
    assert {k: stages[k] for k in ("precision", "recall", "units", "matched_units")} == \
        {k: warehouse[k] for k in ("precision", "recall", "units", "matched_units")}


def test_cli_scores_the_stages(tmp_path, capsys):
    assert synth.main(["--events", "8", "--seed", "3", "--out", str(tmp_path), "--score-stages"]) == 0
    out = capsys.readouterr().out
    assert "pairwise precision" in out
    assert synth.main(["--out", str(tmp_path), "--score-stages"]) == 0      # an existing corpus
    assert capsys.readouterr().out.split("pairwise")[1].split(";")[0] == out.split("pairwise")[1].split(";")[0]
