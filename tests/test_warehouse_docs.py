"""warehouse/tables.yml documents exactly the tables and marts that schema.sql and views.sql define."""

from __future__ import annotations

import duckdb
import pytest

from models import DatePrecision, EventType, Language, Medium, OutcomeKind, Role, Status
from warehouse.datatests import all_tests, catalog, relations
from warehouse.load import SCHEMA_SQL, TABLES, VIEWS, VIEWS_SQL


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    return con


def _description(spec) -> str:
    return spec if isinstance(spec, str) else (spec or {}).get("description", "")


def test_every_table_and_mart_is_documented_and_published():
    con = _warehouse()
    defined = {r[0]: r[1] for r in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    doc = catalog()
    assert set(doc["tables"]) == {n for n, t in defined.items() if t == "BASE TABLE"}
    assert set(doc["marts"]) == {n for n, t in defined.items() if t == "VIEW"}
    # publish writes what is documented
    assert set(TABLES) == set(doc["tables"]) and set(VIEWS) == set(doc["marts"])


@pytest.mark.parametrize("relation", sorted(relations()))
def test_every_column_is_described(relation):
    con = _warehouse()
    columns = [r[0] for r in con.execute(f"DESCRIBE {relation}").fetchall()]
    spec = relations()[relation]
    documented = spec.get("columns") or {}
    assert list(documented) == columns, "tables.yml lists the columns in the order of the SQL"
    blank = [c for c, s in documented.items() if len(_description(s).strip()) < 4]
    assert not blank, f"columns without a description: {blank}"
    assert len(spec.get("description", "")) > 10


@pytest.mark.parametrize("vocabulary,enum", [
    ("event_type", EventType), ("medium", Medium), ("status", Status), ("date_precision", DatePrecision),
    ("outcome_kind", OutcomeKind), ("language", Language), ("role", Role),
])
def test_vocabularies_match_the_models(vocabulary, enum):
    assert catalog()["vocabularies"][vocabulary] == [e.value for e in enum]


def test_data_test_kinds_cover_the_contract():
    kinds = {t.kind for t in all_tests()}
    assert {"unique", "not_null", "accepted_values", "relationships", "singular"} <= kinds
    # no orphans: every table pointing at an event or an article is checked
    rel = {(t.relation, t.column) for t in all_tests() if t.kind == "relationships"}
    for table in ("mentions", "participants", "outcomes"):
        assert (table, "event_id") in rel and (table, "article_id") in rel, table
    assert ("mention_records", "article_id") in rel
