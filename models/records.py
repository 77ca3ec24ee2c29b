"""Record types of the pipeline, one per warehouse table plus the mention-level references."""

from __future__ import annotations

import hashlib
from datetime import date, time
from enum import Enum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, model_validator


class EventType(str, Enum):
    summit = "summit"
    ministerial_2plus2 = "ministerial_2plus2"
    defense_ministers_meeting = "defense_ministers_meeting"
    foreign_ministers_meeting = "foreign_ministers_meeting"
    working_level_dialogue = "working_level_dialogue"
    visit = "visit"
    document_release = "document_release"
    exercise = "exercise"
    other = "other"


class Medium(str, Enum):
    in_person = "in_person"
    phone = "phone"
    video = "video"
    unknown = "unknown"


class Status(str, Enum):
    held = "held"
    planned = "planned"
    cancelled = "cancelled"
    unknown = "unknown"


class DatePrecision(str, Enum):
    day = "day"
    month = "month"
    year = "year"
    unknown = "unknown"


class OutcomeKind(str, Enum):
    agreed = "agreed"
    confirmed = "confirmed"
    reaffirmed = "reaffirmed"
    welcomed = "welcomed"
    condemned = "condemned"
    concerned = "concerned"
    decided = "decided"
    announced = "announced"
    other = "other"


class Language(str, Enum):
    ja = "ja"
    en = "en"


class Role(str, Enum):
    attendee = "attendee"
    co_chair = "co_chair"
    host = "host"
    guest = "guest"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _check_span(char_start: int, char_end: int, text: str | None, info: ValidationInfo) -> None:
    """A span is non-empty, ordered and, when the article text is in the context, exact."""
    if char_start < 0 or char_end <= char_start:
        raise ValueError(f"bad span [{char_start}, {char_end})")
    article_text = (info.context or {}).get("article_text")
    if article_text is None:
        return
    if char_end > len(article_text):
        raise ValueError(f"span [{char_start}, {char_end}) runs past the article ({len(article_text)} chars)")
    if text is not None and article_text[char_start:char_end] != text:
        raise ValueError(f"span [{char_start}, {char_end}) does not hold the quoted text {text[:40]!r}")


class Span(_Record):
    """Where a value came from: a slice of the stored article text."""

    article_id: str
    char_start: int
    char_end: int
    text: str
    rule: str

    @model_validator(mode="after")
    def _span_inside_article(self, info: ValidationInfo) -> Span:
        if len(self.text) != self.char_end - self.char_start:
            raise ValueError("span text length differs from char_end - char_start")
        _check_span(self.char_start, self.char_end, self.text, info)
        return self


class Article(_Record):
    article_id: str
    source_uri: str
    site: str | None = None
    title: str | None = None
    language: Language
    published_at: AwareDatetime | None = None
    published_at_source: str | None = None
    content_sha256: str
    text: str = Field(min_length=1)
    n_chars: int
    extractor_version: str
    ingested_at: AwareDatetime

    @model_validator(mode="after")
    def _hash_matches_text(self) -> Article:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        if digest != self.content_sha256:
            raise ValueError("content_sha256 does not match the text")
        if self.article_id != digest[:16]:
            raise ValueError("article_id must be the first 16 hex digits of content_sha256")
        if self.n_chars != len(self.text):
            raise ValueError("n_chars differs from len(text)")
        return self


class PersonRef(_Record):
    """A person as one mention names them; resolved to the registry when possible."""

    person_id: str | None = None
    name_ja: str | None = None
    name_en: str | None = None
    title: str | None = None
    organization: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    role: Role = Role.attendee
    span: Span

    @model_validator(mode="after")
    def _has_a_name(self) -> PersonRef:
        if not (self.name_ja or self.name_en):
            raise ValueError("a participant needs name_ja or name_en")
        return self

    @property
    def key(self) -> str:
        return person_key(self.person_id, self.name_ja, self.name_en)


class OutcomeRef(_Record):
    """A clause saying what the event produced."""

    kind: OutcomeKind
    topics: list[str] = Field(default_factory=list)
    span: Span


class EventMention(_Record):
    """One article's report of one event (several sentences of one article may support it)."""

    mention_id: str
    article_id: str
    event_type: EventType
    medium: Medium = Medium.unknown
    status: Status = Status.held
    start_date: date | None = None
    end_date: date | None = None
    date_precision: DatePrecision = DatePrecision.unknown
    start_time: time | None = None
    duration_minutes: int | None = Field(default=None, ge=0, le=60 * 24 * 14)
    location: str | None = None
    title: str | None = None
    evidence: Span
    supporting: list[Span] = Field(default_factory=list)
    is_primary: bool = True
    confidence: float = Field(ge=0.0, le=1.0)
    participants: list[PersonRef] = Field(default_factory=list)
    outcomes: list[OutcomeRef] = Field(default_factory=list)
    series: str | None = None        # a series key such as "ssc_2plus2" or "edd"
    date_rule: str | None = None     # how the date was read: written in the text, or inferred (card_*, reference)
    month_day: str | None = Field(default=None, pattern=r"^\d{2}-\d{2}$")  # "07-14" when the year is unknown
    site: str | None = None
    published_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _dates_ordered(self) -> EventMention:
        if (self.start_date is None) != (self.end_date is None):
            raise ValueError("start_date and end_date are both set or both null")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        if self.start_date is None and self.date_precision != DatePrecision.unknown:
            raise ValueError("an undated mention has date_precision 'unknown'")
        if self.start_date is not None and self.date_precision == DatePrecision.unknown:
            raise ValueError("a dated mention needs a date_precision")
        for ref in [self.evidence, *self.supporting] + [p.span for p in self.participants] + [
            o.span for o in self.outcomes
        ]:
            if ref.article_id != self.article_id:
                raise ValueError("every span of a mention points into the mention's article")
        return self


class Meeting(_Record):
    event_id: str
    event_type: EventType
    medium: Medium
    status: Status
    title_ja: str | None = None
    title_en: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    date_precision: DatePrecision
    start_time: time | None = None
    duration_minutes: int | None = None
    location: str | None = None
    n_mentions: int = Field(ge=1)
    n_articles: int = Field(ge=1)
    n_sources: int = Field(ge=1)
    confidence: float = Field(ge=0.0, le=1.0)
    series: str | None = None        # the series key of its mentions ("ssc", "edd", ...), if any

    @model_validator(mode="after")
    def _dates_ordered(self) -> Meeting:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


class Participant(_Record):
    event_id: str
    person_key: str
    person_id: str | None = None
    name_ja: str | None = None
    name_en: str | None = None
    title: str | None = None
    organization: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    role: Role
    article_id: str
    char_start: int
    char_end: int
    rule: str
    n_articles: int = Field(ge=1)


class Outcome(_Record):
    outcome_id: str
    event_id: str
    kind: OutcomeKind
    text: str
    topics: list[str]
    article_id: str
    char_start: int
    char_end: int
    rule: str


class Rejection(_Record):
    reject_id: str
    source_uri: str
    stage: str
    reason: str
    detail: str | None = None
    rejected_at: AwareDatetime


def person_key(person_id: str | None, name_ja: str | None, name_en: str | None) -> str:
    """A participant's key within an event: the registry id, else the name without separators."""
    if person_id:
        return person_id
    name = (name_ja or name_en or "").replace("・", "").replace(" ", "").lower()
    return f"name:{name}"


def content_id(*parts: Any, n: int = 16) -> str:
    """A stable id from content: the same inputs give the same id in any run, in any order."""
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:n]
