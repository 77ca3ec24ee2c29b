"""CI smoke of `make bench` (bench/run.py --smoke): ~200 articles, one repeat, peers skipped when
they are not installed. Checks that the benchmark still runs and writes every field, not its speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_smoke_writes_the_result(tmp_path):
    results, md = tmp_path / "results", tmp_path / "BENCHMARKS.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--work", str(tmp_path / "work"),
                           "--results", str(results), "--md", str(md)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    [out] = list(results.glob("*-smoke.json"))
    res = json.loads(out.read_text())
    assert res["format"] == "timeline-bench/1"
    assert set(res) >= {"date", "machine", "versions", "config", "sizes", "extraction", "peers", "accuracy", "targets"}
    size = res["sizes"]["200"]
    assert size["articles"] == 200 and size["extra"] == 2
    run = size["runs"][0]
    for phase in ("cold", "noop", "incr"):
        r = run[phase]
        assert r["ok"], r.get("error")
        assert r["wall_s"] > 0 and r["peak_pss_mb"] > 0 and r["max_rss_mb"] > 0
        # a no-op run reads no file and deduplicates nothing: its runs row is its load
        stages = {"load", "publish"} if phase == "noop" else {"ingest", "dedupe", "load", "publish"}
        assert stages <= set(r["stages"]), r.get("stages_error")
    assert not {"ingest", "extract", "dedupe"} & set(run["noop"]["stages"])
    assert run["cold"]["summary"]["articles_new"] == 200
    assert run["noop"]["summary"]["articles_new"] == 0
    assert run["incr"]["summary"]["articles_new"] == 2
    assert "extract" in run["cold"]["stages"]
    assert 0 <= run["dedup"]["precision"] <= 1 and 0 <= run["dedup"]["recall"] <= 1
    med = size["median"]
    assert med["cold"]["wall_s"] > 0 and med["dedup"]["precision"] is not None
    assert res["extraction"]["articles_per_s_per_core"] > 0
    for name in ("ginza", "dateparser", "ja_timex"):          # measured, or unavailable with a reason
        p = res["peers"][name]
        assert p["available"] is True and p["ratio"] > 0 or p["available"] is False and p["reason"]
    assert res["accuracy"]["ours"]["dates"] is not None
    assert res["accuracy"]["ours_strict"]["date_exact"] is not None
    assert res["targets"] and all({"target", "value", "limit", "met"} <= set(t) for t in res["targets"])
    text = md.read_text()
    assert "bench:table:begin" in text and "| 200 | cold |" in text
