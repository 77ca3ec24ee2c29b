"""Sources: specs (folders, globs, @lists, URLs), fetching over HTTP from a local site on
127.0.0.1 (timeouts, retries, redirects, size cap, rate limit, conditional requests, feeds) and
HTML / JSON articles. No Prefect here: the flow tests run the same functions under Prefect."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import SEEDS
from helpers.http_site import NewsSite, page_from_text, seed_site, with_feeds
from models import Article
from timeline.sources import (USER_AGENT, CacheEntry, Fetcher, FetchOptions, HostLimiter, expand, fetch_item,
                              html_to_article, ingest_path, looks_like_feed_url, make_batches)

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
FAST = FetchOptions(timeout=0.5, retries=1, backoff=0.01, rate_limit=0.0, max_bytes=200_000)


@pytest.fixture(scope="module")
def site():
    pages = seed_site(SEEDS)
    pages["/articles/flaky.html"] = pages["/articles/2plus2.html"]
    with NewsSite(pages, slow_seconds=2.0, flaky_failures=1) as s:
        s.pages.update(with_feeds(s.pages, s.base))
        yield s


# -- specs ---------------------------------------------------------------------------------------

def test_expand_folders_globs_lists_and_urls(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "two.html").write_text("x", encoding="utf-8")
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    (tmp_path / "more.list").write_text("# more\n\nb.json\nhttps://example.invalid/p.html\n@more.list\n", encoding="utf-8")
    (tmp_path / "all.list").write_text(f"a\n{tmp_path}/*.json\n@more.list\nmissing.txt\n", encoding="utf-8")
    items, rejects, roots = expand([f"@{tmp_path / 'all.list'}", str(tmp_path / "a" / "*.txt")], NOW)
    assert items == [str(tmp_path / "a" / "one.txt"), str(tmp_path / "a" / "two.html"), str(tmp_path / "b.json"),
                     "https://example.invalid/p.html"]
    assert roots[str(tmp_path / "a" / "one.txt")] == str(tmp_path / "a")
    assert sorted(r.reason for r in rejects) == ["list_cycle", "not_found"]
    _, bad, _ = expand(["no/such/dir", "nothing/*.txt", "@no/such.list"], NOW)
    assert [r.reason for r in bad] == ["not_found"] * 3 and all(r.detail for r in bad)


def test_batches_keep_each_host_in_one_batch():
    urls = [f"https://a.example/{i}" for i in range(5)] + ["https://b.example/1", "https://c.example/1"]
    files = [f"/f/{i}.txt" for i in range(5)]
    batches = make_batches(files + urls, 2)
    assert sorted(x for b in batches for x in b) == sorted(files + urls)
    for host in ("a.example", "b.example", "c.example"):
        assert sum(any(host in x for x in b) for b in batches) == 1
    assert [len(b) for b in batches if b[0].startswith("/f/")] == [2, 2, 1]


def test_feed_urls_are_recognised():
    assert looks_like_feed_url("https://www.mod.go.jp/j/press/news/rss.xml")
    assert looks_like_feed_url("https://example.jp/feed/") and looks_like_feed_url("https://example.jp/atom")
    assert not looks_like_feed_url("https://example.jp/news/2025/0131.html")


# -- HTTP ----------------------------------------------------------------------------------------

def test_a_page_becomes_an_article_with_title_date_and_main_text(site):
    with Fetcher(FAST) as f:
        got = fetch_item(site.url("/articles/2plus2.html"), NOW, f)
    assert got.outcome == "article" and not got.rejects
    a = got.articles[0]
    assert a.source_uri == site.url("/articles/2plus2.html")
    assert a.title == "日米安全保障協議委員会(「2+2」)を実施(7月28日)"
    assert a.published_at.isoformat() == "2024-07-31T10:10:00+09:00"
    assert "関連記事" not in a.text and "Copyright" not in a.text and "ホーム" not in a.text   # chrome dropped
    assert "日米安全保障条約第5条が尖閣諸島に適用されることを改めて確認しました" in a.text
    assert got.cache and got.cache[0].etag and got.cache[0].content_sha256 == a.content_sha256
    assert site.hits("/articles/2plus2.html")[-1].headers["user-agent"] == USER_AGENT


def test_failures_are_rejects_with_reasons(site):
    expected = {"/missing": "not_found", "/slow": "timeout", "/big": "too_large", "/big-chunked": "too_large",
                "/loop": "too_many_redirects"}
    start = time.monotonic()
    with Fetcher(FAST) as f:
        got = {p: fetch_item(site.url(p), NOW, f) for p in expected}
    for path, reason in expected.items():
        assert got[path].outcome == "failed" and [r.reason for r in got[path].rejects] == [reason], path
        assert got[path].rejects[0].source_uri == site.url(path) and got[path].rejects[0].stage == "ingest"
    assert "0.5 s" in got["/slow"].rejects[0].detail
    assert got["/slow"].requests == 2        # retried once on the timeout
    assert got["/missing"].requests == 1     # a 404 is not retried
    assert time.monotonic() - start < 6      # bounded: two 0.5 s timeouts and the rest


def test_redirects_are_followed_and_flaky_pages_retried(site):
    with Fetcher(FAST) as f:
        moved = fetch_item(site.url("/old-location"), NOW, f)
        flaky = fetch_item(site.url("/flaky"), NOW, f)
    assert moved.outcome == "article" and moved.articles[0].source_uri == site.url("/old-location")
    assert moved.requests == 2
    assert flaky.outcome == "article" and flaky.requests == 2


def test_retries_back_off_exponentially():
    slept = []
    opts = FetchOptions(timeout=0.2, retries=3, backoff=0.5, rate_limit=0)
    with Fetcher(opts, sleep=slept.append) as f:
        got = fetch_item("http://127.0.0.1:9/nothing-listens-here", NOW, f)
    assert got.outcome == "failed" and got.rejects[0].reason == "connection_error"
    assert slept == [0.5, 1.0, 2.0] and got.requests == 4


def test_retry_after_is_honoured(site):
    slept = []
    with Fetcher(FetchOptions(timeout=2, retries=1, backoff=0.01, rate_limit=0), sleep=slept.append) as f:
        got = fetch_item(site.url("/busy"), NOW, f)
    assert slept == [2.0] and got.outcome == "failed" and got.rejects[0].reason == "http_error"
    assert "503" in got.rejects[0].detail


def test_rate_limit_spaces_requests_to_one_host():
    limiter = HostLimiter(0.1)
    start = time.monotonic()
    for _ in range(4):
        limiter.wait("a.example")
    limiter.wait("b.example")   # another host does not wait
    assert 0.28 <= time.monotonic() - start < 1.0


def test_rate_limit_holds_for_real_requests(site):
    opts = FetchOptions(timeout=2, retries=0, backoff=0, rate_limit=0.15)
    start = time.monotonic()
    with Fetcher(opts) as f:
        for p in ("/missing", "/missing", "/missing"):
            fetch_item(site.url(p), NOW, f)
    assert time.monotonic() - start >= 0.29


def test_conditional_requests_skip_unchanged_pages(site):
    url = site.url("/articles/guidelines.html")
    with Fetcher(FAST) as f:
        first = fetch_item(url, NOW, f)
        cache = {c.url: c for c in first.cache}
        site.clear()
        again = fetch_item(url, NOW, f, cache)
    assert again.outcome == "unchanged" and again.article_id == first.articles[0].article_id
    hit = site.hits("/articles/guidelines.html")[0]
    assert hit.status == 304 and hit.headers["if-none-match"] == cache[url].etag
    assert hit.headers["if-modified-since"] == cache[url].last_modified
    # a cache entry whose validators no longer match: the page is fetched again
    stale = {url: CacheEntry(url, etag='"old"', content_sha256="0" * 64)}
    with Fetcher(FAST) as f:
        assert fetch_item(url, NOW, f, stale).outcome == "article"


@pytest.mark.parametrize("feed", ["/feed.xml", "/atom.xml"])
def test_feeds_stand_for_their_entries(site, feed):
    with Fetcher(FAST) as f:
        got = fetch_item(site.url(feed), NOW, f)
        assert got.outcome == "feed" and got.entries == [site.url("/articles/feed-1.html"), site.url("/articles/feed-2.html")]
        assert [e.outcome for e in got.extra_items] == ["article", "article"]
        # unchanged feed: 304, entries as cached, entries not fetched again when their cache is current
        cache = {c.url: c for c in got.cache + [c for e in got.extra_items for c in e.cache]}
        site.clear()
        again = fetch_item(site.url(feed), NOW, f, cache)
    assert again.entries == got.entries and [e.outcome for e in again.extra_items] == ["unchanged", "unchanged"]
    # the feed and its entries were each asked once more, and each answered 304 (only these paths:
    # a slow handler of another test may still log its late 200 on the shared site)
    asked = [h for p in (feed, "/articles/feed-1.html", "/articles/feed-2.html") for h in site.hits(p)]
    assert asked and {h.status for h in asked} == {304}


# -- files ---------------------------------------------------------------------------------------

def test_html_pages_read_like_the_text_articles():
    from timeline.extract import extract
    from timeline.ingest import ingest_file

    for f in sorted(SEEDS.glob("*.txt")):
        txt = ingest_file(f, NOW)
        page = html_to_article(f"https://news.example.jp/{f.stem}.html", page_from_text(f.read_text(encoding="utf-8")), NOW)
        assert isinstance(page, Article)
        assert sorted(m.event_type.value for m in extract(page)) == sorted(m.event_type.value for m in extract(txt)), f.name
        # spans index into the stored text
        for m in extract(page):
            assert page.text[m.evidence.char_start:m.evidence.char_end] == m.evidence.text


def test_local_html_and_json_articles(tmp_path):
    (tmp_path / "p.html").write_text(page_from_text((SEEDS / "000_f15ec7d27cccfef6.txt").read_text(encoding="utf-8")),
                                     encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps({"title": "日米防衛相電話会談", "published_at": "2025-01-31T10:00:00+09:00",
                                                 "text": "令和7年1月31日、中谷防衛大臣は、ヘグセス米国防長官と電話会談を行いました。"},
                                                ensure_ascii=False), encoding="utf-8")
    (tmp_path / "list.json").write_text(json.dumps([{"text": "本文です。"}, {"title": "no text"}, 3]), encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "empty.html").write_text("   ", encoding="utf-8")
    html = ingest_path(tmp_path / "p.html", NOW)[0]
    assert isinstance(html, Article) and html.title.startswith("日米の拡大抑止ガイドライン")
    one = ingest_path(tmp_path / "a.json", NOW)[0]
    assert one.title == "日米防衛相電話会談" and one.published_at.isoformat() == "2025-01-31T10:00:00+09:00"
    assert one.text.startswith("日米防衛相電話会談\n2025-01-31T10:00:00+09:00\n\n令和7年")
    many = ingest_path(tmp_path / "list.json", NOW)
    assert [getattr(x, "reason", "article") for x in many] == ["article", "empty", "bad_json"]
    assert [x.source_uri for x in many] == [f"{tmp_path}/list.json#{i}" for i in range(3)]
    assert ingest_path(tmp_path / "bad.json", NOW)[0].reason == "bad_json"
    assert ingest_path(tmp_path / "empty.html", NOW)[0].reason == "empty"
    assert fetch_item(str(tmp_path / "p.html"), NOW).outcome == "article"


# -- local files: the fetch cache as a 304 --------------------------------------------------------

def _aged(path: Path, seconds: float = 3600) -> None:
    """Move a file's mtime into the past: a file written just now is 'racy' (RACY_SECONDS) and
    never trusted by its stat."""
    t = time.time() - seconds
    import os

    os.utime(path, (t, t))


def _entry(got) -> CacheEntry:
    assert len(got.cache) == 1
    return got.cache[0]


def test_a_local_file_of_unchanged_stat_is_not_read_again(tmp_path, monkeypatch):
    import timeline.sources as sources

    page = tmp_path / "page.txt"
    page.write_bytes((SEEDS / "003_0bb852b01388ee52.txt").read_bytes())
    _aged(page)
    first = fetch_item(str(page), NOW, cache={})
    assert first.outcome == "article" and first.articles
    entry = _entry(first)
    assert entry.content_sha256 == first.articles[0].content_sha256 and entry.etag.startswith("file:")
    # same stat: trusted, not even opened
    monkeypatch.setattr(sources, "ingest_path", lambda *a, **k: pytest.fail("an unchanged file was read"))
    again = fetch_item(str(page), NOW, cache={str(page): entry})
    assert (again.outcome, again.article_id, again.articles, again.cache) == (
        "unchanged", first.articles[0].article_id, [], [])
    assert sources.unchanged_file(str(page), entry).article_id == first.articles[0].article_id


def test_new_content_of_the_same_size_and_even_the_same_mtime_is_read_again(tmp_path):
    import os

    page = tmp_path / "page.txt"
    text = "日米防衛相会談\n2025-03-31 10:00\n中谷防衛大臣は3月30日、ヘグセス国防長官と東京で会談した。\n"
    page.write_text(text, encoding="utf-8")
    _aged(page)
    entry = _entry(fetch_item(str(page), NOW, cache={}))
    old = os.stat(page)
    # the same number of bytes, new content: mtime moves
    page.write_text(text.replace("30日", "29日"), encoding="utf-8")
    assert os.stat(page).st_size == old.st_size
    got = fetch_item(str(page), NOW, cache={str(page): entry})
    assert got.outcome == "article" and got.articles[0].content_sha256 != entry.content_sha256
    # saved the way editors and rsync save (a new file renamed over it) with the old mtime kept:
    # the inode tells
    new = tmp_path / ".page.txt.tmp"
    new.write_text(text.replace("30日", "28日"), encoding="utf-8")
    os.utime(new, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(new, page)
    assert (os.stat(page).st_size, os.stat(page).st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    got = fetch_item(str(page), NOW, cache={str(page): entry})
    assert got.outcome == "article" and "28日" in got.articles[0].text


def test_a_hard_link_made_to_a_file_does_not_make_it_new(tmp_path):
    """Linking a corpus into run folders (bench/run.py) moves the files' ctime, not their content."""
    import os

    from timeline.sources import unchanged_file

    page = tmp_path / "page.txt"
    page.write_bytes((SEEDS / "003_0bb852b01388ee52.txt").read_bytes())
    _aged(page)
    entry = _entry(fetch_item(str(page), NOW, cache={}))
    os.link(page, tmp_path / "elsewhere.txt")
    assert unchanged_file(str(page), entry) is not None


def test_no_cache_entry_for_a_racy_file_a_link_or_a_file_of_several_articles(tmp_path):
    from timeline.sources import unchanged_file

    fresh = tmp_path / "fresh.txt"          # written just now: could change again within the clock's tick
    fresh.write_bytes((SEEDS / "003_0bb852b01388ee52.txt").read_bytes())
    got = fetch_item(str(fresh), NOW, cache={})
    assert got.outcome == "article" and got.cache == []
    target = tmp_path / "target.txt"
    target.write_bytes((SEEDS / "004_085922098f503051.txt").read_bytes())
    _aged(target)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    got = fetch_item(str(link), NOW, cache={}, root=str(tmp_path))
    assert got.outcome == "article" and got.cache == []
    # a link is read every time, even under an entry that names its target's stat
    entry = _entry(fetch_item(str(target), NOW, cache={}))
    assert unchanged_file(str(link), CacheEntry(str(link), entry.etag, None, entry.content_sha256, NOW)) is None
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "日米防衛相会談が行われた。"}, {"text": "日米外相会談が行われた。"}],
                               ensure_ascii=False), encoding="utf-8")
    _aged(many)
    got = fetch_item(str(many), NOW, cache={})
    assert len(got.articles) == 2 and got.cache == []


# -- local files read in a forked child -----------------------------------------------------------

def _mixed_folder(tmp_path: Path) -> list[str]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes((SEEDS / "003_0bb852b01388ee52.txt").read_bytes())
    (src / "b.txt").write_bytes((SEEDS / "003_0bb852b01388ee52.txt").read_bytes().decode("utf-8").encode("cp932"))
    (src / "c.html").write_text(page_from_text((SEEDS / "004_085922098f503051.txt").read_text(encoding="utf-8")),
                                encoding="utf-8")
    (src / "d.json").write_text(json.dumps([{"text": "日米防衛相会談が行われた。"}, 3]), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01" * 50)
    items, _, _ = expand([str(src)], NOW)
    return items + [str(src / "missing.txt")]


def _outcomes(results) -> list[tuple]:
    return [(r.source_uri, r.outcome, [a.model_dump() for a in r.articles], [x.reason for x in r.rejects])
            for r in results]


def _counting(monkeypatch) -> list[str]:
    """Items read by this process (a child's reads are counted in the child's copy only)."""
    import timeline.sources as sources

    read_here: list[str] = []
    original = sources.fetch_item

    def counted(item, *args, **kwargs):
        read_here.append(item)
        return original(item, *args, **kwargs)

    monkeypatch.setattr(sources, "fetch_item", counted)
    return read_here


def test_files_read_in_a_child_give_what_reading_them_here_gives(tmp_path, monkeypatch):
    from timeline.sources import fetch_files

    items = _mixed_folder(tmp_path)
    here = [fetch_item(i, NOW, root=str(tmp_path / "src")) for i in items]
    read_here = _counting(monkeypatch)
    got = fetch_files(items, NOW, roots={i: str(tmp_path / "src") for i in items})
    assert read_here == []                          # the child read them
    assert _outcomes(got) == _outcomes(here)
    assert {r.outcome for r in here} == {"article", "failed"}


def test_a_reading_child_that_dies_costs_nothing_but_time(tmp_path, monkeypatch):
    import os

    import timeline.sources as sources

    items = _mixed_folder(tmp_path)
    expected = _outcomes([fetch_item(i, NOW) for i in items])
    read_here = _counting(monkeypatch)
    monkeypatch.setattr(sources, "_send", lambda fd, results: os._exit(3))   # only the child sends
    got = sources.fetch_files(items, NOW)
    assert read_here == items                       # read again here, all of them
    assert _outcomes(got) == expected
