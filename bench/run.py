"""`make bench`: the timeline benchmark (issue 7).

    .venv/bin/python bench/run.py [--sizes 1000,10000[,100000]] [--repeats 3] [--smoke]

For each corpus size (deterministic synthetic corpora, bench/corpus.py) and each repeat, in a
fresh folder and warehouse, three runs of the full Prefect flow (`bench/flowrun.py`, one process
each, measured from outside: wall time and peak memory of the process tree):

  cold   every article new;
  noop   the same folder again (nothing changed);
  incr   1% new articles added to the folder.

then dedup precision / recall of the warehouse against the generator's truth. Then, in this
process: extraction alone (extract + validate, one core) on a sample of the corpus, and the peers
(bench/peers.py: GiNZA, dateparser.search_dates, ja-timex) on the same articles, time-boxed, and
everyone's date and participant accuracy on the development sets.

Writes bench/results/<date>.json (medians over the repeats) and the table in BENCHMARKS.md
(between the `bench:table` markers), and prints the table. The flow runs talk to one Prefect
server the bench starts (`prefect server start` on 127.0.0.1, its home under bench/.work/), as a
deployment does; `--ephemeral` leaves PREFECT_API_URL unset instead, so every run starts
Prefect's temporary server (+6–8 s a run).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus as corpora  # noqa: E402
from bench import peers as peerlib  # noqa: E402

FORMAT = "timeline-bench/1"
PHASES = ("cold", "noop", "incr")
STAGES = ("read", "discover", "ingest", "extract", "dedupe", "load", "account", "publish")

# Issue 7's targets (2 cores)
TARGETS = {
    "e2e_10k_s": 60.0,               # 10,000 articles end to end, Prefect included
    "extract_per_core": 500.0,       # articles/s, extraction alone, one core
    "peak_rss_10k_mb": 1536.0,       # peak memory at 10,000 articles
    "noop_10k_s": 10.0,
    "incr_10k_s": 15.0,
    "linear_100k_ratio": 12.0,       # 100,000 run within 12x the 10,000 run
    "vs_ginza": 20.0,                # extraction at least 20x faster than the GiNZA pass
    "vs_dateparser": 5.0,            # and 5x faster than dateparser.search_dates
}


# ---------------------------------------------------------------------------------------------
# Memory of a process tree
# ---------------------------------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    return kids


def _tree(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class MemoryWatch(threading.Thread):
    """Polls a process tree: the peak of the summed PSS (shared pages divided among the processes
    that share them: forked workers are not counted twice) and of the summed RSS."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_pss_kb = self.peak_rss_kb = self.max_procs = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = _tree(self.pid)
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
            rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.max_procs = max(self.max_procs, len(pids))
            self.stop.wait(self.every)


# ---------------------------------------------------------------------------------------------
# One measured flow run
# ---------------------------------------------------------------------------------------------

def measure(sources: list[Path], warehouse: Path, env: dict, out_dir: Path, label: str,
            batch_size: int | None = None) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    result_file = out_dir / f"{label}.json"
    cmd = [sys.executable, str(ROOT / "bench" / "flowrun.py"), "--warehouse", str(warehouse), "--out", str(result_file)]
    for s in sources:
        cmd += ["--source", str(s)]
    if batch_size:
        cmd += ["--batch-size", str(batch_size)]
    log = open(out_dir / f"{label}.log", "wb")
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    watch = MemoryWatch(proc.pid)
    watch.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    watch.stop.set()
    watch.join()
    log.close()
    got = {"wall_s": round(wall, 3), "peak_pss_mb": round(watch.peak_pss_kb / 1024, 1),
           "peak_rss_sum_mb": round(watch.peak_rss_kb / 1024, 1), "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
           "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "processes": watch.max_procs, "ok": proc.returncode == 0,
           # the machine's 1-minute load average before and after: other work on the same cores shows here
           "loadavg": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    if proc.returncode != 0 or not result_file.exists():
        tail = (out_dir / f"{label}.log").read_text(errors="replace").strip().splitlines()[-15:]
        got.update(ok=False, error="\n".join(tail))
        return got
    flow = json.loads(result_file.read_text())
    # the process's wall time, less reading the stage timings back from the API after the flow returned
    got["wall_s"] = round(wall - (flow.get("post_s") or 0), 3)
    got.update(import_s=flow.get("import_s"), flow_s=flow.get("flow_s"), summary=flow.get("summary", {}),
               stages={k: v["wall_s"] for k, v in flow.get("stages", {}).items()},
               stage_tasks={k: v["tasks"] for k, v in flow.get("stages", {}).items()},
               stage_task_s={k: v["task_s"] for k, v in flow.get("stages", {}).items()})
    if flow.get("stages_error"):
        got["stages_error"] = flow["stages_error"]
    return got


def _link_all(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for p in sorted(src.iterdir()):
        try:
            os.link(p, dst / p.name)
        except OSError:
            shutil.copy2(p, dst / p.name)


def _settle(folder: Path) -> None:
    """Wait until the newest file is older than the stat rule's racy window: a file written moments
    before a run is read again by the next one (timeline/sources.py), which a freshly generated
    corpus would otherwise turn into a no-op run that is not one."""
    from timeline.sources import RACY_SECONDS

    newest = max((p.stat().st_mtime for p in folder.iterdir()), default=0.0)
    wait = newest + RACY_SECONDS + 0.1 - time.time()
    if wait > 0:
        time.sleep(wait)


def run_size(c: corpora.Corpus, repeats: int, env: dict, work: Path, batch_size: int | None, log,
             phases: tuple[str, ...] = PHASES) -> dict:
    from timeline.synth import Truth, score_warehouse

    runs = []
    for r in range(repeats):
        folder = work / "runs" / f"n{c.n_articles}-r{r}"
        if folder.exists():
            shutil.rmtree(folder)
        src, wh = folder / "src", folder / "wh" / "timeline.duckdb"
        _link_all(c.articles, src)
        _settle(src)
        one: dict = {}
        for phase in phases:
            if phase == "incr":
                _link_all(c.extra, src)
            elif phase == "noop" and "cold" not in one:
                break
            one[phase] = measure([src], wh, env, folder / "out", phase, batch_size)
            s = one[phase]
            log(f"  n={c.n_articles} repeat {r + 1}/{repeats} {phase:5s} {s['wall_s']:7.1f} s  "
                f"peak {s['peak_pss_mb']:7.0f} MB  " + ("ok" if s["ok"] else "FAILED: " + s.get("error", "")[-300:]))
            if not s["ok"]:
                break
        last = one.get("incr") or one.get("cold") or {}
        if last.get("ok"):
            t = time.perf_counter()
            truth = Truth.load(c.truth)
            sc = score_warehouse(truth, wh)
            one["dedup"] = {k: sc[k] for k in ("precision", "recall", "f1", "recall_matched", "unit_recall",
                                               "units", "true_events", "predicted_clusters", "spurious")}
            one["dedup"]["score_s"] = round(time.perf_counter() - t, 2)
        runs.append(one)
        shutil.rmtree(folder, ignore_errors=True)
    return {"articles": c.n_articles, "extra": c.n_extra, "mean_bytes": round(c.mean_bytes), "ja_share": round(c.ja_share, 3),
            "corpus_generated_s": round(c.generated_s, 2) if c.generated_s else None, "runs": runs,
            "median": _medians(runs, c.n_articles)}


def _med(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 3) if xs else None


def _medians(runs: list[dict], n: int) -> dict:
    out: dict = {}
    for phase in PHASES:
        ok = [r[phase] for r in runs if r.get(phase, {}).get("ok")]
        if not ok:
            out[phase] = None
            continue
        m = {k: _med([x.get(k) for x in ok]) for k in ("wall_s", "peak_pss_mb", "peak_rss_sum_mb", "max_rss_mb",
                                                         "cpu_s", "import_s", "flow_s")}
        m["stages"] = {s: _med([x.get("stages", {}).get(s) for x in ok]) for s in STAGES}
        m["runs"] = len(ok)
        if phase == "cold" and m["wall_s"]:
            m["articles_per_s"] = round(n / m["wall_s"], 1)
        out[phase] = m
    d = [r["dedup"] for r in runs if "dedup" in r]
    out["dedup"] = {k: _med([x[k] for x in d]) for k in d[0]} if d else None
    return out


# ---------------------------------------------------------------------------------------------
# Extraction alone and the peers, on the same articles
# ---------------------------------------------------------------------------------------------

def sample_articles(folder: Path, n: int) -> list:
    from timeline.ingest import ingest_file

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    out = []
    for p in sorted(folder.iterdir())[:n]:
        a = ingest_file(p, now, root=folder)
        if hasattr(a, "text"):
            out.append(a)
    return out


def extraction_speed(articles: list) -> dict:
    """extract + validate, one article after another in this process: one core."""
    from timeline.extract import extract
    from timeline.registry import load_registry
    from timeline.validate import validate

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    load_registry()
    extract(articles[0])            # warm the lazily built rules and the registry
    per = []
    for a in articles:
        t = time.perf_counter()
        try:
            validate(a, extract(a), now)
        except Exception:
            pass
        per.append(time.perf_counter() - t)
    total = sum(per)
    chars = sum(len(a.text) for a in articles)
    return {"articles": len(per), "seconds": round(total, 3), "articles_per_s_per_core": round(len(per) / total, 1),
            "chars_per_s": round(chars / total), "per_article": per}


def run_peers(names: list[str], articles: list, ours: dict, budget: float, log) -> dict:
    out = {}
    for name in names:
        peer, why = peerlib.load_peer(name)
        if peer is None:
            out[name] = {"available": False, "reason": why}
            log(f"  peer {name}: unavailable ({why})")
            continue
        got = peerlib.timed(peer, articles, budget)
        k = got["articles"]
        ours_s = sum(ours["per_article"][:k])
        got.pop("per_article")
        got.update(available=True, load_s=round(peer.load_s, 2), ours_seconds_same_articles=round(ours_s, 3),
                   ratio=round(got["seconds"] / ours_s, 1) if ours_s else None,
                   full_corpus_estimate_s=None)
        out[name] = got
        log(f"  peer {name}: {k} articles in {got['seconds']:.1f} s ({got['s_per_article'] * 1000:.0f} ms/article); "
            f"ours {ours_s:.2f} s on the same articles → {got['ratio']}x")
        del peer
    return out


def accuracy(names: list[str], work: Path, log) -> dict:
    import gc

    sets = peerlib.gold_sets(ROOT)
    out: dict = {"sets": [s[0] for s in sets], "ours": {}, "ours_strict": {}}
    docs = {name: peerlib.read_articles(folder) for name, folder, _ in sets}
    golds = {name: json.loads(g.read_text(encoding="utf-8")) for name, _, g in sets}

    def total(per: dict) -> dict:
        agg = {}
        for key in ("dates", "participants"):
            n = [v[f"{key}_n"] for v in per.values() if v.get(f"{key}_n") is not None]
            d = sum(v[f"{key}_total"] for v in per.values())
            agg[key] = round(sum(n) / d, 3) if n and d else None
            agg[f"{key}_n"], agg[f"{key}_total"] = (sum(n) if n else None), d
        return agg

    per = {s: peerlib.lenient_scores(golds[s], peerlib.ours_found(docs[s])) for s in docs}
    out["ours"] = {**total(per), "by_set": per}
    strict = {s: peerlib.ours_strict(folder, g, work / "accuracy" / s) for s, folder, g in sets}
    agg = {}
    for key in ("date_exact", "participant_recall"):
        n = sum(v[f"{key}_n"] or 0 for v in strict.values())
        d = sum(v[f"{key}_total"] or 0 for v in strict.values())
        agg[key] = round(n / d, 3) if d else None
        agg[f"{key}_n"], agg[f"{key}_total"] = n, d
    out["ours_strict"] = {**agg, "by_set": strict}
    for name in names:
        peer, why = peerlib.load_peer(name)
        if peer is None:
            out[name] = {"available": False, "reason": why}
            continue
        per = {s: peerlib.lenient_scores(golds[s], peerlib.peer_found(peer, docs[s]), people=peer.people) for s in docs}
        out[name] = {"available": True, **total(per), "by_set": per}
        del peer
        gc.collect()
    log("  accuracy (dates / participants): " + ", ".join(
        f"{k} {v.get('dates')}/{v.get('participants')}" for k, v in out.items()
        if isinstance(v, dict) and v.get("dates") is not None or k == "ours"))
    return out


# ---------------------------------------------------------------------------------------------
# The Prefect server the runs share
# ---------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, env: dict, log) -> tuple[subprocess.Popen, str, float]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    server_env = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], stdout=open(home / "server.log", "wb"), stderr=subprocess.STDOUT,
                            env=server_env, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited ({proc.returncode}); see {home / 'server.log'}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    took = time.perf_counter() - t0
                    log(f"prefect server on {url} ({took:.1f} s to start)")
                    return proc, url, took
        except OSError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("prefect server did not answer within 180 s")


def stop_server(proc: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ---------------------------------------------------------------------------------------------
# Targets, machine, table
# ---------------------------------------------------------------------------------------------

def machine() -> dict:
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = _kb("/proc/meminfo", "MemTotal:") / 1024 / 1024
    return {"cpu": cpu, "cores": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "memory_gb": round(mem, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    from timeline import EXTRACTOR_VERSION

    out = {"timeline_extractor": EXTRACTOR_VERSION}
    try:
        out["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                       text=True, timeout=10).stdout.strip() or None
        out["dirty"] = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                           capture_output=True, text=True, timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        out["commit"] = None
    for dist in ("prefect", "duckdb", "pydantic", "pyarrow"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    out.update(peerlib.versions())
    return out


def targets(res: dict) -> list[dict]:
    sizes = res["sizes"]
    ten = sizes.get("10000", {}).get("median") or {}
    hundred = sizes.get("100000", {}).get("median") or {}
    ex = res.get("extraction") or {}
    pe = res.get("peers") or {}
    acc = res.get("accuracy") or {}
    rows = []

    def add(name, value, limit, ok, unit="", note=""):
        rows.append({"target": name, "value": value, "limit": limit, "unit": unit,
                     "met": None if value is None else bool(ok), "note": note})

    cold = (ten.get("cold") or {})
    add("10,000 articles end to end", cold.get("wall_s"), f"≤ {TARGETS['e2e_10k_s']:g}",
        (cold.get("wall_s") or 1e9) <= TARGETS["e2e_10k_s"], "s")
    v = ex.get("articles_per_s_per_core")
    add("extraction alone, per core", v, f"≥ {TARGETS['extract_per_core']:g}", (v or 0) >= TARGETS["extract_per_core"],
        "articles/s")
    peak = max([x for p in PHASES for x in [((ten.get(p) or {}).get("peak_pss_mb"))] if x is not None], default=None)
    add("peak memory at 10,000 (PSS of the flow's processes)", peak, f"≤ {TARGETS['peak_rss_10k_mb']:g}",
        (peak or 1e9) <= TARGETS["peak_rss_10k_mb"], "MB")
    if hundred:
        p100 = max([x for p in PHASES for x in [((hundred.get(p) or {}).get("peak_pss_mb"))] if x is not None], default=None)
        add("memory flat in corpus size (peak at 100,000 / at 10,000)",
            round(p100 / peak, 2) if p100 and peak else None, "≈ 1", p100 and peak and p100 / peak <= 1.5, "×")
    add("no-op re-run at 10,000", (ten.get("noop") or {}).get("wall_s"), f"≤ {TARGETS['noop_10k_s']:g}",
        ((ten.get("noop") or {}).get("wall_s") or 1e9) <= TARGETS["noop_10k_s"], "s")
    add("+1% new articles at 10,000", (ten.get("incr") or {}).get("wall_s"), f"≤ {TARGETS['incr_10k_s']:g}",
        ((ten.get("incr") or {}).get("wall_s") or 1e9) <= TARGETS["incr_10k_s"], "s")
    if hundred and cold.get("wall_s"):
        r = (hundred.get("cold") or {}).get("wall_s")
        add("100,000 run / 10,000 run", round(r / cold["wall_s"], 2) if r else None,
            f"≤ {TARGETS['linear_100k_ratio']:g}", r and r / cold["wall_s"] <= TARGETS["linear_100k_ratio"], "×")
    for peer, key in (("ginza", "vs_ginza"), ("dateparser", "vs_dateparser")):
        p = pe.get(peer) or {}
        if p.get("available"):
            add(f"extraction vs {peer} (speed)", p.get("ratio"), f"≥ {TARGETS[key]:g}", (p.get("ratio") or 0) >= TARGETS[key],
                "× faster")
        else:
            add(f"extraction vs {peer} (speed)", None, f"≥ {TARGETS[key]:g}", False, "× faster",
                note=f"peer unavailable: {p.get('reason')}")
        a = acc.get(peer) or {}
        if a.get("available"):
            ours = acc.get("ours") or {}
            better_d = (ours.get("dates") or 0) > (a.get("dates") or 0)
            better_p = a.get("participants") is None or (ours.get("participants") or 0) > (a.get("participants") or 0)
            add(f"accuracy vs {peer} (dates, participants)",
                f"{ours.get('dates')} vs {a.get('dates')}, {ours.get('participants')} vs {a.get('participants')}",
                "better on both", better_d and better_p)
    return rows


def _f(v, digits=1) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def table(res: dict) -> str:
    m = res["machine"]
    v = res["versions"]
    lines = [f"Run {res['date']} on {m['cpu'] or 'unknown CPU'}, {m['affinity']} cores, {m['memory_gb']} GB; Python "
             f"{m['python']}; commit {v.get('commit')}{' (+ uncommitted changes)' if v.get('dirty') else ''}, "
             f"extractor {v.get('timeline_extractor')}; prefect {v.get('prefect')}, duckdb {v.get('duckdb')}; "
             f"medians of {res['config']['repeats']} run(s) per size"
             + (f" ({res['config']['repeats_large']} at 10,000 and more)" if res["config"].get("repeats_large") else "")
             + f"; highest 1-minute load average around a run {_max_load(res)} (above {m['affinity']}: other work "
             "shared the cores)"
             + (f" ({res['config'].get('server')})" if res["config"].get("server") else "") + ".", "",
             "| articles | phase | wall s | articles/s | peak MB (PSS) | max proc RSS MB | "
             + " | ".join(STAGES[2:]) + " | dedup P / R |",
             "|---:|---|---:|---:|---:|---:|" + "---:|" * len(STAGES[2:]) + "---|"]
    for size, s in res["sizes"].items():
        med = s["median"]
        d = med.get("dedup") or {}
        for phase in PHASES:
            x = med.get(phase)
            if not x and not any(phase in r for r in s["runs"]):
                continue                     # not run (--phases)
            if not x:
                lines.append(f"| {int(size):,} | {phase} | failed |" + " |" * (4 + len(STAGES[2:])))
                continue
            n = int(size) if phase != "incr" else s["extra"]
            rate = _f(round(n / x["wall_s"], 1)) if phase != "noop" and x["wall_s"] else "–"
            stages = " | ".join(_f(x["stages"].get(st)) for st in STAGES[2:])
            last = "incr" if med.get("incr") else "cold"
            dd = f"{d.get('precision'):.3f} / {d.get('recall'):.3f}" if phase == last and d.get("precision") is not None else ""
            lines.append(f"| {int(size):,} | {phase}{' (+' + str(s['extra']) + ')' if phase == 'incr' else ''} | "
                         f"{_f(x['wall_s'])} | {rate} | {_f(x['peak_pss_mb'], 0)} | {_f(x['max_rss_mb'], 0)} | {stages} | {dd} |")
    ex = res.get("extraction")
    if ex:
        lines += ["", f"Extraction alone (extract + validate, one core, {ex['articles']} articles of the "
                      f"{ex['corpus']:,}-article corpus): **{ex['articles_per_s_per_core']} articles/s** "
                      f"({ex['chars_per_s']:,} chars/s)."]
    pe, acc = res.get("peers") or {}, res.get("accuracy") or {}
    if pe or acc:
        ours = acc.get("ours") or {}
        strict = acc.get("ours_strict") or {}
        lines += ["", "| system | articles timed | s / article | ours on the same articles | ours faster by | "
                      "dates found (dev) | participants found (dev) |", "|---|---:|---:|---:|---:|---:|---:|"]
        if ex:
            lines.append(f"| **timeline** (extract + validate) | {ex['articles']} | {ex['seconds'] / ex['articles']:.4f} | – | – | "
                         f"{_f(ours.get('dates'), 3)} (strict date_exact {_f(strict.get('date_exact'), 3)}) | "
                         f"{_f(ours.get('participants'), 3)} (strict participant_recall {_f(strict.get('participant_recall'), 3)}) |")
        for name in peerlib.PEERS:
            p, a = pe.get(name) or {}, acc.get(name) or {}
            if not p.get("available"):
                lines.append(f"| {name} | unavailable: {p.get('reason') or a.get('reason')} | | | | | |")
                continue
            lines.append(f"| {name} | {p['articles']} | {p['s_per_article']:.4f} | {p['ours_seconds_same_articles']:.2f} s "
                         f"vs {p['seconds']:.1f} s | **{_f(p['ratio'])}×** | {_f(a.get('dates'), 3)} | "
                         f"{_f(a.get('participants'), 3) if a.get('participants') is not None else 'no NER'} |")
        if acc.get("sets"):
            lines += ["", f"Accuracy on the development sets {', '.join(acc['sets'])}: "
                          f"{ours.get('dates_total')} core dated gold events, {ours.get('participants_total')} required "
                          "participants (definitions in bench/peers.py)."]
    rows = res.get("targets") or []
    if rows:
        lines += ["", "| target (2 cores) | measured | target | met |", "|---|---:|---:|---|"]
        for t in rows:
            met = "–" if t["met"] is None else ("yes" if t["met"] else "**no**")
            lines.append(f"| {t['target']} | {_f(t['value'])} {t['unit']} | {t['limit']} | {met}"
                         + (f" ({t['note']})" if t.get("note") else "") + " |")
    return "\n".join(lines) + "\n"


def _max_load(res: dict) -> float | None:
    loads = [x for s in res["sizes"].values() for r in s["runs"] for p in PHASES for x in r.get(p, {}).get("loadavg", [])]
    return max(loads) if loads else None


def write_md(path: Path, text: str) -> None:
    begin, end = "<!-- bench:table:begin -->", "<!-- bench:table:end -->"
    block = f"{begin}\n{text}{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if begin in old and end in old:
        new = old[:old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


# ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000"),
                    help="corpus sizes in articles, comma-separated (default 1000,10000; add 100000 for the scale run)")
    ap.add_argument("--repeats", type=int, default=int(os.environ.get("BENCH_REPEATS", "3")),
                    help="runs per size below 10,000 (medians are reported)")
    ap.add_argument("--repeats-large", type=int, default=int(os.environ.get("BENCH_REPEATS_LARGE", "3")),
                    help="runs per size of 10,000 to 99,999 (sizes ≥ 100,000 run once)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch-size", type=int, default=None, help="the flow's --batch-size (default: the flow's)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--md", type=Path, default=ROOT / "BENCHMARKS.md", help="where the table goes")
    ap.add_argument("--no-md", action="store_true", help="do not touch BENCHMARKS.md")
    ap.add_argument("--peers", default="ginza,dateparser,ja_timex", help="peers to measure ('' for none)")
    ap.add_argument("--peer-budget", type=float, default=float(os.environ.get("BENCH_PEER_BUDGET", "15")),
                    help="seconds each peer may spend on corpus articles (GiNZA needs ~1 s an article)")
    ap.add_argument("--sample", type=int, default=1000, help="articles for extraction alone")
    ap.add_argument("--phases", default="cold,noop,incr", help="which runs of each repeat (default: all three)")
    ap.add_argument("--no-accuracy", action="store_true", help="skip the accuracy on the development sets")
    ap.add_argument("--ephemeral", action="store_true", help="no shared server: each run starts Prefect's temporary one")
    ap.add_argument("--smoke", action="store_true", help="CI: 200 articles, one repeat, small peer budgets")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sizes, args.repeats, args.peer_budget, args.sample = "200", 1, min(args.peer_budget, 3.0), 100
    sizes = [int(x) for x in str(args.sizes).split(",") if x.strip()]
    names = [p for p in args.peers.split(",") if p]
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[bench {time.perf_counter() - started:6.1f}s] {msg}", flush=True)

    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120", "PREFECT_HOME": str(args.work / "prefect-home"),
           "PYTHONHASHSEED": "0"}
    env.pop("PREFECT_API_URL", None)
    res: dict = {"format": FORMAT, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
                 "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                 "machine": machine(), "versions": versions(),
                 "config": {"sizes": sizes, "repeats": args.repeats, "repeats_large": args.repeats_large,
                            "seed": args.seed, "batch_size": args.batch_size,
                            "peer_budget_s": args.peer_budget, "sample": args.sample, "smoke": args.smoke},
                 "sizes": {}}
    server = None
    try:
        if not args.ephemeral:
            server, url, took = start_server(args.work / "prefect-home", env, log)
            env["PREFECT_API_URL"] = url
            res["config"]["server"] = f"one local Prefect server, {took:.0f} s to start, not counted"
            res["prefect_server_start_s"] = round(took, 1)
        else:
            res["config"]["server"] = "Prefect's temporary server started by every run, counted"
        last = None
        for n in sizes:
            c = corpora.ensure(n, args.seed, args.work / "corpora")
            log(f"corpus {n:,} articles (+{c.n_extra}), mean {c.mean_bytes:.0f} bytes, "
                + (f"generated in {c.generated_s:.1f} s" if c.generated_s else "reused") + f": {c.folder}")
            reps = 1 if n >= 100_000 else args.repeats_large if n >= 10_000 else args.repeats
            res["sizes"][str(n)] = run_size(c, reps, env, args.work, args.batch_size, log,
                                            tuple(p for p in PHASES if p in args.phases.split(",")))
            last = c
    finally:
        if server is not None:
            stop_server(server)
    if last is not None and args.sample:
        arts = sample_articles(last.articles, args.sample)
        log(f"extraction alone on {len(arts)} articles …")
        ex = extraction_speed(arts)
        ex["corpus"] = last.n_articles
        log(f"  {ex['articles_per_s_per_core']} articles/s on one core")
        if names:
            res["peers"] = run_peers(names, arts, ex, args.peer_budget, log)
            for p in res["peers"].values():
                if p.get("available") and p.get("s_per_article"):
                    p["full_corpus_estimate_s"] = round(p["s_per_article"] * last.n_articles)
        ex.pop("per_article")
        res["extraction"] = ex
    if not args.no_accuracy:
        log("accuracy on the development sets …")
        res["accuracy"] = accuracy(names, args.work, log)
    res["targets"] = targets(res)
    res["total_s"] = round(time.perf_counter() - started, 1)
    args.results.mkdir(parents=True, exist_ok=True)
    tag = "-smoke" if args.smoke else "-" + "-".join(str(n) for n in sizes) if args.no_md else ""
    out = args.results / f"{res['date']}{tag}.json"
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    text = table(res)
    if not args.no_md:
        write_md(args.md, text)
    print()
    print(text)
    log(f"results: {out}" + ("" if args.no_md else f"; table: {args.md}"))
    ok = all(r[p].get("ok") for s in res["sizes"].values() for r in s["runs"] for p in PHASES if p in r)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
