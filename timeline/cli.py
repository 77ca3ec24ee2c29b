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


def cmd_run(args: argparse.Namespace) -> int:
    source, warehouse = Path(args.source), Path(args.warehouse)
    if not source.exists():
        raise CliError(f"source {source} does not exist")
    _writable_warehouse(warehouse)
    _prefect_defaults()
    print(f"timeline: building {warehouse} from {source} (starting Prefect; the first run takes ~20 s)", flush=True)
    from flows.build_timeline import build_timeline

    summary = build_timeline(source=str(source), warehouse=str(warehouse),
                             parquet_dir=str(args.parquet) if args.parquet else None)
    print("timeline: " + ", ".join(f"{k}={v}" for k, v in summary.items()), flush=True)
    return 0


def _open_ro(path: Path):
    import duckdb

    if not path.exists():
        raise CliError(f"warehouse {path} does not exist: run `timeline run` first")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise CliError(f"cannot open warehouse {path}: {str(exc).splitlines()[0]}") from None


def _open_snapshot(args: argparse.Namespace):
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
        return _open_ro(warehouse), {}
    try:
        return duckdb.connect(str(folder / DB_NAME), read_only=True), manifest(folder)
    except duckdb.Error as exc:
        raise CliError(f"cannot open snapshot {folder}: {str(exc).splitlines()[0]}") from None


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
        print(f"{when:<23} {etype:<26} {_cell(label, 44)} {n_sources:>7}  {people}")
    print(f"({len(rows)} events)")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    con, _ = _open_snapshot(args)
    try:
        cur = con.execute(args.query)
    except duckdb.Error as exc:
        raise CliError(f"query failed: {str(exc).splitlines()[0]}") from None
    if cur.description is None:
        return 0
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    if args.json:
        print(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, default=str, indent=1))
    else:
        print("\t".join(cols))
        for r in rows:
            print("\t".join("" if v is None else str(v) for v in r))
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

    run = sub.add_parser("run", help="run the pipeline flow on a folder of articles",
                         description="Ingest, extract, validate, dedupe, load into DuckDB and publish Parquet.")
    run.add_argument("--source", default=DEFAULT_SOURCE, help=f"folder or file of articles (default: {DEFAULT_SOURCE})")
    run.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help=f"DuckDB file (default: {DEFAULT_WAREHOUSE})")
    run.add_argument("--parquet", default=None, help="Parquet snapshot folder (default: <warehouse folder>/parquet)")
    run.set_defaults(func=cmd_run)

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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
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
