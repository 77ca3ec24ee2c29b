"""The peers `make bench` measures our extractor against, on the same articles.

* ``ginza``      – a GiNZA (``ja_ginza``) spaCy pipeline over every article: what a user reaching
                   for a standard Japanese NLP model runs. People are its ``Person`` entities;
                   dates are its ``Date`` entities resolved by ``dateparser.parse`` against the
                   page's publication date (the keyword + GiNZA + dateparser coder of
                   shared/docs/design.md).
* ``dateparser`` – ``dateparser.search_dates`` over every article (languages ja, en; relative
                   base = publication date): how existing event coders resolve dates. No people.
* ``ja_timex``   – ``ja_timex.TimexParser`` (reference = publication date) over every article;
                   its DATE expressions. No people.

Each peer is optional: one that cannot be imported is reported ``available: false`` with the
reason, never a failure. Accuracy, on the development sets (a gold file and its articles):

* ``dates``        = share of core gold events with a start date whose start date is among the
                     dates the peer finds in the articles that report the event;
* ``participants`` = share of the required participants of those core events that the peer
                     finds as a person in those articles (names compared as timeline.evaluate
                     does: Japanese without spaces and middle dots, English as a set of tokens).

Ours is scored twice: leniently by the same two definitions (the dates and people of every
mention we extract from the article), and strictly by ``timeline.evaluate`` (``date_exact``,
``participant_recall``: the right date and people on the right event).
"""

from __future__ import annotations

import time
import warnings
from datetime import date, datetime, timezone
from pathlib import Path

PEERS = ("ginza", "dateparser", "ja_timex")


class Peer:
    name = ""
    people = False

    def __init__(self) -> None:
        self.load_s = 0.0

    def analyse(self, text: str, published: datetime | None) -> tuple[set[date], set[str]]:
        raise NotImplementedError


class GinzaPeer(Peer):
    name, people = "ginza", True

    def __init__(self) -> None:
        super().__init__()
        t = time.perf_counter()
        import spacy

        self.nlp = spacy.load("ja_ginza")
        self.load_s = time.perf_counter() - t

    def analyse(self, text, published):
        import dateparser

        doc = self.nlp(text)
        days: set[date] = set()
        people: set[str] = set()
        settings = {"RELATIVE_BASE": published.replace(tzinfo=None)} if published else {}
        for ent in doc.ents:
            if ent.label_ == "Person":
                people.add(ent.text)
            elif ent.label_ == "Date":
                try:
                    got = dateparser.parse(ent.text, languages=["ja", "en"], settings=settings)
                except Exception:
                    got = None
                if got is not None:
                    days.add(got.date())
        return days, people


class DateparserPeer(Peer):
    name = "dateparser"

    def __init__(self) -> None:
        super().__init__()
        t = time.perf_counter()
        from dateparser.search import search_dates

        self.search_dates = search_dates
        self.search_dates("2024年7月28日", languages=["ja", "en"])     # load the language data
        self.load_s = time.perf_counter() - t

    def analyse(self, text, published):
        settings = {"RELATIVE_BASE": published.replace(tzinfo=None)} if published else {}
        try:
            found = self.search_dates(text, languages=["ja", "en"], settings=settings) or []
        except Exception:
            found = []
        return {d.date() for _, d in found}, set()


class TimexPeer(Peer):
    name = "ja_timex"

    def __init__(self) -> None:
        super().__init__()
        t = time.perf_counter()
        from ja_timex import TimexParser

        self.cls = TimexParser
        self.load_s = time.perf_counter() - t

    def analyse(self, text, published):
        import pendulum

        ref = pendulum.instance(published) if published else None
        days: set[date] = set()
        try:
            found = self.cls(reference=ref).parse(text)
        except Exception:
            found = []
        for t in found:
            if t.type != "DATE":
                continue
            try:
                got = t.to_datetime()
            except Exception:
                got = None
            if got is not None:
                days.add(got.date())
        return days, set()


_CLASSES = {"ginza": GinzaPeer, "dateparser": DateparserPeer, "ja_timex": TimexPeer}


def load_peer(name: str) -> tuple[Peer | None, str | None]:
    """(peer, None) or (None, why it is unavailable)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _CLASSES[name](), None
    except Exception as exc:
        return None, f"{type(exc).__name__}: {str(exc)[:300]}"


def versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for dist in ("ginza", "ja-ginza", "spacy", "sudachipy", "sudachidict-core", "dateparser", "ja-timex", "pendulum"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


# --------------------------------------------------------------------------- speed

def timed(peer: Peer, articles: list, budget_s: float) -> dict:
    """Run the peer over `articles` in order until `budget_s` is spent; per-article seconds."""
    per: list[float] = []
    chars = 0
    start = time.perf_counter()
    for a in articles:
        t = time.perf_counter()
        peer.analyse(a.text, a.published_at)
        per.append(time.perf_counter() - t)
        chars += len(a.text)
        if time.perf_counter() - start >= budget_s:
            break
    total = sum(per)
    return {"articles": len(per), "seconds": round(total, 3), "chars": chars,
            "s_per_article": total / len(per) if per else None,
            "chars_per_s": chars / total if total else None, "per_article": per}


# --------------------------------------------------------------------------- accuracy

def _same_person(gp: dict, name_ja: str | None, name_en: str | None) -> bool:
    from timeline.evaluate import _same_person as same

    return same(gp, name_ja, name_en)


def gold_sets(root: Path) -> list[tuple[str, Path, Path]]:
    """(name, articles folder, gold file) of every development set present."""
    sets = [("dev", root / "tests/fixtures/dev/articles", root / "tests/fixtures/dev/dev.gold.json"),
            ("dev2", root / "tests/fixtures/dev2/articles", root / "tests/fixtures/dev2/dev2.gold.json"),
            ("seeds", root / "seeds/articles", root.parent / "shared/gold/seeds.gold.json")]
    return [s for s in sets if s[1].is_dir() and s[2].is_file()]


def read_articles(folder: Path) -> dict[str, object]:
    """file name → Article, as our ingest stores it (peers read the same text)."""
    from timeline.ingest import ingest_file

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    out = {}
    for p in sorted(folder.iterdir()):
        got = ingest_file(p, now, root=folder)
        if hasattr(got, "text"):
            out[p.name] = got
    return out


def lenient_scores(gold: dict, found: dict[str, tuple[set[date], set[tuple[str | None, str | None]]]],
                   people: bool = True) -> dict:
    """`found[file]` = (dates, names as (name_ja, name_en)) the system finds in that article."""
    d_n = d_total = p_n = p_total = 0
    for ev in gold["events"]:
        if not ev.get("core") or not ev.get("start_date"):
            continue
        files = {m["file"] for m in ev.get("mentions", [])}
        days = set().union(*(found.get(f, (set(), set()))[0] for f in files)) if files else set()
        names = set().union(*(found.get(f, (set(), set()))[1] for f in files)) if files else set()
        d_total += 1
        d_n += date.fromisoformat(str(ev["start_date"])[:10]) in days
        for gp in ev.get("participants", []):
            if gp.get("optional"):
                continue
            p_total += 1
            p_n += any(_same_person(gp, ja, en) for ja, en in names)
    return {"dates_n": d_n, "dates_total": d_total, "participants_n": p_n if people else None,
            "participants_total": p_total}


def peer_found(peer: Peer, articles: dict) -> dict:
    out = {}
    for name, a in articles.items():
        days, people = peer.analyse(a.text, a.published_at)
        out[name] = (days, {(p, p) for p in people})
    return out


def ours_found(articles: dict) -> dict:
    from timeline.extract import extract

    out = {}
    for name, a in articles.items():
        days: set[date] = set()
        names: set[tuple[str | None, str | None]] = set()
        try:
            mentions = extract(a)
        except Exception:
            mentions = []
        for m in mentions:
            days.update(d for d in (m.start_date, m.end_date) if d is not None)
            names.update((p.name_ja, p.name_en) for p in m.participants)
        out[name] = (days, names)
    return out


def ours_strict(folder: Path, gold_path: Path, work: Path) -> dict:
    """timeline.evaluate on a warehouse built from the folder by the stage functions."""
    import duckdb

    from timeline.dedupe import dedupe
    from timeline.evaluate import evaluate
    from timeline.ingest import ingest_all
    from timeline.validate import extract_all
    from warehouse.load import load

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "timeline.duckdb"
    for p in work.glob("timeline.duckdb*"):
        p.unlink()
    ing = ingest_all(folder, now)
    mentions, rejects = extract_all(ing.articles, now)
    con = duckdb.connect(str(db))
    try:
        load(con, ing.articles, mentions, dedupe(mentions), ing.rejects + rejects, sources=ing.sources)
    finally:
        con.close()
    m = evaluate(db, gold_path)
    return {k: m.get(k) for k in ("date_exact", "date_exact_n", "date_exact_total", "participant_recall",
                                  "participant_recall_n", "participant_recall_total", "event_recall")}
