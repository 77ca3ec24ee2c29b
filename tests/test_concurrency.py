"""Concurrent runs: one writer at a time (warehouse/lock.py). A second run waits, bounded, or
exits with one clear line; two runs started together end equal to a single run."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SEEDS, run_stages
from warehouse.lock import WarehouseBusy, lock_path, writer_lock

HOLD = ("import sys, time; sys.path.insert(0, {root!r}); from warehouse.lock import writer_lock\n"
        "with writer_lock(sys.argv[1], timeout=0):\n    print('locked', flush=True); time.sleep(float(sys.argv[2]))")
STAGES = ("import sys, json; sys.path[:0] = [{root!r}, {tests!r}]; from pathlib import Path; from conftest import run_stages; "
          "c = run_stages(Path(sys.argv[1]), Path(sys.argv[2])); print(json.dumps(c['accounting']))")
CONTENT = ("articles", "article_sources", "mention_records", "mentions", "meetings", "participants", "outcomes",
           "dedupe_decisions", "event_redirects", "rejects")


def _env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def _holder(db: Path, seconds: float) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", HOLD.format(root=str(ROOT)), str(db), str(seconds)],
                         stdout=subprocess.PIPE, text=True, env=_env())
    assert p.stdout.readline().strip() == "locked"
    return p


def dump(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in CONTENT}
    finally:
        con.close()


def test_a_second_writer_gives_up_after_its_wait_naming_the_holder(tmp_path):
    db = tmp_path / "timeline.duckdb"
    holder = _holder(db, 60)
    try:
        t0 = time.monotonic()
        with pytest.raises(WarehouseBusy) as busy:
            with writer_lock(db, timeout=0.5):
                pass
        assert 0.5 <= time.monotonic() - t0 < 5
        assert str(busy.value) == f"another run is writing {db} (pid {holder.pid}); waited 0.5 s"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # a killed holder leaves no stale lock: the kernel released it
    t0 = time.monotonic()
    with writer_lock(db, timeout=5):
        assert time.monotonic() - t0 < 1
        assert lock_path(db).read_text().split()[0] == str(os.getpid())


def test_a_second_writer_waits_for_the_first_then_proceeds(tmp_path):
    db = tmp_path / "timeline.duckdb"
    holder = _holder(db, 1.5)
    heard = []
    t0 = time.monotonic()
    with writer_lock(db, timeout=60, notify=heard.append):
        waited = time.monotonic() - t0
    holder.wait(timeout=30)
    assert 0.5 < waited < 30
    assert heard == [f"waiting for another run writing {db} (pid {holder.pid}), up to 60 s"]


def test_the_lock_is_reentrant_in_one_process(tmp_path):
    db = tmp_path / "timeline.duckdb"
    with writer_lock(db, timeout=0):
        with writer_lock(db, timeout=0):      # the CLI holds it; the flow takes it again
            pass
        probe = subprocess.run([sys.executable, "-c", HOLD.format(root=str(ROOT)), str(db), "0"],
                               capture_output=True, text=True, env=_env())
        assert probe.returncode != 0 and "WarehouseBusy" in probe.stderr   # still held after the inner exit


def test_timeline_run_on_a_busy_warehouse_exits_with_one_line(tmp_path):
    db = tmp_path / "timeline.duckdb"
    holder = _holder(db, 60)
    try:
        out = subprocess.run([sys.executable, "-m", "timeline.cli", "run", "--source", str(SEEDS), "--warehouse",
                              str(db), "--wait", "1", "--no-progress"], capture_output=True, text=True, cwd=ROOT,
                             timeout=120, env=_env())
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert out.returncode == 75, out.stderr
    assert out.stderr.strip().splitlines() == [
        f"timeline: waiting for another run writing {db} (pid {holder.pid}), up to 1 s",
        f"timeline: error: another run is writing {db} (pid {holder.pid}); waited 1 s"]
    assert not db.exists()                 # nothing was written


def test_two_runs_started_together_equal_a_single_run(tmp_path):
    single = tmp_path / "single" / "timeline.duckdb"
    single.parent.mkdir()
    run_stages(SEEDS, single)
    db = tmp_path / "both" / "timeline.duckdb"
    db.parent.mkdir()
    code = STAGES.format(root=str(ROOT), tests=str(ROOT / "tests"))
    runs = [subprocess.Popen([sys.executable, "-c", code, str(SEEDS), str(db)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=_env(TIMELINE_LOCK_TIMEOUT="300"))
            for _ in range(2)]
    results = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], [e for _, e in results]
    accounts = sorted((json.loads(out) for out, _ in results), key=lambda a: -a["articles_new_or_changed"])
    # one wrote everything; the other, waiting for it, found everything unchanged
    assert accounts[0]["articles_new_or_changed"] == 5 and accounts[1]["articles_new_or_changed"] == 0
    assert accounts[1]["articles_unchanged"] == 5 and all(a["lost"] == 0 for a in accounts)
    assert dump(db) == dump(single)


@pytest.mark.slow
def test_two_timeline_runs_at_once_one_writes_the_other_waits_or_exits_clearly(tmp_path):
    """The real command, twice at once (each starts its own Prefect): never two writers, and the
    result equals a single run."""
    single = tmp_path / "single" / "timeline.duckdb"
    single.parent.mkdir()
    run_stages(SEEDS, single)
    db = tmp_path / "both" / "timeline.duckdb"
    secret = "s3cr3t-token-value-never-logged"
    env = _env(TIMELINE_TEST_SECRET=secret, PREFECT_HOME=str(tmp_path / "prefect"))
    runs = [subprocess.Popen([sys.executable, "-m", "timeline.cli", "run", "--source", str(SEEDS), "--warehouse",
                              str(db), "--no-progress", "--wait", wait], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
            for wait in ("600", "600")]
    results = [r.communicate(timeout=600) for r in runs]
    codes = [r.returncode for r in runs]
    assert sorted(codes) in ([0, 0], [0, 75]), results
    for (out, err), code in zip(results, codes):
        assert "Traceback" not in err and secret not in out + err
        if code == 75:
            assert re.search(r"timeline: error: another run is writing .* \(pid \d+\); waited", err)
    summaries = [dict(kv.split("=", 1) for kv in out.strip().splitlines()[-1][len("timeline: "):].split(", "))
                 for (out, _), code in zip(results, codes) if code == 0]
    assert sorted(s["articles_new_or_changed"] for s in summaries)[-1] == "5"
    assert all(s["lost"] == "0" for s in summaries)
    # the CLI stamps ingested_at with the clock: compare everything the content decides
    a, b = dump(db), dump(single)
    for t in ("mention_records", "mentions", "meetings", "participants", "outcomes", "dedupe_decisions",
              "event_redirects"):
        assert a[t] == b[t], t
