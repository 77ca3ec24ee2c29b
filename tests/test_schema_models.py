"""schema.sql and the Pydantic models agree; the models reject what the contract forbids."""

from __future__ import annotations

from datetime import date, datetime, timezone

import duckdb
import pytest
from pydantic import ValidationError

from models import (
    Article, EventMention, EventType, Meeting, Outcome, Participant, Rejection, Span,
)
from warehouse.load import SCHEMA_SQL, VIEWS_SQL

CONTRACT = {
    "articles": {"article_id", "source_uri", "site", "title", "language", "published_at", "content_sha256", "ingested_at"},
    "mentions": {"mention_id", "article_id", "event_id", "event_type", "medium", "status", "start_date", "end_date",
                 "date_precision", "evidence", "char_start", "char_end", "confidence"},
    "meetings": {"event_id", "event_type", "medium", "status", "title_ja", "title_en", "start_date", "end_date",
                 "date_precision", "start_time", "duration_minutes", "location", "n_mentions", "n_articles", "n_sources"},
    "participants": {"event_id", "person_id", "name_ja", "name_en", "title", "organization", "country", "role"},
    "outcomes": {"outcome_id", "event_id", "kind", "text", "topics", "article_id", "char_start", "char_end"},
    "rejects": {"reject_id", "source_uri", "stage", "reason", "detail", "rejected_at"},
}
MODEL_OF = {"articles": Article, "meetings": Meeting, "participants": Participant, "outcomes": Outcome, "rejects": Rejection}


def _columns(table: str) -> dict[str, str]:
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_exist(table):
    assert CONTRACT[table] <= set(_columns(table))


@pytest.mark.parametrize("table", sorted(MODEL_OF))
def test_model_fields_equal_table_columns(table):
    assert set(MODEL_OF[table].model_fields) == set(_columns(table))


def test_mention_columns_come_from_the_mention_model():
    derived = {"mention_id", "record_id", "article_id", "event_id", "evidence", "char_start", "char_end", "rule", "is_main"}
    assert set(_columns("mentions")) - derived <= set(EventMention.model_fields)


@pytest.mark.parametrize("column,expected", [
    ("published_at", "TIMESTAMP WITH TIME ZONE"), ("ingested_at", "TIMESTAMP WITH TIME ZONE"),
])
def test_timestamps_are_timezone_aware(column, expected):
    assert _columns("articles")[column] == expected


def test_views_compile():
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
    assert con.execute("SELECT count(*) FROM timeline").fetchone() == (0,)


def _span(text="日米防衛相会談", start=0):
    return Span(article_id="a" * 16, char_start=start, char_end=start + len(text), text=text, rule="t")


def _mention(**kw):
    base = dict(mention_id="m1", article_id="a" * 16, event_type=EventType.summit, evidence=_span(), confidence=0.5)
    base.update(kw)
    return EventMention(**base)


@pytest.mark.parametrize("kwargs,message", [
    (dict(start_date=date(2024, 7, 28), end_date=date(2024, 7, 27), date_precision="day"), "before start_date"),
    (dict(start_date=date(2024, 7, 28), end_date=None, date_precision="day"), "both set or both null"),
    (dict(start_date=date(2024, 7, 28), end_date=date(2024, 7, 28)), "needs a date_precision"),
    (dict(event_type="press_conference"), "event_type"),
    (dict(medium="carrier pigeon"), "medium"),
    (dict(confidence=1.5), "confidence"),
    (dict(unknown_field=1), "unknown_field"),
])
def test_mention_rejects_bad_values(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        _mention(**kwargs)


def test_span_must_slice_the_article_text():
    article_text = "本日、日米防衛相会談を行った。"
    ok = Span.model_validate(_span("日米防衛相会談", 3).model_dump(), context={"article_text": article_text})
    assert article_text[ok.char_start:ok.char_end] == ok.text
    with pytest.raises(ValidationError, match="does not hold"):
        Span.model_validate(_span("日米防衛相会談", 2).model_dump(), context={"article_text": article_text})
    with pytest.raises(ValidationError, match="runs past"):
        Span.model_validate(_span("日米防衛相会談", 20).model_dump(), context={"article_text": article_text})


def test_article_needs_aware_timestamps_and_matching_hash():
    import hashlib

    text = "本文"
    digest = hashlib.sha256(text.encode()).hexdigest()
    good = dict(article_id=digest[:16], source_uri="x.txt", language="ja", content_sha256=digest, text=text,
                n_chars=2, extractor_version="t", ingested_at=datetime(2025, 1, 1, tzinfo=timezone.utc))
    Article(**good)
    with pytest.raises(ValidationError, match="timezone"):
        Article(**{**good, "ingested_at": datetime(2025, 1, 1)})
    with pytest.raises(ValidationError, match="content_sha256"):
        Article(**{**good, "text": "別文", "n_chars": 2})
