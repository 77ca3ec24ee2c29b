"""The README's SQL recipes run on the published seeds snapshot, as written."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## SQL recipes", 1)[1].split("\n## ", 1)[0]
RECIPES = re.findall(r"### (\d+)\. (.+?)\n.*?```sql\n(.*?)```", SECTION, re.S)


def test_there_are_ten_recipes_numbered_in_order():
    assert [int(n) for n, _, _ in RECIPES] == list(range(1, 11))


@pytest.fixture(scope="module")
def snapshot(seeds_warehouse):
    con = duckdb.connect(str(seeds_warehouse.parent / "snapshot" / "timeline.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("number,question,sql", RECIPES, ids=[f"recipe{n}" for n, _, _ in RECIPES])
def test_recipe_runs_on_the_seeds(snapshot, number, question, sql):
    rows = snapshot.execute(sql).fetchall()
    if number in ("1", "2", "6", "10"):     # the seeds hold 2+2s with China and Article 5 outcomes, and meetings
        assert rows, question


def test_a_recipe_through_the_cli(seeds_warehouse):
    _, _, sql = RECIPES[1]
    run = subprocess.run([sys.executable, "-m", "timeline.cli", "sql", sql, "--json", "--warehouse", str(seeds_warehouse)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert '"counterpart_name_ja"' in run.stdout
