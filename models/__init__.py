"""Pydantic models: the records every stage passes to the next.

Vocabularies are enums (design.md); every extracted value keeps the article and the
character span it came from, and the rule that produced it.
"""

from models.records import (
    Article,
    DatePrecision,
    EventMention,
    EventType,
    Language,
    Medium,
    Meeting,
    Outcome,
    OutcomeKind,
    OutcomeRef,
    Participant,
    PersonRef,
    Rejection,
    Role,
    Span,
    Status,
)

__all__ = [
    "Article",
    "DatePrecision",
    "EventMention",
    "EventType",
    "Language",
    "Medium",
    "Meeting",
    "Outcome",
    "OutcomeKind",
    "OutcomeRef",
    "Participant",
    "PersonRef",
    "Rejection",
    "Role",
    "Span",
    "Status",
]
