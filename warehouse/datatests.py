"""Data tests: queries over the warehouse that must return zero rows.

Two sources, in the dbt manner:

- generic tests declared per column (or per table) in ``warehouse/tables.yml``: ``unique``,
  ``not_null``, ``accepted_values`` (a list, or ``{reference: NAME}`` for the ids of
  ``seeds/reference/NAME.yaml``; ``each: true`` checks every element of a list column),
  ``relationships`` (``{to: table.column}``: no orphans), ``matches`` (a regular expression) and
  ``expression`` (a SQL condition every row must satisfy);
- singular tests, one ``warehouse/data_tests/<name>.sql`` file each, for checks across tables.

Every test compiles to one SELECT returning the offending rows. `run` executes them all and
returns the failures; `check` raises `DataTestError` when there is any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["TABLES_YML", "DataTest", "Failure", "DataTestError", "catalog", "all_tests", "run", "check"]

_HERE = Path(__file__).resolve().parent
TABLES_YML = _HERE / "tables.yml"
SINGULAR_DIR = _HERE / "data_tests"
REFERENCE_DIR = _HERE.parent / "seeds" / "reference"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class DataTest:
    name: str          # kind__table__column, or the singular file's stem
    kind: str          # unique | not_null | accepted_values | relationships | matches | expression | singular
    relation: str      # the table or mart it is declared on (singular: the first one it names)
    column: str | None
    sql: str           # SELECT ... returning the offending rows
    description: str = ""


@dataclass(frozen=True)
class Failure:
    test: DataTest
    n_rows: int
    sample: list[tuple]

    def __str__(self) -> str:
        return f"{self.test.name}: {self.n_rows} offending row(s), e.g. {self.sample[:2]!r}"


class DataTestError(Exception):
    """Raised when a data test returns rows; the message lists every failing test."""

    def __init__(self, failures: list[Failure], where: str = "warehouse"):
        self.failures = failures
        lines = [f"{len(failures)} data test(s) failed on the {where}:"] + [f"  - {f}" for f in failures]
        super().__init__("\n".join(lines))


@lru_cache(maxsize=1)
def catalog() -> dict:
    """tables.yml as a dict: {"tables": {...}, "marts": {...}, ...}."""
    return yaml.safe_load(TABLES_YML.read_text(encoding="utf-8"))


def relations() -> dict[str, dict]:
    doc = catalog()
    return {**doc.get("tables", {}), **doc.get("marts", {})}


def _q(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"tables.yml: {name!r} is not a plain identifier")
    return name


def _reference_ids(name: str) -> list[str]:
    items = yaml.safe_load((REFERENCE_DIR / f"{_ident(name)}.yaml").read_text(encoding="utf-8"))
    return [str(i["id"]) for i in items]


def _column_test(table: str, column: str, spec) -> DataTest:
    kind, arg = (spec, None) if isinstance(spec, str) else next(iter(spec.items()))
    t, c = _ident(table), _ident(column)
    name = f"{kind}__{table}__{column}"
    if kind == "unique":
        sql = f"SELECT {c}, count(*) AS n FROM {t} WHERE {c} IS NOT NULL GROUP BY {c} HAVING count(*) > 1"
    elif kind == "not_null":
        sql = f"SELECT * FROM {t} WHERE {c} IS NULL"
    elif kind == "accepted_values":
        each = isinstance(arg, dict) and arg.get("each", False)
        values = _reference_ids(arg["reference"]) if isinstance(arg, dict) and "reference" in arg else (
            arg["values"] if isinstance(arg, dict) else arg)
        allowed = ", ".join(_q(v) for v in values)
        if each:
            sql = (f"SELECT * FROM (SELECT unnest({c}) AS value FROM {t}) "
                   f"WHERE value IS NULL OR value NOT IN ({allowed})")
        else:
            sql = f"SELECT {c} AS value, count(*) AS n FROM {t} WHERE {c} NOT IN ({allowed}) GROUP BY {c}"
    elif kind == "relationships":
        to_table, to_column = (_ident(x) for x in arg["to"].split("."))
        sql = (f"SELECT child.{c}, count(*) AS n FROM {t} AS child "
               f"LEFT JOIN {to_table} AS parent ON parent.{to_column} = child.{c} "
               f"WHERE child.{c} IS NOT NULL AND parent.{to_column} IS NULL GROUP BY child.{c}")
    elif kind == "matches":
        sql = f"SELECT {c} AS value FROM {t} WHERE {c} IS NOT NULL AND NOT regexp_full_match({c}, {_q(arg)})"
    elif kind == "expression":
        sql = f"SELECT * FROM {t} WHERE NOT coalesce(({arg}), false)"
        name = f"expression__{table}__{column}"
    else:
        raise ValueError(f"tables.yml: unknown test {kind!r} on {table}.{column}")
    return DataTest(name, kind, table, column, sql)


def _table_test(table: str, spec) -> DataTest:
    kind, arg = next(iter(spec.items()))
    t = _ident(table)
    if kind == "unique":
        cols = ", ".join(_ident(c) for c in arg)
        return DataTest(f"unique__{table}__{'__'.join(arg)}", kind, table, None,
                        f"SELECT {cols}, count(*) AS n FROM {t} GROUP BY {cols} HAVING count(*) > 1")
    if kind == "expression":
        return DataTest(f"expression__{table}__{arg['name']}", kind, table, None,
                        f"SELECT * FROM {t} WHERE NOT coalesce(({arg['sql']}), false)")
    raise ValueError(f"tables.yml: unknown table test {kind!r} on {table}")


def _singular(path: Path) -> DataTest:
    sql = path.read_text(encoding="utf-8")
    comment = " ".join(l.lstrip("- ").strip() for l in sql.splitlines() if l.startswith("--"))
    body = "\n".join(l for l in sql.splitlines() if not l.startswith("--")).strip().rstrip(";")
    named = re.findall(r"\bFROM\s+([a-z_]+)", body)
    return DataTest(path.stem, "singular", named[0] if named else "", None, body, comment)


def all_tests() -> list[DataTest]:
    """Every data test: the generic ones of tables.yml, then the singular SQL files."""
    out: list[DataTest] = []
    for table, spec in relations().items():
        for column, col in (spec.get("columns") or {}).items():
            for t in (col.get("tests", []) if isinstance(col, dict) else []):
                out.append(_column_test(table, column, t))
        for t in spec.get("tests", []) or []:
            out.append(_table_test(table, t))
    out.extend(_singular(p) for p in sorted(SINGULAR_DIR.glob("*.sql")))
    names = [t.name for t in out]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"duplicate data test names: {sorted(dupes)}")
    return out


def run(con, only: list[str] | None = None) -> list[Failure]:
    """Run the data tests on an open connection; return the failing ones (empty: all passed)."""
    failures = []
    for t in all_tests():
        if only is not None and t.name not in only:
            continue
        n = con.execute(f"SELECT count(*) FROM ({t.sql}) AS offending").fetchone()[0]
        if n:
            sample = con.execute(f"SELECT * FROM ({t.sql}) AS offending LIMIT 3").fetchall()
            failures.append(Failure(t, n, sample))
    return failures


def check(con, where: str = "warehouse", relations: tuple[str, ...] | None = None) -> int:
    """Raise DataTestError if any data test fails; return how many tests passed. `relations`:
    only the tests declared on those tables (a write that touched nothing else)."""
    only = None if relations is None else [t.name for t in all_tests() if t.relation in relations]
    failures = run(con, only)
    if failures:
        raise DataTestError(failures, where)
    return len(all_tests()) if only is None else len(only)
