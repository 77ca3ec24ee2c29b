"""Validate stage: re-check every mention against its article; failures become Rejections.

`extract_all` is the extract + validate step the flow (and the tests) run: one article's
extractor error or invalid mention becomes a Rejection with the field errors; it never stops
the run and no record is dropped without one."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from models import Article, EventMention, Rejection
from models.records import content_id

__all__ = ["validate", "extract_all"]


def _field_errors(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or exc.title}: {e['msg']}" for e in exc.errors())[:2000]


def validate(article: Article, mentions: list[EventMention], now: datetime) -> tuple[list[EventMention], list[Rejection]]:
    """Mentions whose every span slices exactly its quoted text out of the stored article."""
    ok: list[EventMention] = []
    rejected: list[Rejection] = []
    for m in mentions:
        try:
            ok.append(EventMention.model_validate(m.model_dump(), context={"article_text": article.text}))
        except ValidationError as exc:
            rejected.append(Rejection(
                reject_id=content_id(article.source_uri, "validate", m.mention_id),
                source_uri=article.source_uri, stage="validate", reason="invalid_mention",
                detail=f"mention {m.mention_id}: {_field_errors(exc)}", rejected_at=now,
            ))
    return ok, rejected


def extract_all(articles: list[Article], now: datetime) -> tuple[list[EventMention], list[Rejection]]:
    """Extract and validate every article; an article whose extraction fails is rejected with
    the reason (Pydantic field errors, or the exception) and the others go on."""
    from timeline.extract import extract

    mentions: list[EventMention] = []
    rejects: list[Rejection] = []
    for a in articles:
        try:
            found = extract(a)
        except Exception as exc:  # one bad article never stops the run
            detail = (f"invalid record: {_field_errors(exc)}" if isinstance(exc, ValidationError)
                      else f"{type(exc).__name__}: {str(exc)[:2000]}")
            rejects.append(Rejection(reject_id=content_id(a.source_uri, "extract", a.article_id, detail),
                                     source_uri=a.source_uri, stage="extract", reason="extractor_error",
                                     detail=detail, rejected_at=now))
            continue
        ok, bad = validate(a, found, now)
        mentions.extend(ok)
        rejects.extend(bad)
    return mentions, rejects
