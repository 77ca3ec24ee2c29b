"""prefect.yaml as users run it: a real `prefect server start` on 127.0.0.1, the daily deployment
deployed with `prefect deploy --all`, triggered with `prefect deployment run`, executed by a
`process` worker and then by `timeline serve`; the warehouse is updated by those runs.

The project folder the deployments run in (TIMELINE_HOME) is a temporary one linking to this
repository's flows and seeds, and the runs write their warehouse under the test's temporary
folder, so nothing in the repository changes. Every process started here is stopped, by its id, at the end."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Procs:
    """Processes started by this test, each in its own session; stopped by id at the end."""

    def __init__(self, logs: Path):
        self.logs, self.started = logs, []

    def start(self, name: str, args: list[str], env: dict, cwd: Path) -> subprocess.Popen:
        out = open(self.logs / f"{name}.log", "wb")
        p = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append((name, p, out))
        return p

    def stop(self, p: subprocess.Popen) -> None:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)   # the group of a process this test started (worker → flow run)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)

    def stop_all(self) -> None:
        for _, p, out in reversed(self.started):
            try:
                self.stop(p)
            except ProcessLookupError:
                pass
            out.close()

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""


def _cli(args: list[str], env: dict, cwd: Path, timeout: float = 120) -> str:
    out = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(args)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    return out.stdout + out.stderr


def _wait_for_run(api: str, run_id: str, procs: Procs, runner: str, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    state = {}
    while time.monotonic() < deadline:
        state = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json().get("state") or {}
        if state.get("type") in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            break
        time.sleep(1)
    assert state.get("type") == "COMPLETED", f"flow run {run_id}: {state}\n--- {runner} log ---\n{procs.log(runner)}"
    return state


def _trigger(env: dict, home: Path, warehouse: Path) -> str:
    # the deployment's own sources (@sources/daily.list); the warehouse outside the project folder,
    # where a `warehouse/` folder without code would shadow the `warehouse` package for `python -m`
    out = _cli([str(BIN / "prefect"), "deployment", "run", "build-timeline/daily", "--param", f"warehouse={warehouse}"],
               env, home)
    return UUID.search(out).group(0)


@pytest.fixture
def server(tmp_path):
    """`prefect server start` on a free port with its own PREFECT_HOME; yields (env, api, procs)."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_API_URL=api,
               PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", PREFECT_WORKER_QUERY_SECONDS="1",
               PREFECT_RUNNER_POLL_FREQUENCY="1", PREFECT_WORKER_PREFETCH_SECONDS="5", TIMELINE_LOCK_TIMEOUT="60")
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = Procs(logs)
    try:
        procs.start("server", [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                    env, tmp_path)
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "prefect server did not start in 120 s:\n" + procs.log("server")
            time.sleep(0.5)
        yield env, api, procs
    finally:
        procs.stop_all()


def _project_home(tmp_path: Path) -> Path:
    """A TIMELINE_HOME linking to the repository's code and seeds, with prefect.yaml as is."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("flows", "seeds"):   # code is imported from the installed package; data stays here
        if (ROOT / name).exists():
            (home / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "prefect.yaml", home / "prefect.yaml")
    (home / "sources").mkdir()
    shutil.copy(ROOT / "sources" / "daily.list", home / "sources" / "daily.list")
    return home


def _runs(db: Path) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute("SELECT * FROM runs ORDER BY started_at")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]
    finally:
        con.close()


def test_deployed_daily_run_by_a_worker_then_by_timeline_serve(server, tmp_path):
    env, api, procs = server
    home = _project_home(tmp_path)
    env = {**env, "TIMELINE_HOME": str(home)}
    timings = {}

    start = time.monotonic()
    _cli([str(BIN / "prefect"), "work-pool", "create", "timeline", "--type", "process"], env, home)
    out = _cli([str(BIN / "prefect"), "--no-prompt", "deploy", "--all"], env, home, timeout=180)
    assert "build-timeline/daily" in out and "build-timeline/backfill" in out
    deployment = httpx.get(f"{api}/deployments/name/build-timeline/daily", timeout=10).json()
    assert deployment["work_pool_name"] == "timeline"
    assert [(s["schedule"]["cron"], s["schedule"]["timezone"]) for s in deployment["schedules"]] == [("0 6 * * *", "Asia/Tokyo")]
    assert deployment["parameters"]["source"] == "@sources/daily.list"
    backfill = httpx.get(f"{api}/deployments/name/build-timeline/backfill", timeout=10).json()
    assert backfill["schedules"] == [] and backfill["parameters"]["fetch"]["rate_limit"] == 2
    timings["deploy"] = time.monotonic() - start

    # 1. triggered, executed by a process worker
    start = time.monotonic()
    db = tmp_path / "out" / "timeline.duckdb"
    run_id = _trigger(env, home, db)
    worker = procs.start("worker", [str(BIN / "prefect"), "worker", "start", "--pool", "timeline", "--type", "process"],
                         env, home)
    _wait_for_run(api, run_id, procs, "worker")
    procs.stop(worker)
    timings["worker run"] = time.monotonic() - start
    runs = _runs(db)
    assert [r["flow_run_id"] for r in runs] == [run_id] and runs[0]["status"] == "completed"
    assert (runs[0]["sources_seen"], runs[0]["articles_new"], runs[0]["articles_failed"]) == (5, 5, 0)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM meetings").fetchone()[0] > 0
    con.close()
    assert (db.parent / "snapshot" / "timeline.duckdb").exists()
    artifacts = httpx.post(f"{api}/artifacts/filter", timeout=10, json={
        "artifacts": {"flow_run_id": {"any_": [run_id]}, "key": {"any_": ["timeline-run-summary"]}}}).json()
    assert len(artifacts) == 1 and "| articles new | 5 |" in artifacts[0]["data"]

    # 2. the same deployment served by `timeline serve` (no work pool), triggered again; serving and a
    # work pool are alternatives: the pool's deployment is removed first (as the README says)
    start = time.monotonic()
    _cli([str(BIN / "prefect"), "deployment", "delete", "build-timeline/daily"], env, home)
    serve = procs.start("serve", [str(BIN / "timeline"), "serve", "--only", "daily"], env, home)
    deadline = time.monotonic() + 90
    while httpx.get(f"{api}/deployments/name/build-timeline/daily", timeout=10).status_code != 200:
        assert serve.poll() is None and time.monotonic() < deadline, procs.log("serve")
        time.sleep(0.5)
    served = httpx.get(f"{api}/deployments/name/build-timeline/daily", timeout=10).json()
    assert served["work_pool_name"] is None and served["schedules"][0]["schedule"]["timezone"] == "Asia/Tokyo"
    second = _trigger(env, home, db)   # the worker is stopped: only serve can run it
    _wait_for_run(api, second, procs, "serve")
    procs.stop(serve)
    timings["serve run"] = time.monotonic() - start
    runs = _runs(db)
    assert [r["flow_run_id"] for r in runs] == [run_id, second]
    assert (runs[1]["articles_new"], runs[1]["articles_unchanged"], runs[1]["events_created"]) == (0, 5, 0)
    print("\n" + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
