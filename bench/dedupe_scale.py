"""Dedupe cost on dense synthetic records (issue 4): records, comparisons, seconds.

    .venv/bin/python bench/dedupe_scale.py [--records 10000,20000,40000] [--seed 7] [--timeout 600]

The records are drawn straight from a synthetic calendar, not extracted from articles, so that the
measurement is of dedupe alone and takes seconds: events of five types between 2021-02 and
2026-10, each type held by one pair (or four) of office holders at a time, as in the real
calendar, every event reported 1–5 times, the reports as varied as extraction makes them — some
undated (placed by their publication day), some without a medium, some a day late (Japan time),
some dated by the day their source appeared. The span of days is fixed: more records make every
block denser (more events a day, more reports of each), which is what shards replaying one
calendar did to the 100,000-article bench (BENCHMARKS.md), where a dedupe that compares every pair
of a date window grows with the square of the density.

Prints one row per size: records, events, reports a day in the densest block, `compare` calls,
calls per record, seconds (wall, one process; the machine is shared: see the load average).
Run it with another checkout first on PYTHONPATH to measure that checkout's dedupe.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import EventMention, EventType, Medium, PersonRef, Span, Status  # noqa: E402
import timeline.dedupe as dd  # noqa: E402

FIRST = date(2021, 2, 1)
DAYS = 2100
# who held each meeting type, period after period (the same pair for every event of a period)
HOLDERS = {
    EventType.defense_ministers_meeting: [("kishi-nobuo", "lloyd-austin"), ("hamada-yasukazu", "lloyd-austin"),
                                          ("kihara-minoru", "lloyd-austin"), ("nakatani-gen", "pete-hegseth"),
                                          ("koizumi-shinjiro", "pete-hegseth")],
    EventType.foreign_ministers_meeting: [("motegi-toshimitsu", "antony-blinken"), ("hayashi-yoshimasa", "antony-blinken"),
                                          ("kamikawa-yoko", "antony-blinken"), ("iwaya-takeshi", "marco-rubio"),
                                          ("motegi-toshimitsu", "marco-rubio")],
    EventType.summit: [("suga-yoshihide", "joe-biden"), ("kishida-fumio", "joe-biden"), ("ishiba-shigeru", "donald-trump"),
                       ("takaichi-sanae", "donald-trump")],
    EventType.ministerial_2plus2: [("motegi-toshimitsu", "kishi-nobuo", "antony-blinken", "lloyd-austin"),
                                   ("hayashi-yoshimasa", "hamada-yasukazu", "antony-blinken", "lloyd-austin"),
                                   ("iwaya-takeshi", "nakatani-gen", "marco-rubio", "pete-hegseth")],
    EventType.visit: [("nakatani-gen", "samuel-paparo"), ("kihara-minoru", "john-aquilino")],
}
US = {"lloyd-austin", "pete-hegseth", "antony-blinken", "marco-rubio", "joe-biden", "donald-trump",
      "samuel-paparo", "john-aquilino"}
TYPES = list(HOLDERS)
WEIGHTS = [5, 4, 3, 1, 2]
MEDIA = [Medium.in_person, Medium.in_person, Medium.phone, Medium.video]


def records(n: int, seed: int) -> tuple[list[EventMention], int]:
    r = random.Random(seed)
    out: list[EventMention] = []
    events = 0
    while len(out) < n:
        events += 1
        etype = r.choices(TYPES, WEIGHTS)[0]
        offset = r.randrange(DAYS)
        day = FIRST + timedelta(days=offset)
        pairs = HOLDERS[etype]
        people = pairs[offset * len(pairs) // DAYS]
        medium = Medium.in_person if etype in (EventType.ministerial_2plus2, EventType.visit) else r.choice(MEDIA)
        for k in range(1 + int(5 * r.random() ** 1.35)):
            art = f"A{len(out):07d}"
            x = r.random()
            start = None if x < 0.1 else day + timedelta(days=1) if x < 0.25 else day
            rule = "date_before_trigger"
            if 0.25 <= x < 0.3:
                start, rule = day + timedelta(days=r.randint(0, 2)), "card_source_url_date"
            published = datetime.combine(day + timedelta(days=r.randint(1, 3)), dtime(9), timezone.utc)
            span = Span(article_id=art, char_start=0, char_end=2, text="会談", rule="t")
            who = [] if r.random() < 0.05 else [
                PersonRef(person_id=p, name_en=p, country="US" if p in US else "JP", span=span) for p in people]
            out.append(EventMention(
                mention_id=f"{art}-m", article_id=art, event_type=etype,
                medium=Medium.unknown if r.random() < 0.25 else medium, status=Status.held,
                start_date=start, end_date=start, date_precision="day" if start else "unknown",
                date_rule=rule if start else None, evidence=span, confidence=0.8, participants=who,
                series="ssc" if etype == EventType.ministerial_2plus2 else None, published_at=published))
    return out[:n], events


def measure(n: int, seed: int) -> dict:
    ms, events = records(n, seed)
    per_day = Counter((m.event_type, m.start_date) for m in ms if m.start_date)
    calls = 0
    compare = dd.compare

    def counted(a, b, rules=dd.RULES):
        nonlocal calls
        calls += 1
        return compare(a, b, rules)

    dd.compare = counted
    try:
        t0 = time.perf_counter()
        result = dd.dedupe(ms)
        seconds = time.perf_counter() - t0
    finally:
        dd.compare = compare
    return {"records": n, "events": events, "densest_day": max(per_day.values()), "compare_calls": calls,
            "calls_per_record": calls / n, "seconds": seconds, "clusters": len(result.meetings)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/dedupe_scale.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", default="10000,20000,40000", help="comma-separated sizes")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    print(f"dedupe: {dd.__file__}; load average {os.getloadavg()[0]:.1f}")
    print("| records | events | densest day (reports of one type) | compare calls | calls / record | seconds |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in (int(x) for x in args.records.split(",")):
        m = measure(n, args.seed)
        print(f"| {m['records']:,} | {m['events']:,} | {m['densest_day']} | {m['compare_calls']:,} | "
              f"{m['calls_per_record']:.1f} | {m['seconds']:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
