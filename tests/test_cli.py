"""The `timeline` command: help on every command, one-line errors, read-only SQL, README honesty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from timeline.cli import build_parser

COMMANDS = ["run", "serve", "show", "sql", "export", "check", "dashboard", "evaluate"]


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "timeline.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    out = _cli(command, "--help")
    assert out.returncode == 0 and "usage: timeline" in out.stdout


@pytest.mark.parametrize("args,message", [
    (["run", "--source", "no/such/folder"], "source no/such/folder does not exist"),
    (["run", "--warehouse", "/proc/forbidden/timeline.duckdb"], "cannot create warehouse folder"),
    (["show", "--warehouse", "missing.duckdb"], "does not exist"),
    (["evaluate", "--gold", "missing.json", "--warehouse", "missing.duckdb"], "does not exist"),
])
def test_bad_arguments_give_one_line_and_nonzero_exit(args, message):
    out = _cli(*args)
    assert out.returncode != 0
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr


def test_unwritable_warehouse_file(tmp_path):
    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o500)
    if os.access(target, os.W_OK):  # root: permissions do not bind
        target.chmod(0o700)
        pytest.skip("permissions are not enforced for this user")
    try:
        out = _cli("run", "--warehouse", str(target / "x.duckdb"))
    finally:
        target.chmod(0o700)
    if out.returncode == 0:  # running as root: permissions do not bind
        pytest.skip("permissions are not enforced for this user")
    assert "not writable" in out.stderr and "Traceback" not in out.stderr


def test_sql_reads_and_refuses_writes(seeds_warehouse):
    ok = _cli("sql", "SELECT count(*) AS n FROM meetings", "--warehouse", str(seeds_warehouse))
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "n" and int(ok.stdout.splitlines()[1]) > 0
    bad = _cli("sql", "DELETE FROM meetings", "--warehouse", str(seeds_warehouse))
    assert bad.returncode != 0 and "DELETE statements are refused" in bad.stderr and "Traceback" not in bad.stderr


def test_show_prints_one_line_per_event(seeds_warehouse):
    out = _cli("show", "--warehouse", str(seeds_warehouse))
    assert out.returncode == 0
    n = int(out.stdout.strip().splitlines()[-1].strip("()").split()[0])
    assert n == len(out.stdout.strip().splitlines()) - 2 and n > 0


def test_readme_shows_the_two_commands_and_every_cli_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for command in COMMANDS:
        assert f"timeline {command}" in readme, command
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)
