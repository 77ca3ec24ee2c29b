"""Crash safety: a run killed with SIGKILL at any point of load or publish leaves the warehouse
and the published snapshot as before or fully updated; readers never see a partial state; the
next run completes the work without repair, ending equal to a run that never crashed.

The crashing run is a subprocess (tests/conftest.run_stages) stopped either at a named point
(TIMELINE_FAULT, warehouse/faults.py) or by a SIGKILL from here at chosen moments.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SEEDS, run_stages
from warehouse.snapshot import DB_NAME, current, manifest

pytestmark = pytest.mark.slow

READER = ROOT / "tests" / "helpers" / "snapshot_reader.py"
CONTENT = ("articles", "article_sources", "mention_records", "mentions", "meetings", "participants", "outcomes",
           "dedupe_decisions", "event_redirects", "rejects")
POINTS = ("load:mid_insert", "load:before_commit", "load:after_commit", "publish:mid_export",
          "publish:before_rename", "publish:before_swap", "publish:after_swap")
RUN = ("import sys; sys.path[:0] = [{root!r}, {tests!r}]; from pathlib import Path; from conftest import run_stages; "
       "run_stages(Path(sys.argv[1]), Path(sys.argv[2]))")


def _env(**extra) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra}
    env.pop("TIMELINE_FAULT", None)
    env.update(extra)
    return env


def _start(src: Path, db: Path, **env) -> subprocess.Popen:
    code = RUN.format(root=str(ROOT), tests=str(ROOT / "tests"))
    return subprocess.Popen([sys.executable, "-c", code, str(src), str(db)], env=_env(**env), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def dump(db: Path) -> dict[str, list]:
    """Every content table, sorted (the way the next run opens the file: read-write, WAL replayed)."""
    con = duckdb.connect(str(db))
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in CONTENT}
    finally:
        con.close()


def snapshot_state(root: Path) -> tuple[str, dict]:
    """The current snapshot's stamp and content; fails unless it is complete (its counts match
    its manifest and every Parquet file the manifest names opens)."""
    folder = current(root)
    m = manifest(folder)
    con = duckdb.connect(str(folder / DB_NAME), read_only=True)
    try:
        content = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in CONTENT}
        for t, n in {**m["tables"], **m["marts"]}.items():
            assert con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == n, t
            assert con.execute(f"SELECT count(*) FROM read_parquet('{folder / 'parquet' / (t + '.parquet')}')").fetchone()[0] == n, t
    finally:
        con.close()
    assert (folder / "parquet" / "_SUCCESS").exists()
    return folder.name, content


def _copy_state(src_root: Path, dst_root: Path) -> None:
    shutil.copytree(src_root, dst_root, symlinks=True)
    for p in dst_root.rglob("*"):          # published files are read-only; the copy must be removable
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """`base`: a warehouse built from one seed; `full`: the same after a clean run on three."""
    base_dir = tmp_path_factory.mktemp("crash")
    one, three = base_dir / "one", base_dir / "three"
    one.mkdir()
    three.mkdir()
    files = sorted(SEEDS.glob("*.txt"))[:3]
    shutil.copy(files[0], one / files[0].name)
    for f in files:
        shutil.copy(f, three / f.name)
    base = base_dir / "base"
    base.mkdir()
    run_stages(one, base / "timeline.duckdb")
    full = base_dir / "full"
    _copy_state(base, full)
    run_stages(three, full / "timeline.duckdb")
    return {"three": three, "base": base, "full": full,
            "base_dump": dump(base / "timeline.duckdb"), "full_dump": dump(full / "timeline.duckdb"),
            "base_snap": snapshot_state(base), "full_snap": snapshot_state(full)}


def _poller(root: Path, stop: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(READER), "poll", str(root), str(stop)], stdout=subprocess.PIPE,
                            text=True, env=_env(), cwd=ROOT)


def _finish_poller(poller: subprocess.Popen, stop: Path) -> dict:
    stop.touch()
    out, _ = poller.communicate(timeout=120)
    return json.loads(out)


@pytest.mark.parametrize("point", POINTS)
def test_sigkill_at_a_point_of_load_or_publish_then_rerun(states, tmp_path, point):
    root = tmp_path / "wh"
    _copy_state(states["base"], root)
    db = root / "timeline.duckdb"
    stop = tmp_path / "stop"
    poller = _poller(root, stop)
    try:
        crashed = _start(states["three"], db, TIMELINE_FAULT=point)
        crashed.communicate(timeout=300)
        assert crashed.returncode == -signal.SIGKILL, crashed.returncode
        # the warehouse: rolled back before the commit, complete after it
        committed = point in ("load:after_commit",) or point.startswith("publish:")
        assert dump(db) == states["full_dump" if committed else "base_dump"]
        # the snapshot: the previous complete version until the link is swapped
        stamp, content = snapshot_state(root)
        if point == "publish:after_swap":
            assert stamp != states["base_snap"][0] and content == states["full_snap"][1]
        else:
            assert (stamp, content) == states["base_snap"]
        # the next run completes the work: tables equal a clean run's, and a new complete snapshot
        run_stages(states["three"], db)
        assert dump(db) == states["full_dump"]
        stamp, content = snapshot_state(root)
        assert content == states["full_snap"][1]
    finally:
        seen = _finish_poller(poller, stop)
    # readers only ever saw whole versions: the old one, then new ones
    assert seen["errors"] == [] and seen["consistent"] and seen["observations"] > 0
    assert seen["versions"][0] == states["base_snap"][0]


def test_sigkill_at_any_moment_leaves_before_or_after(states, tmp_path):
    """Kills spread over a whole run (startup, ingest, extract, load, commit, checkpoint,
    publish): each leaves the previous or the new state, whole; a final run completes."""
    probe_root = tmp_path / "probe"
    _copy_state(states["base"], probe_root)
    t0 = time.monotonic()
    probe = _start(states["three"], probe_root / "timeline.duckdb")
    probe.communicate(timeout=300)
    assert probe.returncode == 0
    duration = time.monotonic() - t0
    outcomes = []
    for i, fraction in enumerate((0.5, 0.65, 0.8, 0.9, 0.97)):
        root = tmp_path / f"k{i}"
        _copy_state(states["base"], root)
        db = root / "timeline.duckdb"
        run = _start(states["three"], db)
        try:
            run.wait(timeout=duration * fraction)
        except subprocess.TimeoutExpired:
            run.send_signal(signal.SIGKILL)
        run.communicate(timeout=60)
        state = dump(db)
        assert state in (states["base_dump"], states["full_dump"]), f"partial warehouse after a kill at {fraction:.0%}"
        stamp, content = snapshot_state(root)
        assert content in (states["base_snap"][1], states["full_snap"][1])
        outcomes.append(("after" if state == states["full_dump"] else "before", run.returncode))
        if (state, content) != (states["full_dump"], states["full_snap"][1]):   # the next run completes it
            run_stages(states["three"], db)
            assert dump(db) == states["full_dump"] and snapshot_state(root)[1] == states["full_snap"][1]
    print("kill outcomes:", outcomes)
    assert any(code == -signal.SIGKILL for _, code in outcomes)
