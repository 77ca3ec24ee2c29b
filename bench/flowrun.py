"""One measured run of the Prefect flow, in its own process (bench/run.py starts it).

    python bench/flowrun.py --source DIR --warehouse DB --out RESULT.json [--batch-size N]
                            [--task-runner default|dask]

Runs `flows.build_timeline` exactly as `timeline run` does, then reads the flow's task runs back
from the Prefect API and writes, to RESULT.json: the flow's returned summary, the time spent
importing, in the flow, and per stage (wall clock from the first task of a stage starting to
the last one finishing; mapped batches overlap). The parent measures the process's wall time
and memory from outside.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# task name → stage, in flow order (a stage may have several tasks: a run that changes nothing
# writes its runs row with record_unchanged_run instead of load_warehouse)
STAGES = (("read_warehouse", "read"), ("read_records", "read"), ("discover_sources", "discover"),
          ("fetch_batch", "ingest"), ("extract_batch", "extract"), ("dedupe_events", "dedupe"),
          ("load_warehouse", "load"), ("record_unchanged_run", "load"), ("account_inputs", "account"),
          ("publish_snapshot", "publish"))


def stage_times(flow_run_id: str) -> dict:
    """Per stage: wall seconds (first start → last end), task runs, and summed task seconds."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    runs = []
    with get_client(sync_client=True) as client:
        offset = 0
        while True:
            page = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
                                         limit=200, offset=offset)
            runs += page
            if len(page) < 200:
                break
            offset += 200
        fr = client.read_flow_run(flow_run_id)
    by_task: dict[str, list] = {}
    for tr in runs:
        by_task.setdefault(tr.name.rsplit("-", 1)[0], []).append(tr)
    out: dict = {}
    for stage in dict.fromkeys(stage for _, stage in STAGES):
        got = [t for task, s in STAGES if s == stage for t in by_task.get(task, []) if t.start_time and t.end_time]
        if not got:
            continue
        start = min(t.start_time for t in got)
        end = max(t.end_time for t in got)
        out[stage] = {"wall_s": round((end - start).total_seconds(), 3), "tasks": len(got),
                      "task_s": round(sum((t.end_time - t.start_time).total_seconds() for t in got), 3),
                      "max_task_s": round(max((t.end_time - t.start_time).total_seconds() for t in got), 3),
                      "start": start.isoformat()}
    flow_s = (fr.end_time - fr.start_time).total_seconds() if fr.start_time and fr.end_time else None
    return {"stages": out, "flow_s": round(flow_s, 3) if flow_s is not None else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", action="append", required=True)
    ap.add_argument("--warehouse", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--task-runner", default="default")
    ap.add_argument("--profile", help="write a cProfile of the flow call (the flow body's thread) here")
    args = ap.parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.build_timeline import with_task_runner

    flow = with_task_runner(args.task_runner)
    imported = time.perf_counter()
    kwargs = {"source": args.source, "warehouse": args.warehouse}
    if args.batch_size:
        kwargs["batch_size"] = args.batch_size
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        summary = prof.runcall(flow, **kwargs)
        prof.dump_stats(args.profile)
    else:
        summary = flow(**kwargs)
    done = time.perf_counter()
    result = {"import_s": round(imported - T0, 3), "flow_call_s": round(done - imported, 3),
              "summary": {k: v for k, v in summary.items() if isinstance(v, (int, float, str, type(None)))}}
    try:
        result.update(stage_times(summary["run_id"]))
    except Exception as exc:       # the timings are a bonus; the run itself succeeded
        result["stages"] = {}
        result["stages_error"] = f"{type(exc).__name__}: {exc}"
    result["post_s"] = round(time.perf_counter() - done, 3)   # reading the timings back: not the run's time
    Path(args.out).write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
