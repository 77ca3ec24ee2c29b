"""Validate stage: re-check every mention against its article; failures become Rejections."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from models import Article, EventMention, Rejection
from models.records import content_id

__all__ = ["validate"]


def validate(article: Article, mentions: list[EventMention], now: datetime) -> tuple[list[EventMention], list[Rejection]]:
    """Mentions whose every span slices exactly its quoted text out of the stored article."""
    ok: list[EventMention] = []
    rejected: list[Rejection] = []
    for m in mentions:
        try:
            ok.append(EventMention.model_validate(m.model_dump(), context={"article_text": article.text}))
        except ValidationError as exc:
            detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())[:2000]
            rejected.append(Rejection(
                reject_id=content_id(article.source_uri, "validate", m.mention_id),
                source_uri=article.source_uri, stage="validate", reason="invalid_mention",
                detail=f"mention {m.mention_id}: {detail}", rejected_at=now,
            ))
    return ok, rejected
