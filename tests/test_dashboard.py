"""The offline dashboard: one self-contained page; article text can never become markup.

The browser tests (marked slow) drive Debian's headless Chromium through Playwright with no
network: `make test` installs chromium when missing. A screenshot is saved in test-artifacts/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SEEDS, run_stages
from timeline.dashboard import _TEMPLATE, dashboard_data, render

ARTIFACTS = ROOT / "test-artifacts"
PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"><b>太字</b>'
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _snapshot_con(warehouse: Path):
    return duckdb.connect(str(warehouse.parent / "snapshot" / "timeline.duckdb"), read_only=True)


def _embedded(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    return json.loads(block)


# ---- the page as text

def test_template_never_parses_data_as_markup():
    page = _TEMPLATE.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "srcdoc", "javascript:"):
        assert sink not in page, sink
    # nothing is loaded from elsewhere: no src/href to another origin, no @import or url()
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "@import" not in page and "url(" not in page
    assert re.findall(r"https?://[^\s\"')]+", page) == ["http://www.w3.org/2000/svg"]


def test_rendered_page_embeds_escaped_data_and_pins_its_script(seeds_warehouse):
    con = _snapshot_con(seeds_warehouse)
    data = dashboard_data(con)
    n_events = con.execute("SELECT count(*) FROM meetings").fetchone()[0]
    con.close()
    data["events"][0]["title_ja"] = "</script><script>alert(1)</script>" + PAYLOAD
    html = render(data)
    assert html.count("<script") == 2           # the JSON block and the page's own script
    back = _embedded(html)
    assert len(back["events"]) == n_events and back["events"][0]["title_ja"].startswith("</script>")
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html and "default-src 'none'" in html


def test_dashboard_command_writes_one_file(seeds_warehouse, tmp_path):
    run = subprocess.run([sys.executable, "-m", "timeline.cli", "dashboard", "--out", str(tmp_path / "d"),
                          "--warehouse", str(seeds_warehouse)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert [p.name for p in (tmp_path / "d").iterdir()] == ["index.html"]
    data = _embedded((tmp_path / "d" / "index.html").read_text(encoding="utf-8"))
    assert data["snapshot"]["stamp"] and data["labels"]["types"]["ministerial_2plus2"]["en"]
    event = next(e for e in data["events"] if e["participants"])
    assert event["evidence"] and all(a in data["articles"] for a in event["article_ids"])


# ---- the page in a browser

def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it (apt-get install -y chromium)")
        pytest.skip("chromium not installed (make test installs it)")
    return path


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


class Page:
    """A page opened offline; every request and script error is recorded."""

    def __init__(self, browser, html: Path, lang: str = ""):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, offline=True)
        self.page = self.context.new_page()
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.url = html.resolve().as_uri() + (f"?lang={lang}" if lang else "")
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready=true]", timeout=15000)

    def marks(self) -> list[str]:
        return self.page.eval_on_selector_all("#chart .mark", "ms => ms.map(m => m.getAttribute('data-event-id'))")

    def rows(self) -> list[str]:
        return self.page.eval_on_selector_all("#list tbody tr", "rs => rs.map(r => r.getAttribute('data-event-id'))")

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def seeds_page_file(seeds_warehouse, tmp_path_factory):
    from timeline.dashboard import build_dashboard
    from warehouse.snapshot import manifest

    con = _snapshot_con(seeds_warehouse)
    page = build_dashboard(con, tmp_path_factory.mktemp("dash"), manifest(seeds_warehouse.parent))
    events = {r[0]: r[1:] for r in con.execute(
        "SELECT event_id, event_type, start_date, topics FROM timeline").fetchall()}
    people = {r[0]: set(r[1]) for r in con.execute(
        "SELECT person_key, list(event_id) FROM participants GROUP BY person_key").fetchall()}
    con.close()
    return page, events, people


@pytest.mark.slow
def test_page_loads_offline_with_one_mark_per_event(browser, seeds_page_file):
    path, events, people = seeds_page_file
    page = Page(browser, path)
    try:
        assert sorted(page.marks()) == sorted(events)
        assert sorted(page.rows()) == sorted(events)
        assert page.requests == [page.url] and page.errors == []
        assert page.page.text_content("#count").startswith(f"{len(events)} / {len(events)}")
        ARTIFACTS.mkdir(exist_ok=True)
        biggest = max(sorted(events), key=lambda e: sum(e in theirs for theirs in people.values()))
        page.page.click(f'#chart .mark[data-event-id="{biggest}"]')
        page.page.wait_for_selector("#detail-title")
        page.page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    finally:
        page.close()


@pytest.mark.slow
def test_filters_change_what_is_shown(browser, seeds_page_file):
    path, events, people = seeds_page_file
    page = Page(browser, path)
    try:
        # type: switch one type off
        etype = max({t for t, *_ in events.values()}, key=lambda t: sum(1 for v in events.values() if v[0] == t))
        page.page.click(f'#f-types .chip[data-type="{etype}"]')
        assert sorted(page.marks()) == sorted(e for e, v in events.items() if v[0] != etype)
        page.page.click("#f-reset")
        assert len(page.marks()) == len(events)
        # person
        person, theirs = max(people.items(), key=lambda kv: len(kv[1]))
        page.page.select_option("#f-person", person)
        assert sorted(page.marks()) == sorted(theirs) and len(theirs) < len(events)
        page.page.click("#f-reset")
        # topic
        topic = sorted({t for v in events.values() for t in v[2]})[0]
        page.page.select_option("#f-topic", topic)
        assert sorted(page.marks()) == sorted(e for e, v in events.items() if topic in v[2])
        page.page.click("#f-reset")
        # date range, without undated events
        dated = sorted(v[1] for v in events.values() if v[1] is not None)
        lo, hi = dated[len(dated) // 2].isoformat(), dated[-1].isoformat()
        page.page.fill("#f-from", lo)
        page.page.dispatch_event("#f-from", "change")
        page.page.fill("#f-to", hi)
        page.page.dispatch_event("#f-to", "change")
        page.page.uncheck("#f-undated")
        expected = sorted(e for e, v in events.items() if v[1] is not None and lo <= v[1].isoformat() <= hi)
        assert sorted(page.marks()) == expected and sorted(page.rows()) == expected
        assert 0 < len(expected) < len(events)
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.slow
def test_event_detail_and_source_viewer_in_both_languages(browser, seeds_page_file):
    path, events, _ = seeds_page_file
    page = Page(browser, path, lang="en")
    try:
        assert page.page.text_content("h1").startswith("Japan–US defence timeline")
        assert page.page.get_attribute("html", "lang") == "en"
        event = next(e for e in events if "2plus2" in e and not e.startswith("undated"))
        page.page.click(f'#chart .mark[data-event-id="{event}"]')
        page.page.wait_for_selector("#detail-title")
        assert page.page.locator("#detail-participants li").count() >= 1
        assert page.page.locator("#detail-outcomes li").count() >= 1
        evidence = page.page.locator("#detail-evidence li .quote").first.text_content()
        page.page.locator("#detail-evidence li a.src").first.click()
        page.page.wait_for_selector("#viewer.open")
        assert page.page.text_content("#viewer mark") == evidence
        page.page.click("#viewer-close")
        page.page.click("#lang-ja")
        assert page.page.text_content("h1").startswith("日米防衛タイムライン")
        assert page.page.text_content("#detail h3").startswith("参加者")
        assert page.errors == []
    finally:
        page.close()


@pytest.mark.slow
def test_article_html_and_script_are_shown_as_text(browser, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    text = (SEEDS / "003_0bb852b01388ee52.txt").read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    anchor = "7月28日午後3時15分から"
    assert anchor in rest
    (src / "xss.txt").write_text(first + PAYLOAD + "\n" + rest.replace(anchor, anchor + PAYLOAD, 1), encoding="utf-8")
    db = tmp_path / "w" / "timeline.duckdb"
    db.parent.mkdir()
    run_stages(src, db)
    con = _snapshot_con(db)
    hostile = con.execute("SELECT event_id, evidence FROM mentions WHERE contains(evidence, '<script>') "
                          "ORDER BY mention_id LIMIT 1").fetchone()
    assert hostile, "the extractor no longer reports the event whose sentence holds the payload"
    from timeline.dashboard import build_dashboard

    html = build_dashboard(con, tmp_path / "d")
    con.close()
    page = Page(browser, html)
    try:
        page.page.click(f'#chart .mark[data-event-id="{hostile[0]}"]')
        page.page.wait_for_selector("#detail-title")
        quotes = page.page.locator("#detail-evidence .quote").all_text_contents()
        assert hostile[1] in quotes and any(PAYLOAD in q for q in quotes)
        page.page.locator("#detail-sources a.src").first.click()
        page.page.wait_for_selector("#viewer.open")
        assert PAYLOAD in page.page.text_content("#viewer-text")
        assert page.page.evaluate("window.__xss") is None
        assert page.page.locator("img, b, #detail script, #viewer script, #list script").count() == 0
        assert page.page.locator("script").count() == 2
        assert page.errors == [] and page.requests == [page.url]
    finally:
        page.close()
