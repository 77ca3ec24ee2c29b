"""A static, offline timeline dashboard: one self-contained HTML file built from a snapshot.

The page (timeline/dashboard.html) carries its CSS and JavaScript inline and the data as JSON
in a <script type="application/json"> block; nothing is fetched. Article-derived text never
reaches the HTML parser: it is embedded with <, > and & escaped inside the JSON, and the script
renders it with textContent only. A Content-Security-Policy allows no network access and only
the page's own script (by hash).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import yaml

__all__ = ["dashboard_data", "render", "build_dashboard"]

_TEMPLATE = Path(__file__).resolve().with_name("dashboard.html")
_REFERENCE = Path(__file__).resolve().parents[1] / "seeds" / "reference"
_SERIES = {
    "ssc": ("日米安全保障協議委員会（2+2）", "Security Consultative Committee (2+2)"),
    "edd": ("日米拡大抑止協議（EDD）", "Extended Deterrence Dialogue (EDD)"),
    "dicas": ("日米防衛産業協力・取得・維持整備定期協議（DICAS）", "DICAS"),
    "edm": ("拡大抑止に関する閣僚会合", "Extended Deterrence Ministerial"),
    "wg": ("作業部会", "Working group"),
}


def _labels(name: str) -> dict[str, dict[str, str]]:
    path = _REFERENCE / f"{name}.yaml"
    if not path.exists():
        return {}
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {str(i["id"]): {"ja": i.get("label_ja") or str(i["id"]), "en": i.get("label_en") or str(i["id"])}
            for i in items}


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _iso(v):
    return None if v is None else v.isoformat()


def dashboard_data(con, snapshot: dict | None = None) -> dict:
    """Everything the page shows, from a connection to a snapshot (or any warehouse)."""
    events = _rows(con, """
        SELECT t.event_id, t.start_date, t.end_date, t.date_precision, t.event_type, t.medium, t.status,
               t.title_ja, t.title_en, t.location, t.n_outcomes, t.n_mentions, t.n_articles, t.n_sources,
               t.confidence, t.series, t.sites, t.article_ids, t.topics, m.start_time, m.duration_minutes,
               s.series_number
        FROM timeline t JOIN meetings m USING (event_id)
        LEFT JOIN meeting_series s USING (event_id)
        ORDER BY t.start_date NULLS LAST, t.event_type, t.event_id""")
    by_event: dict[str, dict] = {}
    for e in events:
        for k in ("start_date", "end_date", "start_time"):
            e[k] = _iso(e[k])
        e.update(participants=[], outcomes=[], evidence=[])
        by_event[e["event_id"]] = e
    for p in _rows(con, """SELECT event_id, person_key, person_id, name_ja, name_en, title, organization, country,
                                  role, article_id, char_start, char_end
                           FROM participants ORDER BY event_id, country NULLS LAST, person_key"""):
        by_event[p.pop("event_id")]["participants"].append(p)
    for o in _rows(con, """SELECT outcome_id, event_id, kind, text, topics, article_id, char_start, char_end
                           FROM outcomes ORDER BY event_id, article_id, char_start, outcome_id"""):
        by_event[o.pop("event_id")]["outcomes"].append(o)
    for x in _rows(con, """SELECT mention_id, event_id, article_id, evidence, char_start, char_end, is_main, rule
                           FROM mentions ORDER BY event_id, NOT is_main, article_id, char_start, mention_id"""):
        by_event[x.pop("event_id")]["evidence"].append(x)
    articles = {}
    for a in _rows(con, """SELECT article_id, source_uri, site, title, language, published_at, text
                           FROM articles
                           WHERE article_id IN (SELECT article_id FROM mentions UNION SELECT article_id FROM outcomes
                                                UNION SELECT article_id FROM participants)
                           ORDER BY article_id"""):
        a["published_at"] = _iso(a["published_at"])
        articles[a.pop("article_id")] = a
    return {
        "format": "timeline-dashboard/1",
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "snapshot": {k: (snapshot or {}).get(k) for k in ("stamp", "published_at")},
        "labels": {"types": _labels("event_types"), "topics": _labels("topics"),
                   "series": {k: {"ja": ja, "en": en} for k, (ja, en) in _SERIES.items()}},
        "events": events,
        "articles": articles,
    }


def _json_for_script(data: dict) -> str:
    """JSON that cannot end its <script> element or open markup: <, > and & are \\u-escaped."""
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render(data: dict) -> str:
    """The page: the template with the data embedded and the CSP hash of its script filled in."""
    page = _TEMPLATE.read_text(encoding="utf-8")
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode("utf-8")).digest()).decode("ascii")
    page = page.replace("__SCRIPT_HASH__", f"sha256-{digest}")
    head, tail = page.split("__TIMELINE_DATA__", 1)
    return head + _json_for_script(data) + tail


def build_dashboard(con, out_dir: str | Path, snapshot: dict | None = None) -> Path:
    """Write out_dir/index.html (atomically) and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render(dashboard_data(con, snapshot))
    fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".html", dir=out_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(html)
    os.chmod(tmp, 0o644)
    target = out_dir / "index.html"
    os.replace(tmp, target)
    return target
