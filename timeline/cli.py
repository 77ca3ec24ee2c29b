"""`timeline` command line: run the flow, show the timeline, query, export, check and chart the
published snapshot, score the warehouse."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

DEFAULT_SOURCE = "seeds/articles"
DEFAULT_WAREHOUSE = "warehouse/timeline.duckdb"


class CliError(Exception):
    """A problem the user can fix; printed as one line."""


def _prefect_defaults() -> None:
    # A temporary Prefect server starts on first use: give it time on a cold machine, and keep
    # it offline.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LOG_PRINTS", "true")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def _writable_warehouse(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create warehouse folder {parent}: {exc.strerror or exc}") from None
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CliError(f"warehouse path {path} is not writable")
    if path.exists() and path.is_dir():
        raise CliError(f"warehouse path {path} is a directory, not a DuckDB file")


def _check_sources(specs: list[str]) -> None:
    """Fail fast only when nothing given can be a source (a mistyped path); otherwise a source that
    fails is recorded in rejects with its reason and the run goes on."""
    from timeline.sources import is_url

    def hopeless(spec: str) -> bool:
        return not (is_url(spec) or spec.startswith("@") or any(c in spec for c in "*?[") or Path(spec).exists())

    def unreadable(spec: str) -> bool:
        p = Path(spec)
        return p.exists() and not os.access(p, os.R_OK | (os.X_OK if p.is_dir() else 0))

    if specs and all(hopeless(s) for s in specs):
        raise CliError(f"source {specs[0]} does not exist" if len(specs) == 1
                       else f"none of the sources exists: {', '.join(specs)}")
    if specs and all(hopeless(s) or unreadable(s) for s in specs):
        raise CliError(f"source {specs[0]} is not readable (permission denied)" if len(specs) == 1
                       else f"none of the sources is readable: {', '.join(specs)}")


_PHASES = {"sources": "reading the warehouse and sources", "fetch": "fetching and ingesting (batches)",
           "extract": "extracting (batches)", "load": "loading DuckDB", "publish": "publishing the snapshot"}


class _ProgressBar:
    """A rich progress bar drawn on the console Prefect logs to, so log lines scroll above it."""

    def __init__(self, enabled: bool):
        import logging

        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = next((h.console for h in logging.getLogger().handlers if hasattr(h, "console")), None)
        console = console or Console(stderr=True)
        self.console = console
        self.progress = Progress(TextColumn("{task.description:<34}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, disable=not (enabled and console.is_terminal))
        self.tasks: dict[str, int] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase not in self.tasks:
            self.tasks[phase] = self.progress.add_task(_PHASES.get(phase, phase), total=max(total, 1))
        self.progress.update(self.tasks[phase], completed=done, total=max(total, 1))

    def __enter__(self):
        from rich.default_styles import DEFAULT_STYLES
        from rich.theme import Theme

        self.console.push_theme(Theme(DEFAULT_STYLES))   # Prefect's log theme lacks the progress styles
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()
        self.console.pop_theme()


def _fetch_options(args: argparse.Namespace) -> dict | None:
    opts = {k: v for k, v in (("timeout", args.timeout), ("retries", args.retries), ("rate_limit", args.rate_limit),
                              ("max_bytes", args.max_bytes)) if v is not None}
    return opts or None


class _SharedApi:
    """Dask workers are other processes: without PREFECT_API_URL each would start a temporary
    Prefect server of its own and report its task runs there. For a Dask run without a server,
    start one temporary server here and point the flow and the workers at it."""

    def __init__(self, needed: bool):
        self.needed, self.server, self.settings = needed, None, None

    def __enter__(self):
        from prefect.settings import PREFECT_API_URL, temporary_settings

        if not self.needed or PREFECT_API_URL.value():
            return self
        from prefect.server.api.server import SubprocessASGIServer

        self.server = SubprocessASGIServer()
        self.server.start(timeout=int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")))
        os.environ["PREFECT_API_URL"] = self.server.api_url    # inherited by the local cluster's workers
        self.settings = temporary_settings({PREFECT_API_URL: self.server.api_url})
        self.settings.__enter__()
        return self

    def __exit__(self, *exc):
        if self.server is None:
            return
        import inspect

        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker
        from prefect.utilities.asyncutils import run_coro_as_sync

        async def drain():   # ship queued logs and events before the server goes (as prefect_test_harness does)
            for call in (lambda: APILogWorker.instance().drain(), EventsWorker.drain_all):
                try:
                    result = call()
                    if inspect.isawaitable(result):
                        await result
                except RuntimeError:
                    pass

        try:
            run_coro_as_sync(drain())
        finally:
            self.settings.__exit__(*exc)
            os.environ.pop("PREFECT_API_URL", None)
            self.server.stop()


def cmd_run(args: argparse.Namespace) -> int:
    specs = args.source or [DEFAULT_SOURCE]
    warehouse = Path(args.warehouse)
    _check_sources(specs)
    _writable_warehouse(warehouse)
    if args.dask_address and args.task_runner != "dask":
        raise CliError("--dask-address needs --task-runner dask")
    _prefect_defaults()
    from timeline.ingest import safe_uri   # no user:password or token of a URL on the screen

    where = safe_uri(specs[0]) if len(specs) == 1 else f"{len(specs)} sources"
    on = f" on Dask ({args.dask_address or f'a local cluster of {args.dask_workers} workers'})" \
        if args.task_runner == "dask" else ""
    print(f"timeline: building {warehouse} from {where}{on} (starting Prefect; the first run takes ~20 s)", flush=True)
    from flows.build_timeline import set_progress, with_task_runner

    from warehouse.lock import writer_lock

    flow = with_task_runner(args.task_runner, args.dask_address, args.dask_workers)
    # the writer lock before Prefect starts (a busy warehouse fails fast); the flow re-enters it
    with writer_lock(warehouse, timeout=args.wait, notify=_say_waiting):
        _check_warehouse_file(warehouse)
        with _SharedApi(args.task_runner == "dask"), _ProgressBar(not args.no_progress) as bar:
            set_progress(bar)
            try:
                summary = flow(source=specs if len(specs) > 1 else specs[0], warehouse=str(warehouse),
                               parquet_dir=str(args.parquet) if args.parquet else None, batch_size=args.batch_size,
                               fetch=_fetch_options(args))
            finally:
                set_progress(None)
    print("timeline: " + ", ".join(f"{k}={v}" for k, v in summary.items()), flush=True)
    if summary.get("lost"):
        print(f"timeline: error: {summary['lost']} input(s) were neither stored nor rejected", file=sys.stderr)
        return 1
    return 0


def _say_waiting(message: str) -> None:
    print(f"timeline: {message}", file=sys.stderr, flush=True)


def _check_warehouse_file(path: Path) -> None:
    """A warehouse file that exists must open as DuckDB; say so in one line when it does not."""
    import duckdb

    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if "lock" in first.lower():
            raise CliError(f"warehouse {path} is open in another program ({first}); close it and run again") from None
        raise CliError(f"warehouse {path} is not a usable DuckDB file ({first}); move it aside and run again "
                       "(the published snapshot is untouched)") from None


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the deployments of prefect.yaml from this process (no work pool needed)."""
    _prefect_defaults()
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise CliError("`timeline serve` needs a Prefect server: start one with `prefect server start` and set "
                       "PREFECT_API_URL=http://127.0.0.1:4200/api (schedules fire only with a persistent server)")
    from flows.serve import load_deployments, serve_deployments

    try:
        deployments = load_deployments(Path(args.prefect_yaml), only=args.only, warehouse=args.warehouse)
    except (OSError, ValueError) as exc:
        raise CliError(str(exc)) from None
    names = ", ".join(f"build-timeline/{d.name}" for d in deployments)
    print(f"timeline: serving {names} (Ctrl+C to stop; runs show in the Prefect UI)", flush=True)
    serve_deployments(deployments)
    return 0


def _open_ro(path: Path, config: dict | None = None):
    import duckdb

    if not path.exists():
        raise CliError(f"warehouse {path} does not exist: run `timeline run` first")
    try:
        return duckdb.connect(str(path), read_only=True, config=config or {})
    except duckdb.Error as exc:
        raise CliError(f"cannot open warehouse {path}: {str(exc).splitlines()[0]}") from None


def _open_snapshot(args: argparse.Namespace, config: dict | None = None):
    """A read-only connection to what readers read: the snapshot published next to the warehouse
    (or the one --snapshot names), pinned for the whole command. Returns (connection, manifest)."""
    import duckdb

    from warehouse.snapshot import DB_NAME, current, manifest

    warehouse = Path(args.warehouse)
    chosen = getattr(args, "snapshot", None)
    if not chosen and not warehouse.exists():
        raise CliError(f"warehouse {warehouse} does not exist: run `timeline run` first")
    where = Path(chosen) if chosen else warehouse.parent
    try:
        folder = current(where)
    except FileNotFoundError:
        if chosen:
            raise CliError(f"no published snapshot at {where}") from None
        print(f"timeline: note: no snapshot published next to {warehouse}; reading the live file "
              "(`timeline run` publishes one)", file=sys.stderr)
        return _open_ro(warehouse, config), {}
    try:
        return duckdb.connect(str(folder / DB_NAME), read_only=True, config=config or {}), manifest(folder)
    except duckdb.Error as exc:
        raise CliError(f"cannot open snapshot {folder}: {str(exc).splitlines()[0]}") from None


_INVISIBLE = {**{c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))},
              **{c: f"\\u{c:04x}" for c in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}}


def _visible(text: str, keep: str = "", json_escapes: bool = False) -> str:
    """Article text made safe for a terminal: control characters (escape sequences that could
    clear or rewrite the screen, tabs and newlines that would break the table) and bidi
    overrides are shown as \\xNN / \\uNNNN (in JSON, as \\uNNNN escapes) instead of acting."""
    table = {k: (f"\\u{k:04x}" if json_escapes else v) for k, v in _INVISIBLE.items() if chr(k) not in keep}
    return text.translate(table)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int) -> str:
    """Pad or cut to a display width (Japanese characters take two columns)."""
    out, used = "", 0
    for c in text:
        w = _width(c)
        if used + w > width:
            break
        out, used = out + c, used + w
    return out + " " * (width - used)


def cmd_show(args: argparse.Namespace) -> int:
    con, _ = _open_snapshot(args)
    rows = con.execute(
        "SELECT start_date, end_date, event_type, medium, status, coalesce(title_ja, title_en), participants, n_sources "
        "FROM timeline").fetchall()
    print(f"{'date':<23} {'type':<26} {_cell('title', 44)} {'sources':>7}  participants")
    for start, end, etype, medium, status, title, people, n_sources in rows:
        when = "undated" if start is None else (str(start) if end in (None, start) else f"{start}..{end}")
        flag = "" if status == "held" else f" [{status}]"
        label = (title or "") if not flag else _cell(title or "", 44 - _width(flag)).rstrip() + flag
        print(f"{when:<23} {etype:<26} {_cell(_visible(label), 44)} {n_sources:>7}  {_visible(str(people))}")
    print(f"({len(rows)} events)")
    return 0


# `timeline sql` runs one SELECT (or EXPLAIN of one), on a connection that cannot touch files,
# the network or extensions, and cannot change that: DuckDB's read_only alone still allows
# ATTACH, COPY … TO, EXPORT, INSTALL and reading any file.
SQL_CONFIG = {"enable_external_access": False, "autoinstall_known_extensions": False,
              "autoload_known_extensions": False, "lock_configuration": True}


def _read_only_query(query: str) -> None:
    import duckdb

    word = (query.strip().split(None, 1) or ["?"])[0].upper()
    try:
        kinds = [s.type for s in duckdb.extract_statements(query)]
    except duckdb.Error as exc:
        raise CliError(f"query failed: {str(exc).splitlines()[0]}") from None
    except ValueError:   # a statement kind this DuckDB's Python API cannot name
        raise CliError(f"timeline sql runs read-only queries: {word} statements are refused") from None
    if len(kinds) != 1:
        raise CliError(f"timeline sql runs one query; got {len(kinds)} statements")
    kind = kinds[0]
    inner = query.strip()
    if kind == duckdb.StatementType.EXPLAIN:
        words = inner.split(None, 2)
        if len(words) > 1 and words[1].upper() == "ANALYZE":
            raise CliError("timeline sql runs read-only queries: EXPLAIN ANALYZE is refused (use EXPLAIN)")
        inner = inner.split(None, 1)[1] if len(words) > 1 else ""
        try:
            kind = duckdb.extract_statements(inner)[0].type
        except (duckdb.Error, ValueError, IndexError):
            raise CliError("timeline sql runs read-only queries: EXPLAIN of this statement is refused") from None
    if kind != duckdb.StatementType.SELECT:
        raise CliError(f"timeline sql runs read-only queries: {word} statements are refused")


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    _read_only_query(args.query)
    con, _ = _open_snapshot(args, config=SQL_CONFIG)
    try:
        cur = con.execute(args.query)
    except duckdb.Error as exc:
        raise CliError(f"query failed: {str(exc).splitlines()[0]}") from None
    if cur.description is None:
        return 0
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    if args.json:
        print(_visible(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, default=str, indent=1),
                       keep="\n", json_escapes=True))
    else:
        print("\t".join(_visible(c) for c in cols))
        for r in rows:
            print("\t".join("" if v is None else _visible(str(v)) for v in r))
    return 0


EXPORT_FORMATS = {"csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet)", "json": "(FORMAT json, ARRAY true)"}


def cmd_export(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    import duckdb

    con, _ = _open_snapshot(args)
    names = sorted(r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall())
    if args.table not in names:
        raise CliError(f"no table or mart {args.table!r}; choose one of: {', '.join(names)}")
    to_stdout = args.out in (None, "-")
    if to_stdout and args.format == "parquet":
        raise CliError("parquet is binary: give --out FILE")
    out = None if to_stdout else Path(args.out)
    folder = out.parent if out is not None else Path(tempfile.gettempdir())
    if out is not None and out.is_dir():
        raise CliError(f"--out {out} is a directory; give a file name")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create {folder}: {exc.strerror or exc}") from None
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix="." + args.format, dir=folder)
    os.close(fd)
    try:
        target = tmp.replace("'", "''")
        try:
            con.execute(f'COPY (SELECT * FROM "{args.table}") TO \'{target}\' {EXPORT_FORMATS[args.format]}')
        except duckdb.Error as exc:
            raise CliError(f"export failed: {str(exc).splitlines()[0]}") from None
        if out is None:
            with open(tmp, "rb") as f:
                shutil.copyfileobj(f, sys.stdout.buffer)
            sys.stdout.flush()
        else:
            os.chmod(tmp, 0o644)
            os.replace(tmp, out)
            n = con.execute(f'SELECT count(*) FROM "{args.table}"').fetchone()[0]
            print(f"timeline: wrote {n} rows of {args.table} to {out}", file=sys.stderr)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from timeline.dashboard import build_dashboard

    con, snapshot = _open_snapshot(args)
    try:
        page = build_dashboard(con, args.out, snapshot)
    except OSError as exc:
        raise CliError(f"cannot write the dashboard to {args.out}: {exc.strerror or exc}") from None
    print(f"timeline: dashboard written to {page} (open it in a browser; it works offline)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from warehouse import datatests

    if args.live:
        if not Path(args.warehouse).exists():
            raise CliError(f"warehouse {args.warehouse} does not exist: run `timeline run` first")
        con, where = _open_ro(Path(args.warehouse)), str(args.warehouse)
    else:
        con, snapshot = _open_snapshot(args)
        where = f"snapshot {snapshot.get('stamp', '?')}" if snapshot else str(args.warehouse)
    every = datatests.all_tests()
    failures = datatests.run(con)
    if args.json:
        print(json.dumps({"target": where, "tests": len(every), "failed": [
            {"test": f.test.name, "rows": f.n_rows, "sample": f.sample, "sql": f.test.sql} for f in failures]},
            ensure_ascii=False, indent=1, default=str))
    else:
        for f in failures:
            print(f"FAIL {f}")
        print(f"{len(every) - len(failures)} passed, {len(failures)} failed ({where})")
    return 1 if failures else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from timeline.evaluate import GoldError, evaluate, format_report

    if not Path(args.warehouse).exists():
        raise CliError(f"warehouse {args.warehouse} does not exist: run `timeline run` first")
    try:
        metrics = evaluate(args.warehouse, args.gold)
    except GoldError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps(metrics, ensure_ascii=False, indent=1, default=str) if args.json else format_report(metrics))
    return 0


def _reader_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--warehouse", default=DEFAULT_WAREHOUSE,
                   help=f"DuckDB file whose published snapshot is read (default: {DEFAULT_WAREHOUSE})")
    p.add_argument("--snapshot", default=None,
                   help="read this snapshot instead: a snapshot folder, the `snapshot` link or the warehouse folder")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="timeline", description=(
        "Turn news articles about Japan–US defence and diplomacy into a deduplicated timeline "
        "of meetings, participants and outcomes in DuckDB and Parquet."))
    p.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the pipeline flow on article sources (folders, URLs, feeds)",
                         description="Fetch or read the sources, extract, validate, dedupe, load into DuckDB and "
                                     "publish Parquet. A source that fails is recorded in rejects; the run goes on.")
    run.add_argument("--source", action="append", default=None, metavar="SOURCE",
                     help="a folder, file or glob of .txt/.html/.json articles, an http(s) article URL, an RSS or "
                          f"Atom feed URL, or @FILE listing any of these one per line; repeatable (default: {DEFAULT_SOURCE})")
    run.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help=f"DuckDB file (default: {DEFAULT_WAREHOUSE})")
    run.add_argument("--parquet", default=None, help="Parquet snapshot folder (default: <warehouse folder>/parquet)")
    run.add_argument("--task-runner", choices=("default", "dask"), default="default",
                     help="default: threads in this process; dask: prefect-dask (a local cluster unless --dask-address)")
    run.add_argument("--dask-address", default=None, metavar="tcp://HOST:PORT", help="a running Dask scheduler")
    run.add_argument("--dask-workers", type=int, default=2, help="workers of the local Dask cluster (default: 2)")
    run.add_argument("--batch-size", type=int, default=25, help="sources / articles per mapped task (default: 25)")
    run.add_argument("--timeout", type=float, default=None, help="seconds per HTTP request (default: 20)")
    run.add_argument("--retries", type=int, default=None, help="retries after a timeout, connection error, 429 or 5xx (default: 2)")
    run.add_argument("--rate-limit", type=float, default=None, help="seconds between two requests to one host (default: 1)")
    run.add_argument("--max-bytes", type=int, default=None, help="largest page or file accepted (default: 5 MiB)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                     help="how long to wait for another run writing the same warehouse before giving up with exit "
                          "code 75 (default: 30, or TIMELINE_LOCK_TIMEOUT)")
    run.set_defaults(func=cmd_run)

    srv = sub.add_parser("serve", help="serve the scheduled deployments of prefect.yaml (no work pool needed)",
                         description="Serve the deployments of prefect.yaml (daily, backfill) from this process: "
                                     "schedules fire and triggered runs execute here. Needs a running Prefect server "
                                     "(`prefect server start`) and PREFECT_API_URL.")
    srv.add_argument("--prefect-yaml", default=str(Path(__file__).resolve().parents[1] / "prefect.yaml"),
                     help="the deployments file (default: the repository's prefect.yaml)")
    srv.add_argument("--only", action="append", default=None, metavar="NAME", help="serve only this deployment; repeatable")
    srv.add_argument("--warehouse", default=None, help="override the deployments' warehouse parameter")
    srv.set_defaults(func=cmd_serve)

    show = sub.add_parser("show", help="print the timeline", description="Print one line per event (from the published snapshot).")
    _reader_options(show)
    show.set_defaults(func=cmd_show)

    sql = sub.add_parser("sql", help="run a read-only SQL query on the published snapshot",
                         description="Run one SQL query on a read-only connection to the published snapshot "
                                     "(tables and marts; see warehouse/tables.yml).")
    sql.add_argument("query", help="the SQL to run")
    _reader_options(sql)
    sql.add_argument("--json", action="store_true", help="print rows as JSON")
    sql.set_defaults(func=cmd_sql)

    ex = sub.add_parser("export", help="export a table or mart as CSV, Parquet or JSON",
                        description="Export one table or mart of the published snapshot.")
    ex.add_argument("--table", required=True, help="table or mart name, e.g. meetings, timeline, meeting_series")
    ex.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="csv", help="output format (default: csv)")
    ex.add_argument("--out", default=None, help="output file (default: standard output; required for parquet)")
    _reader_options(ex)
    ex.set_defaults(func=cmd_export)

    dash = sub.add_parser("dashboard", help="build the offline HTML timeline dashboard",
                          description="Write DIR/index.html: one self-contained page (no network) with the "
                                      "timeline chart, filters and event details, from the published snapshot.")
    dash.add_argument("--out", required=True, help="output folder")
    _reader_options(dash)
    dash.set_defaults(func=cmd_dashboard)

    chk = sub.add_parser("check", help="run the data tests",
                         description="Run the data tests (warehouse/tables.yml, warehouse/data_tests/) on the "
                                     "published snapshot, or with --live on the warehouse file; exit 1 on a failure.")
    _reader_options(chk)
    chk.add_argument("--live", action="store_true", help="check the live warehouse file instead of the snapshot")
    chk.add_argument("--json", action="store_true", help="print the result as JSON")
    chk.set_defaults(func=cmd_check)

    ev = sub.add_parser("evaluate", help="score the warehouse against a gold file",
                        description="Score a warehouse against a timeline-gold/1 annotation file.")
    ev.add_argument("--gold", required=True, help="gold JSON file (timeline-gold/1)")
    ev.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help=f"DuckDB file (default: {DEFAULT_WAREHOUSE})")
    ev.add_argument("--json", action="store_true", help="print metrics as JSON")
    ev.set_defaults(func=cmd_evaluate)
    return p


def main(argv: list[str] | None = None) -> None:
    from warehouse.lock import WarehouseBusy

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except WarehouseBusy as exc:
        if args.debug:
            raise
        print(f"timeline: error: {exc}", file=sys.stderr)
        code = 75
    except CliError as exc:
        if args.debug:
            raise
        print(f"timeline: error: {exc}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # output piped into head and closed early
        sys.stderr.close()
        code = 0
    except Exception as exc:  # an unexpected failure: still one line unless --debug
        if args.debug:
            raise
        print(f"timeline: error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} (use --debug for details)",
              file=sys.stderr)
        code = 1
    sys.exit(code)


if __name__ == "__main__":
    main()
