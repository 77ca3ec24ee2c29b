"""The Prefect flow: sources → fetch/ingest → extract → validate → dedupe → load → publish.

Orchestration lives here only; every task calls a plain stage function.

- Sources (timeline/sources.py): folders, globs, @lists, article URLs and RSS/Atom feeds. Feeds
  named by their URL are read first (`discover_sources`), then fetching and ingesting runs over
  batches (`fetch_batch`; every host sits in one batch, so its rate limit holds across
  workers), and extraction over each batch's new articles (`extract_batch`), never one task per
  article.
- Streaming: memory does not grow with the corpus. Batches are fetched and extracted a few at a
  time; a batch's articles (with their text) and then its mention records are staged to disk
  (warehouse/staging.py, `<warehouse>.staging/`) as soon as they exist, and the flow keeps ids
  only. Dedupe plans the events over the reports' small keys and merges them an event at a
  time from the records read back in event order; the load moves the staged rows in SQL.
- Caching: `extract_batch` results are cached by the batch's content hashes and the extractor
  fingerprint (EXTRACTOR_VERSION plus a hash of the extractor's code and reference data),
  stored next to the warehouse (`<warehouse>.cache/`). Reading, fetching and writing are never
  cached.
- Incremental: a local file whose stat matches its fetch-cache entry is not read (as a page that
  answers 304 is not downloaded); local files left to read are read in forked children
  (timeline/sources.fetch_files). A run that finds no source new, changed or gone and no new
  reject writes its runs row (record_unchanged_run) and accounts for its inputs, and does nothing
  else: the stored records are read only when something is deduplicated, and a snapshot is
  published only when the content differs from the current one's. Otherwise the load writes
  the rows that differ, and its data tests are the run's only pass (warehouse/snapshot.py).
- Retries are on the I/O tasks only; a failing source is a reject, never a failed run.
- The write task (`load_warehouse`) has no cache policy and is the only task that opens the
  DuckDB file for writing; reads are read-only. From reading the stored state to publishing the
  snapshot the run holds the warehouse's writer lock (warehouse/lock.py).
- Every run accounts for every input (warehouse/accounting.py) and leaves a summary: a row in
  the `runs` table (written in the load transaction) and a Prefect markdown artifact
  (`timeline-run-summary`).
- The same flow runs on the default thread-pool task runner or on Dask (`with_task_runner`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from models import Article, EventMention, Rejection
from timeline import EXTRACTOR_VERSION
from timeline.ingest import Ingested, _sites, safe_uri
from timeline.validate import extract_all
from warehouse.accounting import account, format_accounting
from warehouse.load import connect, load_staged, publish, record_run
from warehouse.lock import writer_lock
from warehouse.staging import Staging, stage_events

__all__ = ["build_timeline", "with_task_runner", "set_progress", "extractor_fingerprint", "summary_markdown"]

_ROOT = Path(__file__).resolve().parents[1]
SUMMARY_ARTIFACT = "timeline-run-summary"


# ---------------------------------------------------------------------------------------------
# Progress (the CLI draws a bar; deployments log only)
# ---------------------------------------------------------------------------------------------

_progress: Callable[[str, int, int], None] | None = None


def set_progress(callback: Callable[[str, int, int], None] | None) -> None:
    """`callback(phase, done, total)` is called by the flow as batches finish (phases: sources,
    fetch, extract, load, publish). The flow body runs in the calling process on every task
    runner, so this works on Dask too."""
    global _progress
    _progress = callback


def _tick(phase: str, done: int, total: int) -> None:
    if _progress is not None:
        try:
            _progress(phase, done, total)
        except Exception:   # a display problem never fails a run
            pass


# ---------------------------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------------------------

@dataclass
class Stored:
    """What the warehouse holds before the run (read read-only); the mention records are read by
    deduplication (warehouse/staging.py), and only when the run has something to deduplicate."""

    versions: dict[str, str] = field(default_factory=dict)      # article_id → extractor version
    sources: dict[str, str] = field(default_factory=dict)       # source_uri → article_id
    fetch_cache: dict = field(default_factory=dict)             # url or file → CacheEntry, current entries only
    rejects: set[str] = field(default_factory=set)              # reject ids already recorded


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_warehouse(warehouse: str) -> Stored:
    """Extractor versions, sources, reject ids and the usable fetch cache, on a read-only
    connection (a warehouse that does not exist yet holds nothing)."""
    import duckdb

    from timeline.sources import CacheEntry

    if not Path(warehouse).exists():
        return Stored()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = _tables(con)
        out = Stored()
        if "articles" in tables:
            out.versions = dict(con.execute("SELECT article_id, extractor_version FROM articles").fetchall())
        if "article_sources" in tables:
            out.sources = dict(con.execute("SELECT source_uri, article_id FROM article_sources").fetchall())
        if "rejects" in tables:
            out.rejects = {r for (r,) in con.execute("SELECT reject_id FROM rejects").fetchall()}
        if "fetch_cache" in tables:
            # an entry counts only while its article is stored under this extractor version
            rows = con.execute(
                "SELECT c.url, c.etag, c.last_modified, c.content_sha256, c.fetched_at, c.entries FROM fetch_cache c "
                "LEFT JOIN articles a ON a.article_id = left(c.content_sha256, 16) "
                "WHERE c.entries IS NOT NULL OR a.extractor_version = ?", [EXTRACTOR_VERSION]).fetchall()
            out.fetch_cache = {r[0]: CacheEntry(r[0], r[1], r[2], r[3], r[4], tuple(r[5]) if r[5] is not None else None)
                               for r in rows}
        return out
    finally:
        con.close()


@dataclass
class Discovered:
    items: list[str] = field(default_factory=list)          # files and page URLs to fetch, each once
    roots: dict[str, str] = field(default_factory=dict)     # file → the folder it was found under
    done: list = field(default_factory=list)                # ItemResults already fetched (feed-looking pages)
    rejects: list[Rejection] = field(default_factory=list)  # specs that named nothing, feeds that failed
    cache: list = field(default_factory=list)               # CacheEntry rows of the feeds read
    feeds: int = 0
    requests: int = 0


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover_sources(specs: list[str], now: datetime, cache: dict, fetch: dict | None) -> Discovered:
    """Source specs → items; feeds named by their URL are read here (conditionally) and stand for
    their entries, so the entries spread over the fetch batches."""
    from timeline.sources import Fetcher, FetchOptions, expand, fetch_item, looks_like_feed_url

    items, rejects, roots = expand(specs, now)
    out = Discovered(roots=roots, rejects=rejects)
    seen: set[str] = set()

    def add(item: str) -> None:
        if item not in seen:
            seen.add(item)
            out.items.append(item)

    feeds = [i for i in items if looks_like_feed_url(i)]
    if feeds:
        with Fetcher(FetchOptions.from_dict(fetch)) as fetcher:
            for item in items:
                if item not in feeds:
                    add(item)
                    continue
                got = fetch_item(item, now, fetcher, cache, inline_entries=False)
                if got.outcome == "feed":
                    out.feeds += 1
                    out.cache.extend(got.cache)
                    for link in got.entries:
                        add(link)
                elif got.outcome == "failed":
                    out.rejects.extend(got.rejects)
                else:                          # a page after all: already fetched
                    seen.add(item)
                    out.done.append(got)
            out.requests = fetcher.requests
    else:
        for item in items:
            add(item)
    get_run_logger().info("sources: %d spec(s) → %d item(s) (%d feed(s) read), %d rejected",
                          len(specs), len(out.items) + len(out.done), out.feeds, len(out.rejects))
    return out


@task(retries=1, retry_delay_seconds=1, cache_policy=NO_CACHE)
def fetch_batch(items: list[str], now: datetime, cache: dict, roots: dict, fetch: dict | None) -> list:
    """One batch of files or URLs → ItemResults (requests to one host one after another, at the
    rate limit; files in a child process). A bad source is a reject inside the result, never an
    exception."""
    from timeline.sources import Fetcher, FetchOptions, fetch_files, fetch_item, is_url

    if not any(is_url(i) for i in items):
        return fetch_files(items, now, cache, roots)     # in a forked child: batches read in parallel
    with Fetcher(FetchOptions.from_dict(fetch)) as fetcher:
        return [fetch_item(item, now, fetcher, cache, root=roots.get(item)) for item in items]


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """EXTRACTOR_VERSION plus a hash of everything extraction reads: the code of timeline/ and
    models/, and the reference data. Cached extraction results are keyed by it, so a changed
    rule is never answered from the cache even when the version string was not bumped."""
    h = hashlib.sha256(EXTRACTOR_VERSION.encode())
    for folder, pattern in (("timeline", "*.py"), ("models", "*.py"), ("seeds/reference", "*")):
        for p in sorted((_ROOT / folder).glob(pattern)):
            if p.is_file():
                h.update(p.name.encode())
                h.update(p.read_bytes())
    return f"{EXTRACTOR_VERSION}+{h.hexdigest()[:16]}"


def _extract_cache_key(context, parameters: dict) -> str:
    """Content hashes (and the metadata extraction reads) of the batch, and the extractor."""
    h = hashlib.sha256(extractor_fingerprint().encode())
    for a in parameters["articles"]:
        h.update("\x1f".join(str(x) for x in (a.content_sha256, a.source_uri, a.site, a.title, a.language.value,
                                               a.published_at)).encode())
        h.update(b"\x1e")
    return "extract-" + h.hexdigest()


# The result is read back from its file (cache_result_in_memory=False): Prefect's in-memory result
# cache keeps up to 1,000 results, i.e. every record of a 100,000-article run.
@task(cache_key_fn=_extract_cache_key, cache_expiration=timedelta(days=30), persist_result=True,
      cache_result_in_memory=False)
def extract_batch(articles: list[Article], now: datetime) -> tuple[list[EventMention], list[Rejection]]:
    """Extract and validate one batch; an article whose extraction fails is a reject."""
    return extract_all(articles, now)


@task(cache_policy=NO_CACHE)
def dedupe_events(warehouse: str, staging: str, standing: set[str]) -> dict[str, int]:
    """Deduplicate the stored records of the `standing` articles and the staged ones, over their
    keys, and stage the derived rows event by event (warehouse/staging.py)."""
    kinds = {e["site"]: e.get("kind") for e in _sites()}
    counts = stage_events(warehouse, Staging(staging), standing, site_kind=lambda m: kinds.get(m.site))
    get_run_logger().info("dedupe: %d mentions → %d events", counts["records"], counts["events"])
    return counts


@task(cache_policy=NO_CACHE)
def load_warehouse(warehouse: str, staging: str, rejects, sources, run: dict | None = None,
                   fetch_cache: list[dict] | None = None) -> dict[str, int]:
    """The only writer: one transaction for the staged rows, the fetch cache and the runs row."""
    con = connect(warehouse)
    try:
        counts = load_staged(con, Staging(staging), rejects, sources=sources, run=run, fetch_cache=fetch_cache)
    finally:
        con.close()
    get_run_logger().info("load: %s", counts)
    return counts


@task(cache_policy=NO_CACHE)
def record_unchanged_run(warehouse: str, run: dict, fetch_cache: list[dict] | None = None) -> dict[str, int]:
    """The write of a run that changed nothing: its runs row and fetch-cache rows only."""
    from warehouse.load import record_unchanged

    con = connect(warehouse)
    try:
        counts = record_unchanged(con, run, fetch_cache)
    finally:
        con.close()
    get_run_logger().info("load: nothing new, changed or gone; runs row written, tables untouched")
    return counts


@task(cache_policy=NO_CACHE)
def record_failed_run(warehouse: str, run: dict) -> None:
    """After a failed load: the runs row alone, status failed (best effort)."""
    from warehouse.load import ensure_schema

    con = connect(warehouse)
    try:
        ensure_schema(con)
        record_run(con, run)
    finally:
        con.close()


@task(cache_policy=NO_CACHE)
def account_inputs(warehouse: str, ingested: Ingested, extracted: set[str]) -> dict:
    """Every input checked against the warehouse: stored or rejected, none lost."""
    con = connect(warehouse, read_only=True)
    try:
        result = account(con, ingested, extracted)
    finally:
        con.close()
    log = get_run_logger()
    (log.error if result["lost"] else log.info)("accounting: %s", format_accounting(result))
    return result


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def publish_snapshot(warehouse: str, parquet_dir: str, checked: dict | None = None) -> str:
    """Publish a read-only snapshot (DuckDB + Parquet) next to the warehouse; readers use only that.
    Runs after a successful load only, and publishes only when the content differs from the
    current snapshot's (warehouse/snapshot.py); raises, publishing nothing, if the copy fails a
    data test. `checked`: the stamp of the content the load's data tests passed."""
    from warehouse.snapshot import current

    root = Path(warehouse).parent
    before = _current_name(root)
    con = connect(warehouse, read_only=True)
    try:
        publish(con, parquet_dir, snapshot_root=root, checked=checked, if_changed=True)
    finally:
        con.close()
    snapshot = current(root)
    if snapshot.name == before:
        get_run_logger().info("publish: content unchanged, snapshot %s stays current", snapshot)
    else:
        get_run_logger().info("publish: snapshot %s (Parquet at %s)", snapshot, parquet_dir)
    return snapshot.name


def _current_name(root: Path) -> str | None:
    from warehouse.snapshot import current

    try:
        return current(root).name
    except FileNotFoundError:
        return None


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def extract_batch_size(n: int, batch_size: int) -> int:
    """Articles per extraction task (and local files per fetch task): `batch_size`, grown for big
    runs to about n / 16 (at most 500), so 10,000 articles are 20 tasks rather than 400. Each task costs Prefect a task run
    (API calls, a cached result file) and the extractor a forked child; at 25 a task those
    overheads doubled the extract stage at 10,000 articles (bench/run.py, BENCHMARKS.md)."""
    return max(batch_size, min(500, -(-n // 16)))


def _batches(items: list, size: int) -> list[list]:
    return [items[k:k + size] for k in range(0, len(items), size)]


def _in_flight() -> tuple[int, int]:
    """Fetch batches, and extraction batches, in flight at once: enough to keep the cores busy
    (each runs in a forked child, and a child waits on this process between articles), few
    enough that the articles waiting stay a few batches."""
    import os

    cores = os.cpu_count() or 1
    return max(2, cores), max(4, 2 * cores)


def _changes(stored: Stored, ingested: Ingested, roots: dict[str, str]) -> bool:
    """Whether the run has anything to write besides its runs row: a source that is new or now
    holds other content, a new reject, or a file gone from a folder this run read that an
    earlier run stored (handled as before: by the full path; its source stays stored)."""
    if any(stored.sources.get(u) != a for u, a in ingested.sources.items()):
        return True
    if any(x.reject_id not in stored.rejects for x in ingested.rejects):
        return True
    folders = tuple(sorted({r.rstrip("/") + "/" for r in roots.values()}))
    seen = set(ingested.inputs)
    return bool(folders) and any(u.startswith(folders) and u not in seen for u in stored.sources)


def _runner_name() -> str:
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    name = type(ctx.task_runner).__name__ if ctx and ctx.task_runner else ""
    return "dask" if "Dask" in name else "default"


def summary_markdown(s: dict) -> str:
    """The run summary as Markdown (the Prefect artifact)."""
    ok = s["sources_seen"] == s["articles_new"] + s["articles_unchanged"] + s["articles_failed"]
    rows = [("sources seen", s["sources_seen"]), ("articles new", s["articles_new"]),
            ("articles unchanged", s["articles_unchanged"]), ("articles failed", s["articles_failed"]),
            ("mentions", s["mentions"]), ("events created", s["events_created"]),
            ("events updated", s["events_updated"]), ("rejects", s["rejects"])]
    lines = [f"# Timeline run {s['status']}", "",
             f"Warehouse `{s['warehouse']}`, snapshot `{s.get('snapshot') or '-'}`, task runner `{s['task_runner']}`, "
             f"{s['requests']} HTTP request(s), {s['feeds']} feed(s) read.", "",
             "| what | count |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in rows] + [
             "", f"Every source accounted for: {s['sources_seen']} seen = {s['articles_new']} new + "
             f"{s['articles_unchanged']} unchanged + {s['articles_failed']} failed {'✓' if ok else '✗'}; "
             f"rejects {s['rejects']} = {s['articles_failed']} failed sources + {s['rejects_extract']} at extract/validate."]
    if s.get("by_reason"):
        lines += ["", "| reject reason | count |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in s["by_reason"].items()]
    if s.get("failed_sources"):
        lines += ["", "Failed sources (first 20):", ""] + [f"- `{u}`: {r}" for u, r in s["failed_sources"][:20]]
    return "\n".join(lines) + "\n"


def _artifact(summary: dict) -> None:
    try:
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(key=SUMMARY_ARTIFACT, markdown=summary_markdown(summary),
                                 description=f"timeline run summary ({summary['status']})")
    except Exception as exc:   # the summary never fails the run; the runs row holds it too
        get_run_logger().warning("could not create the run summary artifact: %s", exc)


# ---------------------------------------------------------------------------------------------
# The flow
# ---------------------------------------------------------------------------------------------

def _default_runner() -> ThreadPoolTaskRunner:
    """Threads for the I/O and for waiting on the extraction children (timeline/validate.py),
    bounded: Prefect's default is one thread per submitted task, which at 10,000 articles ran
    400 batches (and 400 forked extractors) at once on two cores. PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS
    still wins when set."""
    import os

    from prefect.settings import get_current_settings

    return ThreadPoolTaskRunner(max_workers=get_current_settings().tasks.runner.thread_pool_max_workers
                                or max(4, 2 * (os.cpu_count() or 1)))


# Big parameters (thousands of records) are passed in `quote(...)`: Prefect otherwise walks every
# field of every record looking for futures, which took minutes at 10,000 articles.
@flow(name="build-timeline", log_prints=True, task_runner=_default_runner())
def build_timeline(source: str | list[str] = "seeds/articles", warehouse: str = "warehouse/timeline.duckdb",
                   parquet_dir: str | None = None, batch_size: int = 25, fetch: dict | None = None) -> dict:
    """Turn article sources (folders, globs, @lists, article URLs, RSS/Atom feeds) into the DuckDB
    warehouse and its Parquet snapshot. `fetch`: timeout, retries, backoff, rate_limit (seconds
    between requests to one host), max_bytes, user_agent (timeline/sources.py FetchOptions)."""
    from prefect.runtime import flow_run
    from timeline.sources import FetchOptions, is_url, make_batches, unchanged_file

    log = get_run_logger()
    FetchOptions.from_dict(fetch)   # bad options fail here, before anything is read
    specs = [source] if isinstance(source, str) else list(source)
    started = datetime.now(timezone.utc)
    now = started
    parquet_dir = parquet_dir or str(Path(warehouse).parent / "parquet")
    run_id = flow_run.get_id() or f"local-{uuid.uuid4()}"
    run: dict = dict(run_id=str(run_id), flow_run_id=flow_run.get_id(), started_at=started, task_runner=_runner_name(),
                     sources=[safe_uri(s) for s in specs], status="failed")
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    extract_task = extract_batch.with_options(result_storage=Path(f"{warehouse}.cache").resolve())
    staging: Staging | None = None
    with writer_lock(warehouse):
        try:
            _tick("sources", 0, 1)
            stored = read_warehouse(warehouse)
            # only the pages' entries (feeds are read here), quoted: Prefect walks every parameter
            found = discover_sources(specs, now, quote({u: c for u, c in stored.fetch_cache.items() if is_url(u)}), fetch)
            _tick("sources", 1, 1)
            # Local files whose stat matches their cache entry are not read (timeline/sources.py);
            # the rest is fetched and ingested, mapped over batches. Local files are cut into bigger
            # batches on big runs (as extraction is); URLs keep batch_size
            same = {i: unchanged_file(i, stored.fetch_cache.get(i)) for i in found.items if not is_url(i)}
            same = {i: r for i, r in same.items() if r is not None}
            files = [i for i in found.items if not is_url(i) and i not in same]
            batches = make_batches(files, extract_batch_size(len(files), batch_size)) + make_batches(
                [i for i in found.items if is_url(i)], batch_size)
            caches = [{u: stored.fetch_cache[u] for u in b if u in stored.fetch_cache} for b in batches]
            staging = Staging.for_warehouse(warehouse)
            roots = [{i: found.roots[i] for i in b if i in found.roots} for b in batches]   # not all 10,000 per task
            # Fetch and extract streamed, batch by batch: a batch's new articles are staged (their
            # text on disk) and extracted while the next batches are read, and its records are
            # staged as its extraction ends. Only ids stay in memory, and at most a few batches
            # are in flight (_in_flight), so memory does not grow with the corpus.
            ingested, unchanged, cache_rows = Ingested(), set(), list(found.cache)
            requests = found.requests
            claimed: set[str] = set()                 # article ids read in this run
            redone: set[str] = set()                  # … sent to extraction (new to the warehouse or its extractor)
            extract_rejects: list[Rejection] = []
            n_mentions = 0
            fetch_window, extract_window = _in_flight()
            pending: deque = deque()                  # fetch futures, in batch order
            extracting: list = []                     # extract futures
            done = {"fetch": 0, "extract": 0, "extract_total": 0}

            def take(results) -> list[Article]:
                """Account for one batch's results, in order; its articles to extract."""
                nonlocal requests
                flat = []
                for r in results:
                    if r.outcome == "feed":     # a page that turned out to be a feed: its entries
                        found.feeds += 1
                        cache_rows.extend(r.cache)
                        requests += r.requests
                        flat.extend(r.extra_items)
                    else:
                        flat.append(r)
                todo = []
                for r in flat:
                    requests += r.requests
                    cache_rows.extend(r.cache)
                    for a in r.articles:
                        if a.source_uri not in ingested.sources:
                            ingested.inputs.append(a.source_uri)
                            ingested.sources[a.source_uri] = a.article_id
                            if a.article_id not in claimed:      # the first name of a content is its article's
                                claimed.add(a.article_id)
                                if stored.versions.get(a.article_id) != EXTRACTOR_VERSION:
                                    todo.append(a)
                    if r.outcome == "unchanged" and r.source_uri not in ingested.sources:
                        ingested.inputs.append(r.source_uri)
                        ingested.sources[r.source_uri] = r.article_id
                        unchanged.add(r.source_uri)
                    for x in r.rejects:
                        if x.source_uri not in ingested.sources and x.source_uri not in ingested.inputs:
                            ingested.inputs.append(x.source_uri)
                            ingested.rejects.append(x)
                return todo

            def finish(f) -> None:
                nonlocal n_mentions
                extracting.remove(f)
                ms, xs = f.result()
                staging.add_records(ms)
                n_mentions += len(ms)
                extract_rejects.extend(xs)
                done["extract"] += 1
                _tick("extract", done["extract"], done["extract_total"])

            def extract(todo: list[Article]) -> None:
                if not todo:
                    return
                staging.add_articles(todo)
                redone.update(a.article_id for a in todo)
                while len(extracting) >= extract_window:
                    finish(next(as_completed(extracting)))
                extracting.append(extract_task.submit(todo, now))
                done["extract_total"] += 1

            def fetched() -> None:
                extract(take(pending.popleft().result()))     # in batch order: the first name of a content wins
                done["fetch"] += 1
                _tick("fetch", done["fetch"], len(batches))

            _tick("fetch", 0, len(batches))
            extract(take(found.done))
            for b, c, r in zip(batches, caches, roots):
                pending.append(fetch_batch.submit(b, now, c, r, fetch))
                if len(pending) >= fetch_window:
                    fetched()
            while pending:
                fetched()
            extract(take(same.values()))
            while extracting:
                finish(next(as_completed(extracting)))
            for x in found.rejects:
                if x.source_uri not in ingested.inputs:
                    ingested.inputs.append(x.source_uri)
                    ingested.rejects.append(x)
            log.info("fetch: %d source(s) → %d article(s) read, %d unchanged (304 or same file stat), %d rejected; "
                     "%d HTTP request(s)", len(ingested.inputs), len(claimed), len(unchanged),
                     len(ingested.rejects), requests)
            new = sum(1 for aid in ingested.sources.values() if aid in redone)
            run.update(sources_seen=len(ingested.inputs), articles_new=new,
                       articles_unchanged=len(ingested.sources) - new, articles_failed=len(ingested.rejects),
                       requests=requests, feeds=found.feeds)
            live = set(ingested.sources) | {c.url for c in cache_rows if c.entries is not None}
            cache = [c.row() for c in cache_rows if c.url in live]
            if not (redone or _changes(stored, ingested, found.roots)):
                # Nothing new, changed or gone, and no new reject: the tables would come out as they
                # are. Write the runs row (and refreshed cache entries) only; no dedupe, no rewrite.
                run.update(mentions=0, rejects=len(ingested.rejects), rejects_extract=0)
                _tick("load", 0, 1)
                counts = record_unchanged_run(warehouse, {**run, "status": "completed",
                                                          "finished_at": datetime.now(timezone.utc)},
                                              fetch_cache=quote(cache))
                _tick("load", 1, 1)
                checked = None
            else:
                # Transform: the stored records still standing (their article is still some source's
                # content and was not extracted again) and the staged ones, deduplicated over keys;
                # the derived rows staged event by event
                standing = set({**stored.sources, **ingested.sources}.values()) - redone
                dedupe_events(warehouse, str(staging.folder), quote(standing))
                # Load (with the runs row and the fetch cache)
                run.update(mentions=n_mentions, rejects=len(ingested.rejects) + len(extract_rejects),
                           rejects_extract=len(extract_rejects))
                _tick("load", 0, 1)
                counts = load_warehouse(warehouse, str(staging.folder), quote(ingested.rejects + extract_rejects),
                                        quote(ingested.sources),
                                        run={**run, "status": "completed", "finished_at": datetime.now(timezone.utc)},
                                        fetch_cache=quote(cache))
                _tick("load", 1, 1)
                checked = counts.pop("checked", None)
            staging.clear()
            run.update(status="completed", events_created=counts["events_created"],
                       events_updated=counts["events_updated"])
            accounting = account_inputs(warehouse, quote(ingested), quote(redone))
            _tick("publish", 0, 1)
            snapshot = publish_snapshot(warehouse, parquet_dir, checked=checked)
            _tick("publish", 1, 1)
        except Exception as exc:
            if staging is not None:
                staging.clear()
            run.update(status="failed", finished_at=datetime.now(timezone.utc))
            try:
                record_failed_run(warehouse, run)
            except Exception as inner:
                log.warning("could not record the failed run: %s", inner)
            _artifact(_summary_base(run, warehouse))
            raise
    from collections import Counter

    summary = {**_summary_base(run, warehouse), "snapshot": snapshot,
               "by_reason": dict(sorted(Counter(x.reason for x in ingested.rejects + extract_rejects).items())),
               "failed_sources": [(x.source_uri, f"{x.reason}: {x.detail}") for x in ingested.rejects]}
    _artifact(summary)
    return {"snapshot": snapshot, "inputs": accounting["inputs"], "articles": len(ingested.contents),
            "articles_new_or_changed": accounting["articles_new_or_changed"],
            "duplicate_names": accounting["duplicate_names"], "inputs_rejected": accounting["inputs_rejected"],
            "lost": accounting["lost"], **counts,
            **{k: run[k] for k in ("run_id", "sources_seen", "articles_new", "articles_unchanged", "articles_failed",
                                   "mentions", "events_created", "events_updated", "rejects", "rejects_extract",
                                   "requests", "task_runner")}}


def _summary_base(run: dict, warehouse: str) -> dict:
    base = {k: run.get(k, 0) or 0 for k in ("sources_seen", "articles_new", "articles_unchanged", "articles_failed",
                                            "mentions", "events_created", "events_updated", "rejects",
                                            "rejects_extract", "requests", "feeds")}
    return {**base, "status": run["status"], "task_runner": run["task_runner"], "warehouse": warehouse}


# ---------------------------------------------------------------------------------------------
# Task runners
# ---------------------------------------------------------------------------------------------

def with_task_runner(name: str = "default", address: str | None = None, n_workers: int = 2):
    """The flow on a task runner: `default` (threads) or `dask` (prefect-dask: the scheduler at
    `address`, e.g. tcp://HOST:8786, else a LocalCluster of `n_workers` single-threaded worker
    processes). Tables come out identical either way."""
    if name in (None, "", "default", "threads"):
        return build_timeline
    if name != "dask":
        raise ValueError(f"unknown task runner {name!r}: default or dask")
    import logging
    import os

    # Dask's own INFO lines (scheduler, nannies, workers) would drown the flow's logs
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    logging.getLogger("distributed").setLevel(logging.WARNING)
    from prefect_dask import DaskTaskRunner

    if address:
        runner = DaskTaskRunner(address=address)
    else:
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": n_workers, "threads_per_worker": 1, "processes": True,
                                                "dashboard_address": ":0"})
    return build_timeline.with_options(task_runner=runner)
