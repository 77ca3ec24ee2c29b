"""Dedupe stage: EventMentions from many articles → one canonical event each.

In named steps (splink style): block on event type; inside a block find each report's candidate
events through keys (the days it could be on; for an undated report, its people or series within
its window); compare it with a few reports of each candidate on date, series, status, medium and
people; union the fits (union-find, with checks on the whole cluster). Thresholds and keys are
data (`RULES`). Then each cluster is merged into a Meeting with its
Participants and Outcomes, every value keeping the article it came from.

Clustering and the event ids read only a report's small keys (`MentionKey`: ids, dates, type,
series, medium, status, people ids; no text), so a big run plans its events (`plan`) over keys
read from the warehouse and merges each event's full records (`merge`) a chunk at a time
(warehouse/load.py); `dedupe` does both over records in memory.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from models import (
    DatePrecision, EventMention, EventType, Medium, Meeting, Outcome, Participant, Role, Status,
)
from models.records import content_id, person_key

__all__ = ["RULES", "Decision", "Events", "MentionKey", "Plan", "key_of", "compare", "cluster", "plan", "merge",
           "dedupe", "event_key"]


@dataclass(frozen=True)
class Rules:
    date_slack_days: int = 1          # a Washington meeting reported in JST lands a day later
    undated_min_shared_people: int = 1  # an undated report joins a dated event it shares people with (and only
                                        # when exactly one recent event fits: see cluster)
    undated_window_days: int = 30     # an undated report joins an event at most this long before it
    planned_window_days: int = 90     # an undated announcement joins an event at most this long after it
    report_lag_days: int = 7          # a date taken from the report's own day may trail the event by this much
    per_event: int = 3                # reports of one candidate event compared with a new report before
                                      # giving up on it: its reports differ (one without people, one
                                      # with the medium unread), so one is not always enough; all of
                                      # them would make the cost grow with how widely it was reported


RULES = Rules()

_SITE_RANK = {"official": 0, "news": 1, "news_reprint": 2, "aggregator": 3}
_PRECISION = {DatePrecision.day: 3, DatePrecision.month: 2, DatePrecision.year: 1, DatePrecision.unknown: 0}


@dataclass(frozen=True)
class Decision:
    """Why two reports were merged or kept apart (the audit trail of one comparison)."""

    record_a: str
    record_b: str
    merged: bool
    rule: str
    score: float


@dataclass(frozen=True)
class Events:
    meetings: list[Meeting]
    participants: list[Participant]
    outcomes: list[Outcome]
    assignment: dict[str, str]        # mention_id → event_id
    decisions: list[Decision]


@dataclass(frozen=True, slots=True)
class MentionKey:
    """What clustering and the event id read of one EventMention (same attribute names): no
    sentence, span, name or outcome, so the keys of 100,000 articles' reports fit in memory."""

    mention_id: str
    article_id: str
    event_type: EventType
    medium: Medium
    status: Status
    start_date: date | None
    end_date: date | None
    date_precision: DatePrecision
    date_rule: str | None
    month_day: str | None
    series: str | None
    title: str | None                       # a document release's title only (the document's name)
    site: str | None
    published_at: object                    # AwareDatetime | None
    is_primary: bool
    confidence: float
    people: tuple[tuple[str, str], ...]     # (country or "", person_id) of each registered participant, sorted
    person_keys: tuple[str, ...]            # PersonRef.key of every participant, in order


def key_of(m: EventMention | MentionKey) -> MentionKey:
    if isinstance(m, MentionKey):
        return m
    return MentionKey(
        mention_id=m.mention_id, article_id=m.article_id, event_type=m.event_type, medium=m.medium, status=m.status,
        start_date=m.start_date, end_date=m.end_date, date_precision=m.date_precision, date_rule=m.date_rule,
        month_day=m.month_day, series=m.series,
        title=m.title if m.event_type == EventType.document_release else None,
        site=m.site, published_at=m.published_at, is_primary=m.is_primary, confidence=m.confidence,
        people=tuple(sorted((p.country or "", p.person_id) for p in m.participants if p.person_id)),
        person_keys=tuple(person_key(p.person_id, p.name_ja, p.name_en) for p in m.participants))


@dataclass(frozen=True)
class Plan:
    """The events of a set of reports, from their keys alone: each event's id and its reports
    (in the order `dedupe` makes them), which event each report joined, and every comparison."""

    events: list[tuple[str, list[str]]]    # (event_id, mention ids sorted), by first mention id
    assignment: dict[str, str]             # mention_id → event_id
    decisions: list[Decision]
    articles: dict[str, str]               # mention_id → article_id


def _people(m: MentionKey) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for country, pid in m.people:
        out[country].add(pid)
    return out


def _dates_overlap(a: EventMention, b: EventMention, slack: int) -> bool:
    d = timedelta(days=slack)
    return a.start_date - d <= b.end_date and b.start_date - d <= a.end_date


def _report_dated(a: EventMention, b: EventMention, rules: Rules) -> bool:
    """`a` was dated by the day its report appeared (a quoted card's source date, a page date):
    the event itself may be a few days earlier than that."""
    if not (a.date_rule or "").startswith(("card_", "publication_date")):
        return False
    return a.start_date - timedelta(days=rules.report_lag_days) <= b.start_date <= a.end_date + timedelta(days=1)


def _doc_name(m: EventMention) -> str | None:
    """What a Japanese report calls the document ("日米宇宙協力に関する"), if it names it."""
    if m.title and "に関する" in m.title:
        return m.title.split("に関する")[0].lstrip("日米").strip()
    return None


def _same_script(x: str, y: str) -> bool:
    """Series keys written in one script can be compared; キーンソード and Keen Sword cannot."""
    return x[:5] == y[:5] if x.startswith(("exja_", "exen_")) and y.startswith(("exja_", "exen_")) else True


def _on_month_day(u: EventMention, o: EventMention) -> bool:
    """`o` lies on the month and day (±1) the undated `u` wrote without a year, if it wrote one."""
    if not u.month_day:
        return True
    month, day = (int(x) for x in u.month_day.split("-"))
    try:
        return abs((o.start_date - o.start_date.replace(month=month, day=day)).days) <= 1
    except ValueError:
        return False


def _window(u: EventMention, rules: Rules, anchor: date | None) -> tuple[date | None, date | None]:
    """The days a dated event must lie in for the undated report `u` to join it. An undated
    report speaks of something recent: the window before its publication. A page without a date
    of its own (an aggregator) is placed by `anchor`, the latest day its other reports name: the
    page is at least that recent, so the window reaches `report_lag_days` past it. With neither,
    there is no window (None, None). An undated announcement ("the next 2+2, which the two
    governments intend to hold in Tokyo this summer") speaks of something to come: the window
    after its publication."""
    if u.published_at is not None:
        pub = u.published_at.date()
        if u.status == Status.planned:
            return pub - timedelta(days=1), pub + timedelta(days=rules.planned_window_days)
        return pub - timedelta(days=rules.undated_window_days), pub + timedelta(days=1)
    if anchor is not None:
        return anchor - timedelta(days=rules.undated_window_days), anchor + timedelta(days=rules.report_lag_days)
    return None, None


def _format_conflict(a: MentionKey, b: MentionKey) -> bool:
    """A three- or four-way meeting ("multi_…" series) and a report of a meeting of the Japanese and
    US principals alone (people of those two countries only) are two meetings, on one day or the next."""
    ma, mb = (a.series or "").startswith("multi_"), (b.series or "").startswith("multi_")
    if ma == mb:
        return False
    plain = b if ma else a
    countries = {country or None for country, _ in plain.people}
    return countries == {"JP", "US"}


def compare(a: EventMention, b: EventMention, rules: Rules = RULES) -> tuple[bool, str, float]:
    """Whether two reports from different articles describe one event, the deciding rule, and a
    score in [0, 1] (how much of the evidence agrees)."""
    a, b = key_of(a), key_of(b)
    if a.article_id == b.article_id:
        return False, "same_article", 0.0  # one article's sentences were already grouped by the extractor
    if a.event_type != b.event_type:
        return False, "type_differs", 0.0
    if a.series and b.series and a.series != b.series and _same_script(a.series, b.series):
        return False, "series_differs", 0.1
    if _format_conflict(a, b):
        return False, "format_differs", 0.1
    if a.event_type == EventType.document_release and _doc_name(a) and _doc_name(b) and _doc_name(a) != _doc_name(b):
        return False, "document_differs", 0.1
    if Medium.unknown not in (a.medium, b.medium) and a.medium != b.medium:
        return False, "medium_differs", 0.2
    if Status.cancelled in (a.status, b.status) and a.status != b.status:
        return False, "cancelled_vs_other", 0.2
    pa, pb = _people(a), _people(b)
    if any(k in pb and pa[k].isdisjoint(pb[k]) for k in pa):
        return False, "people_disjoint", 0.3
    if a.event_type == EventType.visit:
        # a visit is its visitor's trip: same person, within the visit window
        if not any(pa[k] & pb.get(k, set()) for k in pa):
            return False, "visitor_differs", 0.3
        if a.start_date and b.start_date:
            # two dated reports of a visit: the same day (±1 for time zones); two calls on one
            # trip are two events
            if abs((a.start_date - b.start_date).days) > rules.date_slack_days:
                return False, "dates_apart", 0.3
        return True, "same_visitor", 0.8
    shared = sum(len(pa[k] & pb.get(k, set())) for k in pa)
    everyone = set().union(*pa.values(), *pb.values())
    people_score = shared / len(everyone) if (pa and pb) else 0.5
    if a.start_date and b.start_date:
        slack = rules.date_slack_days if DatePrecision.day in (a.date_precision, b.date_precision) else 0
        if not (_dates_overlap(a, b, slack) or _report_dated(a, b, rules) or _report_dated(b, a, rules)):
            return False, "dates_apart", 0.3
        exact = a.start_date == b.start_date and a.end_date == b.end_date
        return True, "dates_overlap" + ("+people" if shared else ""), round(0.6 + 0.2 * exact + 0.2 * people_score, 3)
    if a.series and a.series == b.series and (a.event_type in (EventType.exercise, EventType.document_release)
                                              or not (pa and pb)):
        return True, "undated_same_series", 0.7
    if shared >= rules.undated_min_shared_people:
        if a.medium != b.medium and {a.medium, b.medium} & {Medium.phone, Medium.video}:
            # an undated call must not join a report that does not say it was a call (most such
            # reports are of meetings); an unread medium beside an in-person meeting is no conflict
            return False, "undated_medium_unknown", 0.3
        return True, "undated_people_match", round(0.5 + 0.3 * people_score, 3)
    return False, "undated_without_people", 0.2


def cluster(mentions: list[EventMention], rules: Rules = RULES,
            decisions: list[Decision] | None = None) -> list[list[EventMention]]:
    """Block on event type, find each report's candidate events through keys, union the fits.

    Keys, not sweeps: a dated report looks only at the reports filed under the days its own
    dates could match (its days ± the slack, or the lag of a report-dated one); an undated one only
    at those sharing a person or series with it inside its window. And it is compared with
    candidate *events*, not with every report of them: at most `rules.per_event` reports of each
    event found through the keys, stopping at the first that fits. So the number of comparisons
    grows with the number of reports times the number of distinct events on a few days — not
    with the square of a block, however many reports an event or a day has. Reports are taken
    in a fixed order (date, then id), so the result does not depend on the input order. Every
    comparison made is appended to `decisions` when a list is given, `merged` saying whether the
    two reports ended in one event. `mentions` are EventMentions or their keys; the groups hold
    what was given.
    """
    given = {m.mention_id: m for m in mentions}
    ordered = sorted((key_of(m) for m in given.values()), key=lambda m: m.mention_id)
    parent = {m.mention_id: m.mention_id for m in ordered}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def _profile(m: EventMention) -> dict:
        exact = (m.start_date is not None and m.date_precision == DatePrecision.day
                 and not (m.date_rule or "").startswith(("card_", "publication_date")))
        return {"articles": {m.article_id}, "series": {m.series} if m.series else set(),
                "first": m.start_date if exact else None, "last": m.end_date if exact else None,
                "span": (m.end_date - m.start_date).days if exact else 0}

    profile = {m.mention_id: _profile(m) for m in ordered}

    def union(x: str, y: str) -> None:
        """Join two clusters, unless the result breaks what every pair must respect: two of one
        article's events together (the extractor already told them apart), or written dates
        spread wider than the slack. (Media are checked pair by pair only: one mis-read medium
        on an aggregator card would otherwise split an event across sources.) Pairwise checks alone
        would let a chain A~B~C join events two days apart."""
        rx, ry = find(x), find(y)
        if rx == ry:
            return
        a, b = profile[rx], profile[ry]
        if not a["articles"].isdisjoint(b["articles"]):
            return
        # nor two series (the four-way meeting of one day and the three-way of the next, each
        # joined by a report that names neither)
        if any(x != y and _same_script(x, y) for x in a["series"] for y in b["series"]):
            return
        firsts = [d for d in (a["first"], b["first"]) if d]
        lasts = [d for d in (a["last"], b["last"]) if d]
        # the longest report's own span (a three-day exercise), not the cluster's spread so far:
        # that would let every join widen what the next may add (10-31, 11-01, 11-02, 11-03…)
        span = max(a["span"], b["span"])
        if firsts and (max(lasts) - min(firsts)).days > rules.date_slack_days + span:
            return
        keep, drop = min(rx, ry), max(rx, ry)
        parent[drop] = keep
        profile[keep] = {"articles": a["articles"] | b["articles"], "span": span, "series": a["series"] | b["series"],
                         "first": min(firsts) if firsts else None, "last": max(lasts) if lasts else None}
        del profile[drop]

    def note(a: EventMention, b: EventMention, rule: str, score: float) -> None:
        if decisions is not None and rule not in ("same_article", "type_differs"):
            x, y = sorted((a.mention_id, b.mention_id))
            decisions.append(Decision(x, y, find(x) == find(y), rule, score))

    pending: list[tuple[EventMention, EventMention, str, float]] = []   # comparisons, noted at the end

    def fits(a: EventMention, candidates: list[EventMention], near: date | None = None,
             enough: int | None = None) -> dict[str, tuple[float, EventMention]]:
        """The events among `candidates`' that `a` fits, with the score of the fit and the report
        it fitted: for each, its
        reports in a fixed order (same start day first) until one fits, at most rules.per_event. With
        `enough`, the events nearest `near` first, and no more once that many fit."""
        by_event: dict[str, list[EventMention]] = defaultdict(list)
        for b in candidates:
            by_event[find(b.mention_id)].append(b)
        out: dict[str, tuple[float, EventMention]] = {}

        def distance(root: str) -> int:
            return min(abs((b.start_date - near).days) for b in by_event[root]) if near else 0

        for root in sorted(by_event, key=lambda r: (distance(r), r)):
            if enough is not None and len(out) >= enough:
                break
            tried: set[tuple] = set()
            for b in sorted(by_event[root], key=lambda b: (b.start_date != a.start_date, b.mention_id)):
                # reports that say the same (a reprint, a shard) answer the same: try different ones
                sig = _signature(b)
                if sig in tried:
                    continue
                if len(tried) == rules.per_event:
                    break
                tried.add(sig)
                ok, rule, score = compare(a, b, rules)
                pending.append((a, b, rule, score))
                if ok:
                    out[root] = (score, b)
                    break
        return out

    anchors = _anchors(ordered)
    blocks: dict[EventType, list[EventMention]] = defaultdict(list)
    for m in ordered:
        blocks[m.event_type].append(m)
    for block in blocks.values():
        # dated reports, by date: each joins every event it fits among those filed under its days
        by_day: dict[date, list[EventMention]] = defaultdict(list)
        for a in sorted((m for m in block if m.start_date), key=lambda m: (m.start_date, m.mention_id)):
            reach = rules.report_lag_days if _report_rule(a) else rules.date_slack_days
            seen: dict[str, EventMention] = {}
            for day in _days(a.start_date - timedelta(days=reach), a.end_date + timedelta(days=rules.date_slack_days)):
                for b in by_day.get(day, ()):
                    seen[b.mention_id] = b
            found = fits(a, [seen[k] for k in sorted(seen)])
            # it joins every event it fits (two halves of one event become one), the best first;
            # an announcement that does not say it will be a call is of a meeting first (calls are
            # seldom announced, and a planned meeting is often talked of on the day of a call)
            def rank(r: str) -> tuple:
                score, b = found[r]
                call = a.status == Status.planned and a.medium == Medium.unknown and b.medium in (Medium.phone, Medium.video)
                return (call, -score, r)

            for root in sorted(found, key=rank):
                union(a.mention_id, root)
            # filed under every day it covers, so that a later report overlapping any of them finds it
            for day in _days(a.start_date, a.end_date):
                by_day[day].append(a)
        # an undated report joins only when exactly one candidate event fits it
        by_person: dict[str, list[EventMention]] = defaultdict(list)
        by_series: dict[str, list[EventMention]] = defaultdict(list)
        for m in block:
            if m.start_date is None:
                continue   # two undated reports are not an event for each other to join
            for pid in sorted({pid for _, pid in m.people}):
                by_person[pid].append(m)
            if m.series:
                by_series[m.series].append(m)
        dated_keys = {k: sorted(v, key=_date_key) for k, v in (*by_person.items(), *by_series.items())}
        index = {k: [_date_key(m) for m in v] for k, v in dated_keys.items()}
        for u in (m for m in block if not m.start_date):
            anchor = anchors.get(u.article_id)
            lo, hi = _window(u, rules, anchor)
            keys = [*sorted({pid for _, pid in u.people}), *([u.series] if u.series else [])]
            pool: dict[str, EventMention] = {}
            for k in keys:
                ms, ks = dated_keys.get(k, []), index.get(k, [])
                i = 0 if lo is None else bisect.bisect_left(ks, (lo.toordinal(), ""))
                j = len(ms) if hi is None else bisect.bisect_right(ks, (hi.toordinal(), "\uffff"))
                for o in ms[i:j]:          # inside the window already: only the month and day remain
                    if _on_month_day(u, o):
                        pool[o.mention_id] = o
            # it joins only when exactly one event fits: two found, the rest need not be tried
            found = fits(u, [pool[k] for k in sorted(pool)], near=hi, enough=2)
            if len(found) == 1:
                union(u.mention_id, next(iter(found)))
    for a, b, rule, score in pending:   # noted once all is settled: `merged` is the outcome
        note(a, b, rule, score)
    groups: dict[str, list] = defaultdict(list)
    for m in ordered:
        groups[find(m.mention_id)].append(given[m.mention_id])
    return sorted(groups.values(), key=lambda g: g[0].mention_id)


def _signature(m: MentionKey) -> tuple:
    """What `compare` reads of a report besides its article (the document name is in the title)."""
    return (m.event_type, m.medium, m.status, m.series, m.start_date, m.end_date, m.date_precision, m.date_rule,
            m.title, m.people)


def _report_rule(m: MentionKey) -> bool:
    return (m.date_rule or "").startswith(("card_", "publication_date"))


def _date_key(m: MentionKey) -> tuple[int, str]:
    return (m.start_date.toordinal() if m.start_date else 0, m.mention_id)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _anchors(mentions: list[MentionKey]) -> dict[str, date]:
    """For each article without a date of its own, the latest day its dated reports name (an
    aggregator page is at least as recent as the newest card it quotes)."""
    out: dict[str, date] = {}
    for m in mentions:
        if m.published_at is None and m.start_date is not None and m.date_precision == DatePrecision.day:
            out[m.article_id] = max(out.get(m.article_id, m.end_date), m.end_date)
    return out


def _best(ms: list[EventMention], site_kind) -> EventMention:
    """The mention whose values win: most precise date, official over reprint over aggregator,
    the event's own report over a passing reference, then the most confident."""
    return min(ms, key=lambda m: (-_PRECISION[m.date_precision], bool(m.date_rule and m.date_rule.startswith(("card_", "publication_date"))),
                                  _SITE_RANK.get(site_kind(m), 2),
                                  not m.is_primary, -m.confidence, m.mention_id))


_TYPE_TITLE = {
    EventType.summit: ("日米首脳会談", "Japan–US summit"),
    EventType.ministerial_2plus2: ("日米安全保障協議委員会(「2+2」)", "Japan–US Security Consultative Committee (2+2)"),
    EventType.defense_ministers_meeting: ("日米防衛相会談", "Japan–US defense ministers' meeting"),
    EventType.foreign_ministers_meeting: ("日米外相会談", "Japan–US foreign ministers' meeting"),
    EventType.working_level_dialogue: ("日米実務者協議", "Japan–US working-level dialogue"),
    EventType.visit: ("訪問", "Visit"),
    EventType.document_release: ("文書発表", "Document release"),
    EventType.exercise: ("共同演習", "Joint exercise"),
    EventType.other: ("その他", "Other event"),
}
_SERIES_TITLE = {
    "edd": ("日米拡大抑止協議(EDD)", "Japan–US Extended Deterrence Dialogue (EDD)"),
    "dicas": ("日米防衛産業協力・取得・維持整備定期協議(DICAS)", "Japan–US DICAS"),
    "edm": ("日米拡大抑止に関する閣僚会合", "Japan–US Extended Deterrence Ministerial"),
}


def _titles(best: EventMention, ms: list[EventMention], people: list[Participant]) -> tuple[str, str]:
    ja, en = _SERIES_TITLE.get(best.series or "", _TYPE_TITLE[best.event_type])
    if best.event_type in (EventType.document_release, EventType.exercise, EventType.other, EventType.visit):
        ja = next((m.title for m in ms if m.title and m.site is not None), best.title or ja)
        ja = best.title or ja
    if best.medium == Medium.phone and best.event_type != EventType.document_release:
        ja, en = ja.replace("会談", "電話会談"), en.replace("meeting", "phone call").replace("summit", "phone call")
    names = [p.name_en.split()[-1] for p in people if p.name_en][:4]
    if names and best.event_type != EventType.document_release:
        en = f"{en} ({'–'.join(names)})"
    return ja, en


def event_key(best: MentionKey | EventMention, ms: list[MentionKey] | list[EventMention]) -> str:
    """The event's natural key: what it is and when. It does not depend on which articles
    reported it or in what order they arrived, so another report of the same event keeps it;
    a report that makes the date more precise re-keys it (the old id then redirects)."""
    best, ms = key_of(best), [key_of(m) for m in ms]
    media = sorted({m.medium.value for m in ms if m.medium != Medium.unknown})
    if best.start_date is None:
        # an undated event has no 'when': who took part, and its first report, anchor it
        people = sorted({k for m in ms for k in m.person_keys})
        return content_id(best.event_type.value, best.series, *media, *people, min(m.mention_id for m in ms))
    return content_id(best.event_type.value, best.series, *media, best.start_date, best.end_date)


def plan(keys: list[MentionKey], site_kind=lambda m: None, rules: Rules = RULES) -> Plan:
    """Cluster the reports and name each event, from their keys alone (`merge` then builds each
    event's rows from its full records)."""
    events: list[tuple[str, list[str]]] = []
    assignment: dict[str, str] = {}
    decisions: list[Decision] = []
    used: set[str] = set()
    for ms in sorted(cluster(keys, rules, decisions), key=lambda ms: min(m.mention_id for m in ms)):
        best = _best(ms, site_kind)
        day = best.start_date.isoformat() if best.start_date else "undated"
        event_id = f"{day}-{best.event_type.value.replace('_', '-')}-{event_key(best, ms)[:8]}"
        if event_id in used:  # two events with one natural key: tell them apart by their first report
            event_id = f"{event_id}-{min(m.mention_id for m in ms)[:6]}"
        used.add(event_id)
        for m in ms:
            assignment[m.mention_id] = event_id
        events.append((event_id, sorted(m.mention_id for m in ms)))
    return Plan(events, assignment, sorted(decisions, key=lambda d: (d.record_a, d.record_b)),
                {k.mention_id: k.article_id for k in keys})


def merge(event_id: str, ms: list[EventMention], site_kind=lambda m: None) -> tuple[Meeting, list[Participant], list[Outcome]]:
    """One event's Meeting, Participants and Outcomes from its reports (sorted by mention id)."""
    best = _best(ms, site_kind)
    people = _merge_people(event_id, ms)
    title_ja, title_en = _titles(best, ms, people)
    statuses = {m.status for m in ms}
    status = next((st for st in (Status.held, Status.cancelled, Status.planned) if st in statuses), best.status)
    media = Counter(m.medium for m in ms if m.medium != Medium.unknown)
    medium = media.most_common(1)[0][0] if media else (
        Medium.unknown if best.event_type == EventType.document_release else Medium.in_person)
    sites = {m.site or m.article_id for m in ms}
    # the series most of its reports name (ties: the alphabetically first)
    named = Counter(m.series for m in ms if m.series is not None)
    meeting = Meeting(
        event_id=event_id, event_type=best.event_type, medium=medium, status=status,
        title_ja=title_ja, title_en=title_en,
        start_date=best.start_date, end_date=best.end_date, date_precision=best.date_precision,
        start_time=best.start_time or next((m.start_time for m in ms if m.start_time and m.start_date == best.start_date), None),
        duration_minutes=best.duration_minutes or next((m.duration_minutes for m in ms if m.duration_minutes), None),
        location=best.location or next((m.location for m in ms if m.location), None),
        n_mentions=sum(1 + len(m.supporting) for m in ms),
        n_articles=len({m.article_id for m in ms}),
        n_sources=len(sites),
        confidence=round(min(1.0, max(m.confidence for m in ms) + 0.05 * (len(ms) - 1)), 3),
        series=min(named, key=lambda x: (-named[x], x)) if named else None,
    )
    return meeting, people, _merge_outcomes(event_id, ms)


def dedupe(mentions: list[EventMention], site_kind=lambda m: None, rules: Rules = RULES) -> Events:
    """Cluster the mentions and merge each cluster into a Meeting, Participants and Outcomes."""
    by_id = {m.mention_id: m for m in mentions}
    p = plan([key_of(m) for m in by_id.values()], site_kind, rules)
    meetings, participants, outcomes = [], [], []
    for event_id, ids in p.events:
        meeting, people, outs = merge(event_id, [by_id[i] for i in ids], site_kind)
        meetings.append(meeting)
        participants.extend(people)
        outcomes.extend(outs)
    return Events(meetings, participants, outcomes, p.assignment, p.decisions)


def _merge_people(event_id: str, ms: list[EventMention]) -> list[Participant]:
    merged: dict[str, Participant] = {}
    support: dict[str, set[str]] = defaultdict(set)
    for m in sorted(ms, key=lambda m: m.mention_id):
        for p in m.participants:
            key = p.key
            support[key].add(m.article_id)
            old = merged.get(key)
            if old is None:
                merged[key] = Participant(
                    event_id=event_id, person_key=key, person_id=p.person_id, name_ja=p.name_ja,
                    name_en=p.name_en, title=p.title, organization=p.organization, country=p.country,
                    role=p.role, article_id=p.span.article_id, char_start=p.span.char_start,
                    char_end=p.span.char_end, rule=p.span.rule, n_articles=1,
                )
            else:
                update = {}
                if old.role == Role.attendee and p.role != Role.attendee:
                    update["role"] = p.role
                for f in ("name_ja", "name_en", "title", "organization", "country"):
                    if getattr(old, f) is None and getattr(p, f) is not None:
                        update[f] = getattr(p, f)
                if update:
                    merged[key] = old.model_copy(update=update)
    return [p.model_copy(update={"n_articles": len(support[k])}) for k, p in sorted(merged.items())]


def _merge_outcomes(event_id: str, ms: list[EventMention]) -> list[Outcome]:
    out: dict[str, Outcome] = {}
    for m in ms:
        for o in m.outcomes:
            oid = content_id(event_id, o.span.article_id, o.span.char_start, o.span.char_end, o.kind.value)
            out[oid] = Outcome(
                outcome_id=oid, event_id=event_id, kind=o.kind, text=o.span.text, topics=o.topics,
                article_id=o.span.article_id, char_start=o.span.char_start, char_end=o.span.char_end,
                rule=o.span.rule,
            )
    return [out[k] for k in sorted(out)]
