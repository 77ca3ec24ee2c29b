"""Score a warehouse against a gold annotation file (format ``timeline-gold/1``).

The rules are those of ``shared/gold/README.md``; this module is their executable form.
Readings chosen where the README leaves room:

* **Articles** are tied by file name: gold ``file`` equals the last path component of
  ``articles.source_uri`` (a relative or absolute path, a Windows path or a URL; query and
  fragment of a URL are dropped, percent-escapes decoded).
* **Covers** (:func:`covers`): both strings are normalised (NFKC, all whitespace and
  ``・、。「」()`` removed); ``pred`` covers ``gold`` when it contains it, or when it is a
  substring of it at least half its (normalised) length. An empty string covers nothing.
* **Dates.** A prediction's missing ``end_date`` is its ``start_date``; a prediction with no
  ``start_date`` has no date. A dated gold event is compatible with ``[start, end]`` inside
  ``[gold_start - 1 day, gold_end + 1 day]``. An undated gold event agrees with a null date,
  or with ``[start, end]`` inside ``date_window`` (inclusive, no slack: the window is
  already a range); with neither it agrees only with a null date.
* **Eligibility** (a pair may be matched): the prediction has a mention in one of the gold
  event's articles, and either its evidence overlaps (some mention evidence covers a gold
  mention evidence of the same file), or - for a core gold event with a ``start_date``
  only - the date is compatible and a participant is shared (optional gold participants
  count here: they identify the event) or the ``event_type`` is equal.
* **Pair score** (see :func:`_pair_score`): 2 for overlapping evidence + the share of gold
  mentions covered + 1 for date agreement + the share of gold participants found + 1 for an
  equal ``event_type`` + 0.001 when the gold event is core (a tie-break towards core events).
  The one-to-one assignment maximising the total is exact (Hungarian algorithm, run per
  connected component of the eligibility graph).
* **Duplicates**: an unmatched prediction eligible for a matched gold event is one
  ``duplicate_split`` (counted once however many gold events it fits) and a false positive.
  Every unmatched prediction is a false positive.
* **multi_source_merged**: the single predicted event must be the one matched to the gold
  event, and it must have a mention in every distinct article the gold event is quoted in.
* **date_exact** compares both ends as stored, null equal to null (an undated core gold
  event is exact only for a null prediction; a null predicted ``end_date`` does not equal a
  gold end date here, though matching reads it as the start). ``medium_exact`` skips gold ``medium`` null.
* **Participants and outcomes** are counted over all matched events (core or not), except
  ``outcome_precision_lower_bound``, which the README restricts to matched core events.
  A predicted participant is a true positive when it matches a required (non-optional) gold
  participant of its matched event, is ignored when it matches only optional ones, and is a
  false positive otherwise. ``name_ja`` is compared after NFKC with whitespace and middle
  dots removed; ``name_en`` as the sorted list of lower-case tokens (split on whitespace and
  commas).
* **negatives_extracted**: a ``not_events`` entry counts when the evidence of any
  ``mentions`` row in the same file covers its text, or its text covers that evidence.

Ratios with an empty denominator are ``None``. Each ratio ``X`` comes with its numerator and
denominator as ``X_n`` and ``X_total`` (event recall/precision use the ``n_*`` counts).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import duckdb

__all__ = [
    "GOLD_SCHEMA",
    "GoldError",
    "Predictions",
    "PredArticle",
    "PredMention",
    "PredMeeting",
    "PredParticipant",
    "PredOutcome",
    "covers",
    "normalise",
    "load_gold",
    "read_predictions",
    "score",
    "evaluate",
    "format_report",
]

GOLD_SCHEMA = "timeline-gold/1"

_REQUIRED_TOP = ("schema", "articles", "events")
_REQUIRED_EVENT = (
    "event_id", "event_type", "medium", "core", "status",
    "start_date", "end_date", "participants", "outcomes", "mentions",
)
_REQUIRED_MENTION = ("file", "evidence")
_REQUIRED_OUTCOME = ("kind", "key")
_REQUIRED_NOT_EVENT = ("file", "text")

# Punctuation that differs between a sentence as quoted and as sliced; NFKC has already
# turned full-width parentheses into ASCII ones, so the ASCII pair is what is removed.
_STRIP_CHARS = "・、。「」()"
_STRIP_RE = re.compile(r"[\s" + re.escape(_STRIP_CHARS) + r"]+")
# Middle dots separate given and family names in katakana renderings of foreign names.
_NAME_JA_STRIP_RE = re.compile(r"[\s・·]+")
_NAME_EN_SPLIT_RE = re.compile(r"[\s,]+")

# Pair-score weights (see module docstring).
_W_EVIDENCE = 2.0
_W_DATE = 1.0
_W_TYPE = 1.0
_CORE_TIE_BREAK = 1e-3
_DATE_SLACK = timedelta(days=1)


class GoldError(ValueError):
    """A gold file that cannot be used: missing, not JSON, wrong schema or shape."""


# ---------------------------------------------------------------------------- predictions


@dataclass(frozen=True)
class PredArticle:
    article_id: str
    source_uri: str
    file: str  # last path component of source_uri
    language: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class PredMention:
    mention_id: str
    article_id: str
    file: str | None  # None when the article is missing from `articles`
    event_id: str
    evidence: str


@dataclass(frozen=True)
class PredMeeting:
    event_id: str
    event_type: str
    medium: str
    status: str
    start_date: date | None
    end_date: date | None
    date_precision: str | None = None
    title_ja: str | None = None
    title_en: str | None = None


@dataclass(frozen=True)
class PredParticipant:
    event_id: str
    person_key: str
    name_ja: str | None
    name_en: str | None


@dataclass(frozen=True)
class PredOutcome:
    outcome_id: str
    event_id: str
    kind: str
    text: str


@dataclass
class Predictions:
    """The warehouse tables the scorer needs, as plain records."""

    articles: list[PredArticle] = field(default_factory=list)
    meetings: list[PredMeeting] = field(default_factory=list)
    mentions: list[PredMention] = field(default_factory=list)
    participants: list[PredParticipant] = field(default_factory=list)
    outcomes: list[PredOutcome] = field(default_factory=list)

    def mentions_of(self, event_id: str) -> list[PredMention]:
        return [m for m in self.mentions if m.event_id == event_id]


# ------------------------------------------------------------------------------- helpers


def normalise(text: str | None) -> str:
    """NFKC, then drop all whitespace and ``・、。「」()``."""
    if not text:
        return ""
    return _STRIP_RE.sub("", unicodedata.normalize("NFKC", text))


def covers(pred: str | None, gold: str | None) -> bool:
    """``pred`` contains ``gold``, or is a part of it at least half its length (normalised)."""
    p, g = normalise(pred), normalise(gold)
    if not p or not g:
        return False
    return g in p or (p in g and 2 * len(p) >= len(g))


def _file_of(source_uri: str) -> str:
    """Last path component of a path or URL."""
    s = source_uri.strip()
    if "://" in s:
        s = unquote(urlsplit(s).path)
    parts = [p for p in re.split(r"[/\\]", s) if p]
    return parts[-1] if parts else s


def _name_ja_key(name: str | None) -> str:
    if not name:
        return ""
    return _NAME_JA_STRIP_RE.sub("", unicodedata.normalize("NFKC", name))


def _name_en_key(name: str | None) -> tuple[str, ...]:
    if not name:
        return ()
    tokens = _NAME_EN_SPLIT_RE.split(unicodedata.normalize("NFKC", name).lower())
    return tuple(sorted(t for t in tokens if t))


def _same_person(gold_p: dict, name_ja: str | None, name_en: str | None) -> bool:
    gj, pj = _name_ja_key(gold_p.get("name_ja")), _name_ja_key(name_ja)
    if gj and gj == pj:
        return True
    ge, pe = _name_en_key(gold_p.get("name_en")), _name_en_key(name_en)
    return bool(ge) and ge == pe


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


# ------------------------------------------------------------------------------ load_gold


def load_gold(path: str | Path) -> dict:
    """Read and validate a gold file; raise :class:`GoldError` with a one-line message."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GoldError(f"gold file not found: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"gold file unreadable: {p}: {exc}") from None
    try:
        gold = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldError(f"gold file is not JSON: {p}: line {exc.lineno}: {exc.msg}") from None
    _validate_gold(gold, p)
    return gold


def _validate_gold(gold: Any, p: Path) -> None:
    if not isinstance(gold, dict):
        raise GoldError(f"gold file is not a JSON object: {p}")
    if gold.get("schema") != GOLD_SCHEMA:
        raise GoldError(f"gold file {p}: schema is {gold.get('schema')!r}, expected {GOLD_SCHEMA!r}")
    for key in _REQUIRED_TOP:
        if key not in gold:
            raise GoldError(f"gold file {p}: missing key {key!r}")
    for key in ("articles", "events", "not_events"):
        if not isinstance(gold.get(key, []), list):
            raise GoldError(f"gold file {p}: {key!r} must be a list")
    seen: set[str] = set()
    for i, ev in enumerate(gold["events"]):
        where = f"events[{i}]"
        if not isinstance(ev, dict):
            raise GoldError(f"gold file {p}: {where} is not an object")
        _require(ev, _REQUIRED_EVENT, p, where)
        where = f"events[{i}] ({ev['event_id']})"
        if ev["event_id"] in seen:
            raise GoldError(f"gold file {p}: {where}: duplicate event_id")
        seen.add(ev["event_id"])
        for sub, req in (("mentions", _REQUIRED_MENTION), ("outcomes", _REQUIRED_OUTCOME)):
            if not isinstance(ev[sub], list):
                raise GoldError(f"gold file {p}: {where}: {sub!r} must be a list")
            for j, item in enumerate(ev[sub]):
                _require(item, req, p, f"{where}.{sub}[{j}]")
        if not ev["mentions"]:
            raise GoldError(f"gold file {p}: {where}: no mentions")
        if not isinstance(ev["participants"], list):
            raise GoldError(f"gold file {p}: {where}: 'participants' must be a list")
        for j, part in enumerate(ev["participants"]):
            if not isinstance(part, dict) or not (part.get("name_ja") or part.get("name_en")):
                raise GoldError(f"gold file {p}: {where}.participants[{j}]: needs name_ja or name_en")
        for key in ("start_date", "end_date"):
            try:
                _as_date(ev[key])
            except ValueError:
                raise GoldError(f"gold file {p}: {where}: bad {key} {ev[key]!r}") from None
        window = ev.get("date_window")
        if window is not None:
            try:
                ok = isinstance(window, list) and len(window) == 2 and all(_as_date(w) for w in window)
            except ValueError:
                ok = False
            if not ok:
                raise GoldError(f"gold file {p}: {where}: date_window must be [start, end]")
    for i, ne in enumerate(gold.get("not_events", [])):
        _require(ne, _REQUIRED_NOT_EVENT, p, f"not_events[{i}]")


def _require(obj: Any, keys: tuple[str, ...], p: Path, where: str) -> None:
    if not isinstance(obj, dict):
        raise GoldError(f"gold file {p}: {where} is not an object")
    for key in keys:
        if key not in obj:
            raise GoldError(f"gold file {p}: {where}: missing key {key!r}")


# ----------------------------------------------------------------------- read_predictions


def read_predictions(con: duckdb.DuckDBPyConnection) -> Predictions:
    """Read articles, meetings, mentions, participants and outcomes into plain records."""
    articles = [
        PredArticle(article_id=a, source_uri=u, file=_file_of(u), language=lang, site=site)
        for a, u, lang, site in con.execute(
            "SELECT article_id, source_uri, language, site FROM articles ORDER BY article_id"
        ).fetchall()
    ]
    file_of = {a.article_id: a.file for a in articles}
    mentions = [
        PredMention(mention_id=m, article_id=a, file=file_of.get(a), event_id=e, evidence=ev)
        for m, a, e, ev in con.execute(
            "SELECT mention_id, article_id, event_id, evidence FROM mentions ORDER BY mention_id"
        ).fetchall()
    ]
    meetings = [
        PredMeeting(*row)
        for row in con.execute(
            "SELECT event_id, event_type, medium, status, start_date, end_date, date_precision,"
            " title_ja, title_en FROM meetings ORDER BY event_id"
        ).fetchall()
    ]
    participants = [
        PredParticipant(*row)
        for row in con.execute(
            "SELECT event_id, person_key, name_ja, name_en FROM participants"
            " ORDER BY event_id, person_key"
        ).fetchall()
    ]
    outcomes = [
        PredOutcome(*row)
        for row in con.execute(
            "SELECT outcome_id, event_id, kind, text FROM outcomes ORDER BY outcome_id"
        ).fetchall()
    ]
    return Predictions(articles, meetings, mentions, participants, outcomes)


# --------------------------------------------------------------------------------- score


@dataclass
class _Pred:
    """One predicted event with what matching needs."""

    meeting: PredMeeting
    evidence_by_file: dict[str, list[str]]
    participants: list[PredParticipant]
    outcomes: list[PredOutcome]

    @property
    def event_id(self) -> str:
        return self.meeting.event_id


@dataclass
class _Pair:
    eligible: bool
    score: float
    evidence_overlap: bool
    date_agrees: bool


def score(gold: dict, pred: Predictions) -> dict[str, Any]:
    """Compare predictions with a gold annotation; return a flat dict of metrics."""
    events: list[dict] = gold.get("events", [])
    preds = _group_predictions(pred)

    # Compare: every gold event against every prediction.
    pairs = {(gi, pi): _pair(g, p) for gi, g in enumerate(events) for pi, p in enumerate(preds)}
    eligible = {k: v for k, v in pairs.items() if v.eligible}

    # Assign: the one-to-one assignment maximising the total score.
    match = _assign(eligible)  # gold index -> pred index
    matched_preds = set(match.values())

    # Duplicates: further predictions that fit an already matched gold event.
    duplicates = [
        {"predicted": preds[pi].event_id,
         "gold": sorted(events[gi]["event_id"] for gi in match if (gi, pi) in eligible)}
        for pi in range(len(preds))
        if pi not in matched_preds and any((gi, pi) in eligible for gi in match)
    ]

    metrics: dict[str, Any] = {}
    metrics.update(_event_metrics(events, preds, match))
    metrics["duplicate_splits"] = len(duplicates)
    metrics["duplicate_predictions"] = duplicates
    metrics.update(_multi_source(events, preds, match))
    metrics.update(_attribute_metrics(events, preds, match))
    metrics.update(_participant_metrics(events, preds, match))
    metrics.update(_outcome_metrics(events, preds, match))
    metrics.update(_negatives(gold.get("not_events", []), pred.mentions))
    metrics["per_event"] = _per_event(events, preds, match, pairs)
    return metrics


def _group_predictions(pred: Predictions) -> list[_Pred]:
    ev_by_event: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for m in pred.mentions:
        if m.file is not None:
            ev_by_event[m.event_id][m.file].append(m.evidence)
    parts: dict[str, list[PredParticipant]] = defaultdict(list)
    for p in pred.participants:
        parts[p.event_id].append(p)
    outs: dict[str, list[PredOutcome]] = defaultdict(list)
    for o in pred.outcomes:
        outs[o.event_id].append(o)
    return [
        _Pred(mt, dict(ev_by_event.get(mt.event_id, {})), parts[mt.event_id], outs[mt.event_id])
        for mt in pred.meetings
    ]


def _pair(g: dict, p: _Pred) -> _Pair:
    no = _Pair(False, 0.0, False, False)
    gold_files = {m["file"] for m in g["mentions"]}
    if not gold_files & p.evidence_by_file.keys():
        return no
    covered = [
        any(covers(ev, m["evidence"]) for ev in p.evidence_by_file.get(m["file"], ()))
        for m in g["mentions"]
    ]
    overlap = any(covered)
    date_ok = _date_agrees(g, p.meeting)
    gold_parts = g.get("participants", [])
    found = [any(_same_person(gp, pp.name_ja, pp.name_en) for pp in p.participants) for gp in gold_parts]
    same_type = g.get("event_type") == p.meeting.event_type
    dated_core = bool(g.get("core")) and _as_date(g.get("start_date")) is not None
    if not (overlap or (dated_core and date_ok and (any(found) or same_type))):
        return no
    total = (
        _W_EVIDENCE * overlap
        + sum(covered) / len(covered)
        + _W_DATE * date_ok
        + (sum(found) / len(found) if found else 0.0)
        + _W_TYPE * same_type
        + _CORE_TIE_BREAK * bool(g.get("core"))
    )
    return _Pair(True, total, overlap, date_ok)


def _date_agrees(g: dict, mt: PredMeeting) -> bool:
    ps = _as_date(mt.start_date)
    pe = _as_date(mt.end_date) or ps
    gs = _as_date(g.get("start_date"))
    if gs is not None:
        ge = _as_date(g.get("end_date")) or gs
        return ps is not None and gs - _DATE_SLACK <= ps and pe <= ge + _DATE_SLACK and ps <= pe
    if ps is None:
        return True
    window = g.get("date_window")
    if not window:
        return False
    ws, we = _as_date(window[0]), _as_date(window[1])
    return ws <= ps and pe <= we and ps <= pe


def _assign(eligible: dict[tuple[int, int], _Pair]) -> dict[int, int]:
    """Exact maximum-weight one-to-one assignment, per connected component."""
    adj: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
    for gi, pi in eligible:
        adj[("g", gi)].add(("p", pi))
        adj[("p", pi)].add(("g", gi))
    seen: set[tuple[str, int]] = set()
    match: dict[int, int] = {}
    for start in sorted(adj):
        if start in seen:
            continue
        comp, stack = [], [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            comp.append(node)
            for nxt in adj[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        gs = sorted(i for kind, i in comp if kind == "g")
        ps = sorted(i for kind, i in comp if kind == "p")
        weights = [[eligible[(gi, pi)].score if (gi, pi) in eligible else 0.0 for pi in ps] for gi in gs]
        for r, c in _max_weight_assignment(weights):
            if (gs[r], ps[c]) in eligible:
                match[gs[r]] = ps[c]
    return match


def _max_weight_assignment(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Hungarian algorithm (Kuhn-Munkres, O(n^3)) maximising the sum of non-negative weights.

    The matrix is padded square with zeros, so rows or columns may stay effectively unmatched.
    Returns (row, column) pairs inside the original matrix.
    """
    n_rows = len(weights)
    n_cols = len(weights[0]) if n_rows else 0
    n = max(n_rows, n_cols)
    if n == 0:
        return []
    top = max((w for row in weights for w in row), default=0.0)
    cost = [[top - (weights[i][j] if i < n_rows and j < n_cols else 0.0) for j in range(n)] for i in range(n)]
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    owner = [0] * (n + 1)  # owner[j]: row (1-based) assigned to column j
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while True:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
            if j0 == 0:
                break
    return [
        (owner[j] - 1, j - 1)
        for j in range(1, n + 1)
        if owner[j] and owner[j] - 1 < n_rows and j - 1 < n_cols
    ]


def _event_metrics(events: list[dict], preds: list[_Pred], match: dict[int, int]) -> dict[str, Any]:
    core = [gi for gi, g in enumerate(events) if g.get("core")]
    matched_core = [gi for gi in core if gi in match]
    matched_preds = set(match.values())
    return {
        "event_recall": _ratio(len(matched_core), len(core)),
        "event_precision": _ratio(len(match), len(preds)),
        "n_gold_core": len(core),
        "n_gold_events": len(events),
        "n_predictions": len(preds),
        "n_matched": len(match),
        "n_matched_core": len(matched_core),
        "unmatched_core": [events[gi]["event_id"] for gi in core if gi not in match],
        "false_positives": [p.event_id for pi, p in enumerate(preds) if pi not in matched_preds],
    }


def _multi_source(events: list[dict], preds: list[_Pred], match: dict[int, int]) -> dict[str, Any]:
    multi = [gi for gi, g in enumerate(events)
             if g.get("core") and len({m["file"] for m in g["mentions"]}) >= 2]
    merged = [
        gi for gi in multi
        if gi in match and {m["file"] for m in events[gi]["mentions"]} <= preds[match[gi]].evidence_by_file.keys()
    ]
    return {
        "multi_source_merged": _ratio(len(merged), len(multi)),
        "multi_source_merged_n": len(merged),
        "multi_source_total": len(multi),
        "multi_source_unmerged": [events[gi]["event_id"] for gi in multi if gi not in merged],
    }


def _attribute_checks(g: dict, mt: PredMeeting) -> dict[str, bool | None]:
    return {
        "date": (_as_date(mt.start_date) == _as_date(g.get("start_date"))
                 and _as_date(mt.end_date) == _as_date(g.get("end_date"))),
        "type": mt.event_type == g.get("event_type"),
        "medium": None if g.get("medium") is None else mt.medium == g.get("medium"),
        "status": mt.status == g.get("status"),
    }


def _attribute_metrics(events: list[dict], preds: list[_Pred], match: dict[int, int]) -> dict[str, Any]:
    counts = {k: [0, 0] for k in ("date_exact", "type_exact", "medium_exact", "status_exact")}
    for gi, pi in match.items():
        g = events[gi]
        checks = _attribute_checks(g, preds[pi].meeting)
        wanted = {"status_exact": checks["status"]}
        if g.get("core"):
            wanted.update(date_exact=checks["date"], type_exact=checks["type"])
            if checks["medium"] is not None:
                wanted["medium_exact"] = checks["medium"]
        for key, ok in wanted.items():
            counts[key][0] += bool(ok)
            counts[key][1] += 1
    out: dict[str, Any] = {}
    for key, (num, den) in counts.items():
        out[key] = _ratio(num, den)
        out[f"{key}_n"] = num
        out[f"{key}_total"] = den
    return out


def _participant_metrics(events: list[dict], preds: list[_Pred], match: dict[int, int]) -> dict[str, Any]:
    found = required = tp = fp = 0
    for gi, pi in match.items():
        gold_parts = events[gi].get("participants", [])
        req = [gp for gp in gold_parts if not gp.get("optional")]
        opt = [gp for gp in gold_parts if gp.get("optional")]
        pparts = preds[pi].participants
        required += len(req)
        found += sum(any(_same_person(gp, pp.name_ja, pp.name_en) for pp in pparts) for gp in req)
        for pp in pparts:
            if any(_same_person(gp, pp.name_ja, pp.name_en) for gp in req):
                tp += 1
            elif not any(_same_person(gp, pp.name_ja, pp.name_en) for gp in opt):
                fp += 1
    return {
        "participant_recall": _ratio(found, required),
        "participant_recall_n": found,
        "participant_recall_total": required,
        "participant_precision": _ratio(tp, tp + fp),
        "participant_precision_n": tp,
        "participant_precision_total": tp + fp,
    }


def _outcome_metrics(events: list[dict], preds: list[_Pred], match: dict[int, int]) -> dict[str, Any]:
    total = found = kind_ok = 0
    prec_n = prec_total = 0
    for gi, pi in match.items():
        g, pouts = events[gi], preds[pi].outcomes
        for go in g.get("outcomes", []):
            total += 1
            covering = [o for o in pouts if covers(o.text, go["key"])]
            if covering:
                found += 1
                kind_ok += {o.kind for o in covering} == {go["kind"]}
        if g.get("core"):
            keys = [go["key"] for go in g.get("outcomes", [])]
            prec_total += len(pouts)
            prec_n += sum(any(covers(o.text, k) for k in keys) for o in pouts)
    return {
        "outcome_recall": _ratio(found, total),
        "outcome_recall_n": found,
        "outcome_recall_total": total,
        "outcome_kind_exact": _ratio(kind_ok, found),
        "outcome_kind_exact_n": kind_ok,
        "outcome_kind_exact_total": found,
        "outcome_precision_lower_bound": _ratio(prec_n, prec_total),
        "outcome_precision_lower_bound_n": prec_n,
        "outcome_precision_lower_bound_total": prec_total,
    }


def _negatives(not_events: list[dict], mentions: list[PredMention]) -> dict[str, Any]:
    by_file: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        if m.file is not None:
            by_file[m.file].append(m.evidence)
    hits = [
        ne["text"] for ne in not_events
        if any(covers(ev, ne["text"]) or covers(ne["text"], ev) for ev in by_file.get(ne["file"], ()))
    ]
    return {"negatives_extracted": len(hits), "negatives_extracted_texts": hits}


def _per_event(
    events: list[dict], preds: list[_Pred], match: dict[int, int], pairs: dict[tuple[int, int], _Pair]
) -> list[dict[str, Any]]:
    rows = []
    for gi, g in enumerate(events):
        row: dict[str, Any] = {"gold": g["event_id"], "core": bool(g.get("core")), "predicted": None}
        pi = match.get(gi)
        if pi is not None:
            p = preds[pi]
            pair = pairs[(gi, pi)]
            row.update(predicted=p.event_id, score=round(pair.score, 3),
                       evidence_overlap=pair.evidence_overlap, date_agrees=pair.date_agrees)
            row.update({f"{k}_match": v for k, v in _attribute_checks(g, p.meeting).items()})
            names = [(gp.get("name_ja") or gp.get("name_en"),
                      any(_same_person(gp, pp.name_ja, pp.name_en) for pp in p.participants))
                     for gp in g.get("participants", []) if not gp.get("optional")]
            row["participants_found"] = [n for n, ok in names if ok]
            row["participants_missing"] = [n for n, ok in names if not ok]
            row["outcomes_missing"] = [go["key"] for go in g.get("outcomes", [])
                                       if not any(covers(o.text, go["key"]) for o in p.outcomes)]
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------ evaluate


def evaluate(warehouse: str | Path, gold_path: str | Path) -> dict[str, Any]:
    """Open the DuckDB warehouse read-only, read it and score it against the gold file."""
    gold = load_gold(gold_path)
    wh = Path(warehouse)
    if not wh.exists():
        raise FileNotFoundError(f"warehouse not found: {wh}")
    con = duckdb.connect(str(wh), read_only=True)
    try:
        pred = read_predictions(con)
    finally:
        con.close()
    return score(gold, pred)


# ------------------------------------------------------------------------- format_report

# (metric, numerator key, denominator key); None keys: a plain count.
_REPORT_ROWS: list[tuple[str, str | None, str | None]] = [
    ("event_recall", "n_matched_core", "n_gold_core"),
    ("event_precision", "n_matched", "n_predictions"),
    ("multi_source_merged", "multi_source_merged_n", "multi_source_total"),
    ("duplicate_splits", None, None),
    ("date_exact", "date_exact_n", "date_exact_total"),
    ("type_exact", "type_exact_n", "type_exact_total"),
    ("medium_exact", "medium_exact_n", "medium_exact_total"),
    ("status_exact", "status_exact_n", "status_exact_total"),
    ("participant_recall", "participant_recall_n", "participant_recall_total"),
    ("participant_precision", "participant_precision_n", "participant_precision_total"),
    ("outcome_recall", "outcome_recall_n", "outcome_recall_total"),
    ("outcome_kind_exact", "outcome_kind_exact_n", "outcome_kind_exact_total"),
    ("outcome_precision_lower_bound", "outcome_precision_lower_bound_n", "outcome_precision_lower_bound_total"),
    ("negatives_extracted", None, None),
    ("n_gold_events", None, None),
    ("n_gold_core", None, None),
    ("n_predictions", None, None),
    ("n_matched", None, None),
]


def format_report(metrics: dict) -> str:
    """One line per metric: name, value (``n/a`` for an empty denominator), ``(num/den)``."""
    width = max(len(name) for name, _, _ in _REPORT_ROWS)
    lines = []
    for name, num_key, den_key in _REPORT_ROWS:
        if name not in metrics:
            continue
        value = metrics[name]
        if num_key is None:
            lines.append(f"{name:<{width}}  {value}")
            continue
        shown = "n/a" if value is None else f"{value:.3f}"
        lines.append(f"{name:<{width}}  {shown:>5}  ({metrics.get(num_key, '?')}/{metrics.get(den_key, '?')})")
    for key in ("unmatched_core", "false_positives"):
        if metrics.get(key):
            lines.append(f"{key}: {', '.join(metrics[key])}")
    return "\n".join(lines)


def _main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m timeline.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", help="DuckDB warehouse file")
    parser.add_argument("gold", help="gold annotation file (timeline-gold/1)")
    parser.add_argument("--json", action="store_true", help="print all metrics as JSON")
    args = parser.parse_args(argv)
    try:
        metrics = evaluate(args.warehouse, args.gold)
    except (GoldError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(metrics, ensure_ascii=False, indent=2) if args.json else format_report(metrics))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
