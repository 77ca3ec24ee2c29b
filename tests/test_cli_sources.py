"""`timeline run` with repeated sources over HTTP, drawing its progress bar on a terminal, and
`timeline serve` refusing to start without a Prefect server."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import ROOT, SEEDS
from helpers.http_site import NewsSite, seed_site, with_feeds

ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", **extra)
    return env


def test_serve_needs_a_prefect_server():
    out = subprocess.run([sys.executable, "-m", "timeline.cli", "serve"], capture_output=True, text=True, cwd=ROOT,
                         env=_env(), timeout=120)
    assert out.returncode == 2 and "prefect server start" in out.stderr and "PREFECT_API_URL" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_run_help_lists_the_source_kinds_and_task_runners():
    out = subprocess.run([sys.executable, "-m", "timeline.cli", "run", "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    text = " ".join(out.stdout.split())
    for word in ("RSS", "Atom", "@FILE", "repeatable", "--task-runner", "--dask-address", "--rate-limit", "--timeout"):
        assert word in text, word


def _run_in_terminal(args: list[str], env: dict, timeout: float = 240) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as stdout and stderr; return (exit code, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, cwd=ROOT, env=env,
                            close_fds=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:   # the terminal closed: the command is done
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(1, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(master)
    return code, ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))


@pytest.mark.slow
def test_run_over_http_with_a_progress_bar(tmp_path):
    db = tmp_path / "w.duckdb"
    with NewsSite(seed_site(SEEDS), slow_seconds=1.5) as site:
        site.pages.update(with_feeds(site.pages, site.base))
        code, out = _run_in_terminal(
            [sys.executable, "-m", "timeline.cli", "run", "--source", site.url("/feed.xml"),
             "--source", site.url("/articles/2plus2.html"), "--source", site.url("/missing"), "--source", str(SEEDS),
             "--warehouse", str(db), "--timeout", "1", "--retries", "0", "--rate-limit", "0.01"],
            _env(COLUMNS="120"))
    assert code == 0, out[-3000:]
    for phase in ("fetching and ingesting (batches)", "extracting (batches)", "loading DuckDB", "publishing the snapshot"):
        assert phase in out, phase
    assert "Finished in state Completed()" in out          # Prefect's log lines still show
    summary = next(line for line in out.splitlines() if line.startswith("timeline: snapshot="))
    fields = dict(kv.split("=", 1) for kv in summary[len("timeline: "):].split(", "))
    assert (fields["sources_seen"], fields["articles_new"], fields["articles_failed"]) == ("9", "8", "1")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT reason FROM rejects").fetchall() == [("not_found",)]
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    con.close()
