"""Deduplication: what merges, what stays apart, stable ids, order independence, audit, redirects."""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXED_NOW, SEEDS, run_stages
from models import EventMention, EventType, Medium, PersonRef, Span, Status
from timeline.dedupe import cluster, compare, dedupe
from timeline.extract import extract
from timeline.ingest import ingest_file

NAKATANI, HEGSETH, AUSTIN, KIHARA = "nakatani-gen", "hegseth-pete", "austin-lloyd", "kihara-minoru"


def _m(mid, article, etype=EventType.defense_ministers_meeting, day=None, end=None, medium=Medium.unknown,
       status=Status.held, people=(), series=None, precision="day"):
    span = Span(article_id=article, char_start=0, char_end=2, text="会談", rule="t")
    refs = [PersonRef(person_id=p, name_en=p, country="JP" if p in (NAKATANI, KIHARA) else "US", span=span) for p in people]
    return EventMention(
        mention_id=mid, article_id=article, event_type=etype, medium=medium, status=status,
        start_date=day, end_date=end or day, date_precision=precision if day else "unknown",
        evidence=span, confidence=0.8, participants=refs, series=series)


D = date(2025, 3, 30)
CASES = [
    # (a, b, merged?, why)
    (_m("a", "A", day=D, people=(NAKATANI, HEGSETH)), _m("b", "B", day=D, people=(NAKATANI, HEGSETH)), True, "same meeting, two sources"),
    (_m("a", "A", day=D, people=(NAKATANI, HEGSETH)), _m("b", "B", day=date(2025, 3, 31), people=(NAKATANI,)), True, "Washington date reported in JST"),
    (_m("a", "A", day=D, status=Status.planned), _m("b", "B", day=D), True, "announcement and report"),
    (_m("a", "A", day=D, medium=Medium.phone, people=(NAKATANI, HEGSETH)), _m("b", "B", day=D, medium=Medium.in_person, people=(NAKATANI, HEGSETH)), False, "phone call vs meeting"),
    (_m("a", "A", day=D), _m("b", "B", etype=EventType.ministerial_2plus2, day=D), False, "2+2 vs defence ministers, same day"),
    (_m("a", "A", etype=EventType.ministerial_2plus2, day=date(2021, 3, 16), series="ssc"),
     _m("b", "B", etype=EventType.ministerial_2plus2, day=date(2024, 7, 28), series="ssc"), False, "two rounds of a series"),
    (_m("a", "A", day=D, people=(NAKATANI, HEGSETH)), _m("b", "B", day=D, people=(KIHARA, AUSTIN)), False, "different people"),
    (_m("a", "A", etype=EventType.visit, day=D), _m("b", "B", day=D), False, "a visit and the meeting held during it"),
    (_m("a", "A", people=(NAKATANI, HEGSETH)), _m("b", "B", day=D, people=(NAKATANI, HEGSETH)), True, "undated report, same pair"),
    (_m("a", "A", people=(NAKATANI,)), _m("b", "B", day=D, people=(NAKATANI, HEGSETH)), True, "undated report, one shared person"),
    (_m("a", "A"), _m("b", "B", day=D, people=(NAKATANI, HEGSETH)), False, "undated report, no people"),
    (_m("a", "A", day=D), _m("b", "A", day=D), False, "one article's sentences are grouped by the extractor"),
]


@pytest.mark.parametrize("a,b,merged,why", CASES, ids=[c[3] for c in CASES])
def test_compare(a, b, merged, why):
    assert compare(a, b)[0] is merged
    assert (len(cluster([a, b])) == 1) is merged


def test_undated_report_stays_alone_when_two_events_fit():
    a = _m("a", "A", day=date(2025, 1, 31), medium=Medium.in_person, people=(NAKATANI, HEGSETH))
    b = _m("b", "B", day=date(2025, 3, 30), medium=Medium.in_person, people=(NAKATANI, HEGSETH))
    u = _m("u", "C", people=(NAKATANI, HEGSETH))
    assert sorted(len(g) for g in cluster([a, b, u])) == [1, 1, 1]
    # a call is not a candidate for a report that does not say it was a call: the meeting is the one
    a = a.model_copy(update={"medium": Medium.phone})
    assert sorted(len(g) for g in cluster([a, b, u])) == [1, 2]


def test_an_announcement_joins_the_meeting_rather_than_the_call_of_its_day():
    """One article reports a call on the 30th and a meeting planned for that month; another
    announces a meeting on the 30th without saying how: it is the meeting's announcement (both
    fit it; the two events of one article cannot become one)."""
    call = _m("c", "A", day=D, medium=Medium.phone, people=(NAKATANI, HEGSETH))
    meeting = _m("m", "A", day=date(2025, 3, 1), end=date(2025, 3, 31), precision="month",
                 medium=Medium.in_person, people=(NAKATANI, HEGSETH))
    plan = _m("p", "B", day=D, status=Status.planned, people=(NAKATANI, HEGSETH))
    groups = {frozenset(m.mention_id for m in g) for g in cluster([call, meeting, plan])}
    assert groups == {frozenset({"c"}), frozenset({"m", "p"})}


def test_a_report_naming_no_format_does_not_join_two_formats():
    """The four-way meeting of one day and the three-way meeting of the next, each fitting a
    report that names neither (a blog line dated the 12th): the report joins one, never both."""
    four = _m("f", "A", etype=EventType.foreign_ministers_meeting, day=date(2022, 2, 11), series="multi_au_in_jp_us")
    three = _m("t", "B", etype=EventType.foreign_ministers_meeting, day=date(2022, 2, 12), series="multi_jp_kr_us")
    plain = _m("p", "C", etype=EventType.foreign_ministers_meeting, day=date(2022, 2, 12))
    groups = [frozenset(m.mention_id for m in g) for g in cluster([four, three, plain])]
    assert not any({"f", "t"} <= g for g in groups) and len(groups) == 2


def test_a_three_way_meeting_and_the_pairs_own_meeting_stay_apart():
    """The trilateral of the 12th and a report of the Japan–US pair's own meeting (only their two
    countries' people) a day apart: two meetings, though the dates are within the slack."""
    three = _m("t", "A", etype=EventType.foreign_ministers_meeting, day=date(2022, 2, 12), series="multi_jp_kr_us",
               people=(NAKATANI, HEGSETH))
    pair = _m("p", "B", etype=EventType.foreign_ministers_meeting, day=date(2022, 2, 11), people=(NAKATANI, HEGSETH))
    assert compare(three, pair)[:2] == (False, "format_differs")
    unnamed = _m("u", "C", etype=EventType.foreign_ministers_meeting, day=date(2022, 2, 12))
    assert compare(three, unnamed)[0] is True


def _seed_mentions():
    return [m for p in sorted(SEEDS.glob("*.txt")) for m in extract(ingest_file(p, FIXED_NOW))]


SEED_MENTIONS = _seed_mentions()


@settings(max_examples=25, deadline=None)
@given(st.permutations(SEED_MENTIONS))
def test_any_order_gives_identical_events(order):
    assert dedupe(list(order)) == dedupe(SEED_MENTIONS)


def test_event_id_survives_another_report(tmp_path):
    """A second article about a known event joins it under the same id."""
    first = dedupe([_m("a", "A", day=D, medium=Medium.in_person, people=(NAKATANI, HEGSETH))])
    both = dedupe([_m("a", "A", day=D, medium=Medium.in_person, people=(NAKATANI, HEGSETH)),
                   _m("0", "B", day=D, people=(NAKATANI,))])
    assert [e.event_id for e in first.meetings] == [e.event_id for e in both.meetings]
    assert both.meetings[0].n_articles == 2


def test_file_names_and_order_do_not_change_the_tables(tmp_path):
    files = sorted(SEEDS.glob("*.txt"))
    dumps = []
    for trial, rng in enumerate((random.Random(1), random.Random(2))):
        folder = tmp_path / f"src{trial}"
        folder.mkdir()
        names = [f"{rng.random():.8f}.txt" for _ in files]
        for f, n in zip(files, names):
            shutil.copy(f, folder / n)
        db = tmp_path / f"w{trial}" / "w.duckdb"
        db.parent.mkdir()
        run_stages(folder, db)
        con = duckdb.connect(str(db), read_only=True)
        dumps.append({t: con.execute(f"SELECT * EXCLUDE (article_id, char_start, char_end) FROM {t} ORDER BY ALL").fetchall()
                      if t in ("participants", "outcomes") else con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                      for t in ("meetings", "participants", "outcomes", "mention_records", "dedupe_decisions")})
        con.close()
    assert dumps[0] == dumps[1]


def test_rerun_extracts_nothing_and_changes_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    assert run_stages(SEEDS, db)["extracted"] == 5
    again = run_stages(SEEDS, db)
    assert again["extracted"] == 0 and again["events_created"] == 0 and again["events_removed"] == 0


def test_audit_explains_merges_and_separations(seeds_warehouse):
    con = duckdb.connect(str(seeds_warehouse), read_only=True)
    rules = dict(con.execute("SELECT rule, count(*) FROM dedupe_decisions GROUP BY rule").fetchall())
    assert any(r.startswith("dates_overlap") for r in rules)           # the two multi-source merges
    merged = con.execute("SELECT count(*) FROM dedupe_decisions WHERE merged").fetchone()[0]
    # each merge decision joins two records that end up in one event
    assert merged == con.execute(
        "SELECT count(*) FROM dedupe_decisions d JOIN mentions a ON a.record_id = d.record_a AND a.is_main "
        "JOIN mentions b ON b.record_id = d.record_b AND b.is_main WHERE d.merged AND a.event_id = b.event_id").fetchone()[0]


def test_changed_article_replaces_its_reports_and_old_ids_redirect(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    page = src / "page.txt"
    page.write_text("日米防衛相会談\n2025-03-31 10:00\n中谷防衛大臣は3月30日、ヘグセス国防長官と東京で会談した。\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    run_stages(src, db)
    con = duckdb.connect(str(db), read_only=True)
    old_ids = [r[0] for r in con.execute("SELECT event_id FROM meetings").fetchall()]
    con.close()
    assert len(old_ids) == 1
    # the page is corrected: the meeting was on the 29th
    page.write_text("日米防衛相会談\n2025-03-31 10:00\n中谷防衛大臣は3月29日、ヘグセス国防長官と東京で会談した。\n", encoding="utf-8")
    counts = run_stages(src, db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1        # the old content is gone
    new_ids = [r[0] for r in con.execute("SELECT event_id FROM meetings").fetchall()]
    assert len(new_ids) == 1 and new_ids != old_ids
    assert con.execute("SELECT new_event_id FROM event_redirects WHERE old_event_id = ?", old_ids).fetchone() == (new_ids[0],)
    assert counts["articles_retracted"] == 1


def _spread(n: int) -> list[EventMention]:
    """n reports of n/2 meetings spread over the years, two sources each."""
    out = []
    for i in range(n):
        day = date(2021, 1, 1) + timedelta(days=(i // 2) * 3)
        out.append(_m(f"m{i:06d}", f"A{i}", day=day, medium=Medium.in_person, people=(NAKATANI, HEGSETH)))
    return out


def test_comparisons_grow_linearly_with_the_number_of_reports():
    """Blocking and the date sweep keep dedupe near-linear: 4× the reports costs about 4× the
    comparisons (all pairs would cost 16×)."""
    counts = []
    for n in (400, 1600):
        events = dedupe(_spread(n))
        counts.append(len(events.decisions))
        assert len(events.meetings) == n // 2  # and the pairs are still found
    assert counts[1] <= 5 * counts[0]


def _dense(n: int) -> list[EventMention]:
    """n reports packed into one month of one block: the same two ministers, every day a meeting,
    a phone call and a video call, each reported n / 90 times (a fifth dated a day late, in Japan
    time) — the density that more sources, or shards replaying one calendar, put into a block."""
    media = (Medium.in_person, Medium.phone, Medium.video)
    out = []
    for i in range(n):
        event = i % 90
        day = D + timedelta(days=event // 3 + (i % 5 == 4))
        out.append(_m(f"m{i:06d}", f"A{i}", day=day, medium=media[event % 3], people=(NAKATANI, HEGSETH)))
    return out


def test_comparisons_grow_linearly_on_a_dense_block(monkeypatch):
    """A report is compared with the candidate events of its own days (a few reports of each),
    not with every report of the block nearby: 4× the reports in the same month costs about 4×
    the comparisons (the old date sweep compared every pair within 31 days: 16×)."""
    import timeline.dedupe as dd

    calls = []

    def counted(a, b, rules=dd.RULES):
        calls.append(1)
        return compare(a, b, rules)

    monkeypatch.setattr(dd, "compare", counted)
    counts = []
    for n in (900, 3600):
        calls.clear()
        groups = dd.cluster(_dense(n))
        counts.append(len(calls))
        assert len(calls) <= 40 * n           # a bounded number per report, not one per report nearby
        # and the reports still find their events: one medium each, within the slack of a day
        # (a report a day late is as much the next day's event: which one is not decidable)
        assert len(groups) <= 90 and sum(len(g) for g in groups) == n
        assert all(len({m.medium for m in g}) == 1 and max(m.start_date for m in g) - min(m.start_date for m in g)
                   <= timedelta(days=1) for g in groups)
    assert counts[1] <= 5 * counts[0]


def test_an_undated_announcement_joins_the_event_held_after_it():
    """"The next 2+2, which the two governments intend to hold in Tokyo this summer": an undated
    plan looks forward from its page (within Rules.planned_window_days), not back like an undated
    report of something done."""
    from datetime import datetime, timezone

    page = datetime(2024, 6, 12, tzinfo=timezone.utc)
    plan = _m("p", "A", etype=EventType.ministerial_2plus2, status=Status.planned, series="ssc",
              people=(KIHARA, AUSTIN)).model_copy(update={"published_at": page})
    held = _m("h", "B", etype=EventType.ministerial_2plus2, day=date(2024, 7, 28), series="ssc", people=(KIHARA, AUSTIN))
    assert len(cluster([plan, held])) == 1
    # the one before the page is not what it announces
    earlier = held.model_copy(update={"start_date": date(2024, 5, 2), "end_date": date(2024, 5, 2)})
    assert len(cluster([plan, earlier])) == 2
    # nor is one long after it; and with two events ahead it joins neither
    later = held.model_copy(update={"mention_id": "l", "article_id": "C",
                                    "start_date": date(2024, 8, 20), "end_date": date(2024, 8, 20)})
    assert sorted(len(g) for g in cluster([plan, held, later])) == [1, 1, 1]
    far = held.model_copy(update={"start_date": date(2024, 12, 1), "end_date": date(2024, 12, 1)})
    assert len(cluster([plan, far])) == 2
