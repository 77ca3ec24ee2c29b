"""`timeline serve`: the deployments of prefect.yaml served from one process, for users without a
work pool. prefect.yaml stays the single description of the deployments (name, parameters,
schedules); `prefect deploy --all` + a worker runs the same ones through a work pool."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

__all__ = ["load_deployments", "serve_deployments"]


def load_deployments(prefect_yaml: Path, only: list[str] | None = None, warehouse: str | None = None) -> list:
    """RunnerDeployments of build_timeline for the deployments of `prefect_yaml`."""
    from prefect.schedules import Cron, Interval

    from flows.build_timeline import build_timeline

    spec = yaml.safe_load(Path(prefect_yaml).read_text(encoding="utf-8")) or {}
    entries = [d for d in spec.get("deployments") or [] if not only or d.get("name") in only]
    if only and {d.get("name") for d in entries} != set(only):
        known = ", ".join(d.get("name", "?") for d in spec.get("deployments") or [])
        raise ValueError(f"no deployment named {', '.join(sorted(set(only) - {d.get('name') for d in entries}))} "
                         f"in {prefect_yaml} (there: {known})")
    out = []
    for d in entries:
        if not str(d.get("entrypoint", "")).endswith(":build_timeline"):
            raise ValueError(f"{prefect_yaml}: deployment {d.get('name')} does not run build_timeline")
        schedules = []
        for s in d.get("schedules") or []:
            if "cron" in s:
                schedules.append(Cron(s["cron"], timezone=s.get("timezone"), active=s.get("active", True)))
            elif "interval" in s:
                schedules.append(Interval(s["interval"], timezone=s.get("timezone"), active=s.get("active", True)))
        params = dict(d.get("parameters") or {})
        if warehouse:
            params["warehouse"] = warehouse
        out.append(build_timeline.to_deployment(name=d["name"], description=d.get("description"),
                                                parameters=params, schedules=schedules, tags=d.get("tags") or []))
    if not out:
        raise ValueError(f"{prefect_yaml} holds no deployments")
    return out


def serve_deployments(deployments: list, home: str | None = None) -> None:
    """Serve until interrupted, from the project folder (where relative sources are read)."""
    from prefect import serve

    home = home or os.environ.get("TIMELINE_HOME") or str(Path(__file__).resolve().parents[1])
    os.chdir(home)
    serve(*deployments, print_starting_message=False)
