"""Reference data: officials, offices, organisations, topics and event types.

Loads the YAML files in ``seeds/reference`` (provenance in ``seeds/README.md``), checks
them, and answers the questions extraction asks: who held an office on a day, which
offices a written title can mean, which people or organisation a written name refers to.

Terms are inclusive at both ends: on a handover day both the outgoing and the incoming
holder are returned. ``end`` None means in office at the last record.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[1] / "seeds" / "reference"
# holders(office, None) lists the holders of the period the registry covers; earlier terms
# (e.g. 中谷元 2014–2016) are still found when asked for a date.
COVERAGE_START = date(2021, 1, 1)

_PERSON_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEY = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_READING = re.compile(r"^[\u3041-\u309fー]+(?: [\u3041-\u309fー]+)*$")
_IGNORED_IN_NAMES = re.compile(r"[\s・]+")

_PERSON_KEYS = {
    "id", "name_ja", "name_en", "reading", "country", "aliases_ja", "aliases_en", "offices", "source", "note",
}
_TERM_KEYS = {"office", "start", "end", "approx", "acting", "note"}
_OFFICE_KEYS = {"key", "title_ja", "titles_ja", "title_en", "titles_en", "organization", "country", "note"}
_ORG_KEYS = {"id", "name_ja", "name_en", "country", "aliases_ja", "aliases_en", "note"}
_TOPIC_KEYS = {"id", "label_ja", "label_en", "keywords_ja", "keywords_en", "description"}
_EVENT_TYPE_KEYS = {"id", "label_ja", "label_en", "description"}


@dataclass(frozen=True)
class Office:
    key: str
    title_ja: str
    titles_ja: tuple[str, ...]
    title_en: str
    titles_en: tuple[str, ...]
    organization: str
    country: str


@dataclass(frozen=True)
class Term:
    office: str
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    person_id: str
    name_ja: str
    name_en: str
    reading: str | None
    country: str
    aliases_ja: tuple[str, ...]
    aliases_en: tuple[str, ...]
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Organization:
    org_id: str
    name_ja: str
    name_en: str
    country: str | None
    aliases_ja: tuple[str, ...]
    aliases_en: tuple[str, ...]


def _name_key(text: str) -> str:
    """Key for name lookups: NFKC, case-insensitive, ignoring spaces and ・."""
    return _IGNORED_IN_NAMES.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _title_key(text: str) -> str:
    """Key for title lookups: NFKC, case-insensitive, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _as_day(on: date | None) -> date | None:
    return on.date() if isinstance(on, datetime) else on


class Registry:
    """The loaded reference data with its lookups. Build with :func:`load_registry`."""

    def __init__(
        self,
        people: tuple[Person, ...],
        offices: dict[str, Office],
        organizations: dict[str, Organization],
        topics: tuple[dict, ...],
        event_types: tuple[dict, ...],
    ) -> None:
        self.people = people
        self.offices = offices
        self.organizations = organizations
        self.topics = topics
        self.event_types = event_types
        self._people_by_id = {p.person_id: p for p in people}
        # each office's people (in the order of `people`) with their terms of it: holders() asks
        # about one office, and reads only the people who ever held it
        self._terms_by_office: dict[str, list[tuple[Person, tuple[Term, ...]]]] = {}
        for person in people:
            for key in dict.fromkeys(t.office for t in person.terms):
                terms = tuple(t for t in person.terms if t.office == key)
                self._terms_by_office.setdefault(key, []).append((person, terms))
        self._people_by_name: dict[str, list[Person]] = {}
        for person in people:
            for name in (person.name_ja, person.name_en, *person.aliases_ja, *person.aliases_en):
                bucket = self._people_by_name.setdefault(_name_key(name), [])
                if person not in bucket:
                    bucket.append(person)
        self._org_by_name: dict[str, Organization] = {}
        for org in organizations.values():
            for name in (org.name_ja, org.name_en, *org.aliases_ja, *org.aliases_en):
                key = _name_key(name)
                other = self._org_by_name.setdefault(key, org)
                if other is not org:
                    raise ValueError(
                        f"organizations.yaml: name {name!r} is used by both {other.org_id!r} and {org.org_id!r}"
                    )
        self._offices_by_title: dict[str, list[Office]] = {}
        for office in offices.values():
            for title in {_title_key(t) for t in (*office.titles_ja, *office.titles_en)}:
                self._offices_by_title.setdefault(title, []).append(office)

    def person(self, person_id: str) -> Person:
        try:
            return self._people_by_id[person_id]
        except KeyError:
            raise KeyError(f"unknown person id {person_id!r}") from None

    def holders(self, office_key: str, on: date | None) -> list[Person]:
        """Who held the office on that day; with on=None everyone who held it since COVERAGE_START.

        Ordered by the start of their (first matching) term.
        """
        if office_key not in self.offices:
            raise KeyError(f"unknown office {office_key!r}")
        day = _as_day(on)
        found: list[tuple[date, Person]] = []
        for person, terms in self._terms_by_office.get(office_key, ()):
            starts = [
                t.start
                for t in terms
                if (t.covers(day) if day is not None else (t.end is None or t.end >= COVERAGE_START))
            ]
            if starts:
                found.append((min(starts), person))
        found.sort(key=lambda pair: pair[0])
        return [person for _, person in found]

    def offices_of(self, person: Person, on: date | None) -> list[Office]:
        """Offices the person held that day (all offices ever recorded if on is None), in term order."""
        day = _as_day(on)
        keys = [t.office for t in sorted(person.terms, key=lambda t: t.start) if day is None or t.covers(day)]
        return [self.offices[key] for key in dict.fromkeys(keys)]

    def title_offices(self, title: str, country: str | None = None) -> list[Office]:
        """Offices one of whose written titles is exactly this (case-insensitive, NFKC)."""
        offices = self._offices_by_title.get(_title_key(title), [])
        return [o for o in offices if country is None or o.country == country]

    def people_by_alias(self, alias: str) -> list[Person]:
        """People whose name or alias is exactly this (case-insensitive, ignoring spaces and ・)."""
        return list(self._people_by_name.get(_name_key(alias), []))

    def organization_by_alias(self, alias: str) -> Organization | None:
        return self._org_by_name.get(_name_key(alias))


# ---------------------------------------------------------------------------- loading


def _read_list(directory: Path, name: str) -> list[dict[str, Any]]:
    path = directory / name
    if not path.is_file():
        raise ValueError(f"{name}: missing from {directory}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        raise ValueError(f"{name}: expected a list of mappings")
    return data


class _Entry:
    """Typed field access for one YAML entry, raising ValueError that names the entry."""

    def __init__(self, file: str, entry: dict[str, Any], id_field: str, allowed: set[str]) -> None:
        self.file, self.entry = file, entry
        self.where = f"{file}: entry {entry.get(id_field)!r}"
        unknown = set(entry) - allowed
        if unknown:
            self.fail(f"unknown field(s) {sorted(unknown)}")

    def fail(self, message: str) -> None:
        raise ValueError(f"{self.where}: {message}")

    def text(self, field: str, required: bool = True) -> str | None:
        value = self.entry.get(field)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"field {field!r} must be a non-empty string")
        return value

    def texts(self, field: str) -> tuple[str, ...]:
        value = self.entry.get(field) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"field {field!r} must be a list of non-empty strings")
        return tuple(value)

    def key(self, field: str, pattern: re.Pattern[str]) -> str:
        value = self.text(field)
        if not pattern.match(value):
            self.fail(f"{field} {value!r} must match {pattern.pattern}")
        return value

    def country(self, required: bool = True) -> str | None:
        value = self.entry.get("country")
        if value is None and not required:
            return None
        if not isinstance(value, str) or not _COUNTRY.match(value):
            self.fail(f"country {value!r} must be two uppercase letters (ISO 3166 alpha-2)")
        return value


def _day(entry: _Entry, value: Any, what: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    entry.fail(f"{what} {value!r} is not a date (YYYY-MM-DD)")
    raise AssertionError  # unreachable


def _unique(ids: list[str], file: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{file}: duplicate id {item!r}")
        seen.add(item)


def _with_canonical(canonical: str, variants: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((canonical, *variants)))


def _load_organizations(directory: Path) -> dict[str, Organization]:
    orgs = []
    for raw in _read_list(directory, "organizations.yaml"):
        e = _Entry("organizations.yaml", raw, "id", _ORG_KEYS)
        orgs.append(
            Organization(
                org_id=e.key("id", _KEY),
                name_ja=e.text("name_ja"),
                name_en=e.text("name_en"),
                country=e.country(required=False),
                aliases_ja=e.texts("aliases_ja"),
                aliases_en=e.texts("aliases_en"),
            )
        )
    _unique([o.org_id for o in orgs], "organizations.yaml")
    return {o.org_id: o for o in orgs}


def _load_offices(directory: Path, organizations: dict[str, Organization]) -> dict[str, Office]:
    offices = []
    for raw in _read_list(directory, "offices.yaml"):
        e = _Entry("offices.yaml", raw, "key", _OFFICE_KEYS)
        title_ja, title_en = e.text("title_ja"), e.text("title_en")
        office = Office(
            key=e.key("key", _KEY),
            title_ja=title_ja,
            titles_ja=_with_canonical(title_ja, e.texts("titles_ja")),
            title_en=title_en,
            titles_en=_with_canonical(title_en, e.texts("titles_en")),
            organization=e.text("organization"),
            country=e.country(),
        )
        if office.organization not in organizations:
            e.fail(f"organization {office.organization!r} is not in organizations.yaml")
        offices.append(office)
    _unique([o.key for o in offices], "offices.yaml")
    return {o.key: o for o in offices}


def _load_people(directory: Path, offices: dict[str, Office]) -> tuple[Person, ...]:
    people = []
    for raw in _read_list(directory, "officials.yaml"):
        e = _Entry("officials.yaml", raw, "id", _PERSON_KEYS)
        person_id = e.key("id", _PERSON_ID)
        name_ja = e.text("name_ja")
        if re.search(r"\s", name_ja):
            e.fail(f"name_ja {name_ja!r} must not contain spaces")
        reading = e.text("reading", required=False)
        if reading is not None and not _READING.match(reading):
            e.fail(f"reading {reading!r} must be hiragana, surname and given name separated by one space")
        e.text("source")
        raw_terms = raw.get("offices")
        if not isinstance(raw_terms, list) or not raw_terms:
            e.fail("offices must be a non-empty list of terms")
        terms = []
        for raw_term in raw_terms:
            if not isinstance(raw_term, dict):
                e.fail(f"term {raw_term!r} must be a mapping")
            unknown = set(raw_term) - _TERM_KEYS
            if unknown:
                e.fail(f"term has unknown field(s) {sorted(unknown)}")
            office = raw_term.get("office")
            if office not in offices:
                e.fail(f"term office {office!r} is not in offices.yaml")
            start = _day(e, raw_term.get("start"), "start")
            end = None if raw_term.get("end") is None else _day(e, raw_term["end"], "end")
            if end is not None and start > end:
                e.fail(f"term of {office}: start {start} is after end {end}")
            terms.append(Term(office=office, start=start, end=end))
        people.append(
            Person(
                person_id=person_id,
                name_ja=name_ja,
                name_en=e.text("name_en"),
                reading=reading,
                country=e.country(),
                aliases_ja=e.texts("aliases_ja"),
                aliases_en=e.texts("aliases_en"),
                terms=tuple(terms),
            )
        )
    _unique([p.person_id for p in people], "officials.yaml")
    return tuple(people)


def _load_vocabulary(directory: Path, name: str, allowed: set[str], lists: tuple[str, ...]) -> tuple[dict, ...]:
    items = []
    for raw in _read_list(directory, name):
        e = _Entry(name, raw, "id", allowed)
        item: dict[str, Any] = {"id": e.key("id", _KEY), "label_ja": e.text("label_ja"), "label_en": e.text("label_en")}
        for field in lists:
            item[field] = e.texts(field)
        if "description" in allowed:
            item["description"] = e.text("description", required=name == "event_types.yaml")
        items.append(item)
    _unique([i["id"] for i in items], name)
    return tuple(items)


def _load(directory: Path) -> Registry:
    organizations = _load_organizations(directory)
    offices = _load_offices(directory, organizations)
    return Registry(
        people=_load_people(directory, offices),
        offices=offices,
        organizations=organizations,
        topics=_load_vocabulary(directory, "topics.yaml", _TOPIC_KEYS, ("keywords_ja", "keywords_en")),
        event_types=_load_vocabulary(directory, "event_types.yaml", _EVENT_TYPE_KEYS, ()),
    )


@functools.lru_cache(maxsize=1)
def _default_registry() -> Registry:
    return _load(DEFAULT_DIRECTORY)


def load_registry(directory: str | Path | None = None) -> Registry:
    """Load and check the reference data; the default directory's registry is cached."""
    if directory is None:
        return _default_registry()
    return _load(Path(directory))
