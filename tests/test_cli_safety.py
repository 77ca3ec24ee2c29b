"""The CLI under bad input and hostile content: one clear line and a non-zero exit (no traceback
unless --debug), a read-only `timeline sql`, and article text that cannot act on the terminal."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, run_stages
from timeline import cli
from warehouse.snapshot import current

BASH_FILES = ("/tmp/timeline-sql-probe.db", "/tmp/timeline-sql-probe.csv", "/tmp/timeline-sql-probe-export")


def _cli(*args, cwd=ROOT, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "timeline.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=env)


def _one_line_error(out, message: str, code: int | None = None) -> None:
    assert out.returncode != 0 and (code is None or out.returncode == code), (out.returncode, out.stderr)
    assert message in out.stderr, out.stderr
    lines = [ln for ln in out.stderr.strip().splitlines() if not ln.startswith(("timeline: waiting", "timeline: note"))]
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr


def _run_main(capsys, *argv) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        cli.main(list(argv))
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


# -- bad input: sources, warehouse, gold, SQL --------------------------------------------------

def test_a_corrupt_warehouse_file_is_one_line_for_run_and_for_readers(tmp_path):
    db = tmp_path / "timeline.duckdb"
    db.write_bytes(b"this is not a DuckDB database\n" * 200)
    _one_line_error(_cli("run", "--source", str(SEEDS), "--warehouse", str(db), "--no-progress"),
                    "is not a usable DuckDB file")
    _one_line_error(_cli("show", "--warehouse", str(db)), "cannot open warehouse")
    assert db.read_bytes() == b"this is not a DuckDB database\n" * 200       # left as it was


def test_an_unreadable_source_is_one_line(tmp_path, capsys, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    real = os.access
    monkeypatch.setattr(cli.os, "access", lambda p, mode: False if Path(p) == src else real(p, mode))
    code, _, err = _run_main(capsys, "run", "--source", str(src), "--warehouse", str(tmp_path / "w.duckdb"))
    assert code == 2 and err.strip() == f"timeline: error: source {src} is not readable (permission denied)"


@pytest.mark.parametrize("content,message", [
    (None, "gold file not found"),
    ("{not json", "gold file is not JSON"),
    ('{"schema": "something-else"}', "expected 'timeline-gold/1'"),
    ("[1, 2]", "not a JSON object"),
])
def test_a_bad_gold_file_is_one_line(seeds_warehouse, tmp_path, content, message):
    gold = tmp_path / "gold.json"
    if content is not None:
        gold.write_text(content, encoding="utf-8")
    _one_line_error(_cli("evaluate", "--gold", str(gold), "--warehouse", str(seeds_warehouse)), message)


def test_bad_sql_is_one_line_and_debug_shows_the_traceback(seeds_warehouse):
    _one_line_error(_cli("sql", "SELEC nonsense", "--warehouse", str(seeds_warehouse)), "query failed: Parser Error")
    _one_line_error(_cli("sql", "SELECT * FROM no_such_table", "--warehouse", str(seeds_warehouse)), "query failed")
    debug = _cli("--debug", "sql", "SELEC nonsense", "--warehouse", str(seeds_warehouse))
    assert debug.returncode != 0 and "Traceback" in debug.stderr


# -- timeline sql is read-only ------------------------------------------------------------------

@pytest.fixture(scope="module")
def sql_warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("sql") / "timeline.duckdb"
    run_stages(SEEDS, db)
    return db


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(str(p.relative_to(root)).encode())
        if p.is_file() and not p.is_symlink():
            h.update(p.read_bytes())
    return h.hexdigest()


REFUSED = [
    "ATTACH '/tmp/timeline-sql-probe.db' AS probe",
    "ATTACH ':memory:' AS probe",
    "DETACH probe",
    "COPY meetings TO '/tmp/timeline-sql-probe.csv'",
    "COPY (SELECT * FROM meetings) TO '/tmp/timeline-sql-probe.csv' (FORMAT csv)",
    "COPY meetings FROM '/tmp/timeline-sql-probe.csv'",
    "EXPORT DATABASE '/tmp/timeline-sql-probe-export'",
    "IMPORT DATABASE '/tmp/timeline-sql-probe-export'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "UPDATE EXTENSIONS",
    "PRAGMA show_tables",
    "PRAGMA enable_profiling",
    "SET enable_external_access = true",
    "RESET threads",
    "CALL pragma_version()",
    "CHECKPOINT",
    "VACUUM",
    "CREATE TABLE t AS SELECT * FROM meetings",
    "CREATE TEMP TABLE t AS SELECT 1",
    "CREATE MACRO m(a) AS a",
    "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')",
    "INSERT INTO meetings SELECT * FROM meetings",
    "UPDATE meetings SET title_ja = 'x'",
    "DELETE FROM meetings",
    "DROP TABLE meetings",
    "ALTER TABLE meetings ADD COLUMN x INT",
    "BEGIN TRANSACTION",
    "USE memory",
    "PREPARE p AS SELECT 1",
    "EXECUTE p",
    "SELECT 1; DROP TABLE meetings",
    "EXPLAIN ANALYZE SELECT * FROM meetings",
    "EXPLAIN DELETE FROM meetings",
]
READS_REFUSED = [
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM read_parquet('https://example.com/x.parquet')",
    "SELECT * FROM query('ATTACH ''/tmp/timeline-sql-probe.db''')",
]


def test_sql_refuses_every_write_attach_copy_install_and_setting(sql_warehouse, capsys):
    before = _tree_digest(sql_warehouse.parent)
    for query in REFUSED:
        code, out, err = _run_main(capsys, "sql", query, "--warehouse", str(sql_warehouse))
        assert code == 2 and out == "", query
        assert err.startswith("timeline: error: timeline sql runs"), (query, err)
        assert len(err.strip().splitlines()) == 1, err
    for query in READS_REFUSED:          # a SELECT that reaches outside the snapshot fails in DuckDB
        code, out, err = _run_main(capsys, "sql", query, "--warehouse", str(sql_warehouse))
        assert code == 2 and err.startswith("timeline: error: query failed"), (query, err)
    assert _tree_digest(sql_warehouse.parent) == before
    assert not any(os.path.exists(p) for p in BASH_FILES)


@pytest.mark.parametrize("query", [
    "SELECT count(*) AS n FROM meetings",
    "WITH x AS (SELECT * FROM timeline) SELECT count(*) FROM x",
    "FROM meetings SELECT count(*)",
    "SHOW TABLES",
    "DESCRIBE meetings",
    "SUMMARIZE meetings",
    "EXPLAIN SELECT * FROM meetings",
    "SELECT payload->>'series' FROM mention_records LIMIT 1",
])
def test_sql_runs_queries(sql_warehouse, capsys, query):
    code, out, err = _run_main(capsys, "sql", query, "--warehouse", str(sql_warehouse))
    assert code == 0 and out and not err, (query, err)


# -- hostile article text on the terminal --------------------------------------------------------

def test_article_text_cannot_act_on_the_terminal(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    seed = (SEEDS / "003_0bb852b01388ee52.txt").read_text(encoding="utf-8")
    title = "\x1b]0;owned\x07\x1b[2J日米安全保障協議委員会\u202e(「2+2」)を実施\x1b[0m"
    (src / "a.txt").write_text(seed.replace("日米安全保障協議委員会(「2+2」)を実施", title, 1), encoding="utf-8")
    db = tmp_path / "wh" / "timeline.duckdb"
    db.parent.mkdir()
    run_stages(src, db)
    for argv in (("show",), ("sql", "SELECT title, text FROM articles"), ("sql", "SELECT title FROM articles", "--json")):
        code, out, err = _run_main(capsys, *argv, "--warehouse", str(db))
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, argv
        if argv[0] == "sql":
            assert ("\\x1b" in out or "\\u001b" in out) and "日米安全保障協議委員会" in out, argv
    # the stored text itself is kept exactly as it came
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert "\x1b[2J" in con.execute("SELECT text FROM articles").fetchone()[0]
    con.close()
    # and the dashboard never lets it reach the HTML parser as markup
    out = tmp_path / "dash"
    (src / "a.txt").write_text(seed.replace("日米安全保障協議委員会(「2+2」)を実施",
                                            "<script>alert(1)</script><img src=x onerror=alert(2)>", 1), encoding="utf-8")
    run_stages(src, db)
    code, _, err = _run_main(capsys, "dashboard", "--out", str(out), "--warehouse", str(db))
    assert code == 0, err
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
