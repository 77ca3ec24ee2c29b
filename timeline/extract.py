"""Extract stage: one Article → the EventMentions it reports, each with evidence spans.

The stage reads like its table of contents (see `extract`): segment the page, work out the
reference date of every sentence, find event triggers, group the triggers that describe one
event, then attach participant listings and outcome clauses through the discourse.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from models import (
    Article, DatePrecision, EventMention, EventType, Language, Medium, OutcomeKind, OutcomeRef,
    PersonRef, Role, Span, Status,
)
from models.records import content_id
from timeline.dates import DateMatch, find_dates, find_durations, find_times, may_hold_date, parse_timestamp
from timeline.people import Found, find_people
from timeline.registry import Registry, load_registry
from timeline.rules import (
    ANAPHOR, ANAPHOR_NOUN, BACKGROUND_AFTER, BACKGROUND_BEFORE, CANCELLED, DOC_DATE_SENTENCE,
    ANY_OUTCOME, ANY_OUTCOME_LOWERED, EVENT_VERB, EXERCISE_NAMES, EXERCISES, LOCATION, MEDIUM_CUES, OUTCOME_HEADS_ANY, OUTCOME_HEADS_ASCII, OUTCOME_KINDS, OUTCOME_KINDS_LOWERED, PLANNED, TRIGGERS, Trigger,
    led_by_first_chars, longest_word, lowered_for_ascii,
)
from timeline.text import Line, Sentence, segment, split_lines

__all__ = ["extract"]

JST = ZoneInfo("Asia/Tokyo")
_MAX_CANDIDATES = 300
_SKIP_KINDS = {"chatter", "teaser", "note", "meta"}


@dataclass
class _Ref:
    day: date | None
    rule: str


@dataclass
class _Cand:
    sent: Sentence
    a: int
    b: int
    trigger: Trigger
    event_type: EventType
    medium: Medium
    status: Status
    primary: bool
    date: DateMatch | None = None
    date_rule: str = ""
    start_time: time | None = None
    duration: int | None = None
    location: str | None = None
    people: list[Found] = field(default_factory=list)
    # (month or None, day) the text writes where nothing on the page places it (see _written_day)
    written: tuple[int | None, int] | None = None
    # "the two leaders", "He": people named in an earlier sentence the subject points back to
    borrowed: list[tuple[Sentence, Found]] = field(default_factory=list)
    fmt: str | None = None    # a multilateral format ("日米豪比防衛相会談" → "multi_au_jp_ph_us")

    @property
    def series(self) -> str | None:
        return self.trigger.series or self.fmt


@dataclass
class _Group:
    cands: list[_Cand]
    extra_people: list[tuple[Sentence, Found, Role]] = field(default_factory=list)
    outcomes: list[tuple[Sentence, int, int, OutcomeKind]] = field(default_factory=list)
    period: DateMatch | None = None     # "期間は9月11日から25日まで": the span of an event dated by its start
    period_sent: Sentence | None = None  # the sentence that gives it
    clauses: dict[int, tuple[int, int]] = field(default_factory=dict)   # its part of a sentence shared with another event

    @property
    def first(self) -> _Cand:
        return self.cands[0]

    @property
    def event_type(self) -> EventType:
        return self.first.event_type

    def dated(self) -> list[_Cand]:
        return [c for c in self.cands if c.date is not None]

    def status(self) -> Status:
        known = [c.status for c in self.cands if c.status != Status.unknown]
        if Status.held in known and Status.planned in known:
            return Status.held  # a trip announced and then reported has taken place
        return known[0] if known else Status.unknown

    def medium(self) -> Medium:
        known = [c.medium for c in self.cands if c.medium != Medium.unknown]
        return known[0] if known else Medium.unknown


def extract(article: Article, registry: Registry | None = None) -> list[EventMention]:
    """Every event the article reports or refers to, one EventMention per (article, event)."""
    registry = registry or load_registry()
    lang = article.language.value
    # Segment: body sentences with raw offsets; chrome, teasers and chatter marked
    lines = split_lines(article.text)
    sents = segment(article.text, lines)
    # Reference dates: page date, aggregator-card date, the release's own date
    refs = _reference_dates(article, lines, sents, lang)
    # Candidates: event triggers that describe an instance, with date, people, status, medium
    antecedent = _Antecedents(sents, refs, registry)
    cands = [c for s in sents if s.kind not in _SKIP_KINDS
             for c in _candidates(s, refs[s.index], registry, lang, antecedent)]
    cands += _table_rows(sents, refs, registry)
    cands.sort(key=lambda c: (c.sent.index, c.a))
    _share_written_days(cands)
    # a news page names its events a few dozen times at most; a dump naming them thousands of
    # times would make grouping quadratic: keep the first _MAX_CANDIDATES (the article is stored whole)
    cands = cands[:_MAX_CANDIDATES]
    # Group: the sentences of one article about one event become one mention
    groups = _fold_meeting_documents(_group(cands))
    _date_lead_report(groups, article, refs, sents, registry)
    # Discourse: participant listings and outcome clauses go to the event being described
    _attach(sents, groups, refs, registry, lang)
    _share_sentences(groups)
    # Build the records
    return _unique_ids([_build(article, g, registry) for g in groups])


_CLAUSE_SEP = re.compile(r"、|,\s|;\s|:\s")


def _share_sentences(groups: list[_Group]) -> None:
    """A sentence that reports two events ("日米豪印外相会合に出席するため…訪問中の林外務大臣は、
    ブリンケン長官と日米外相会談を行った") is the evidence of each only in its own part: cut
    between their triggers at the clause separator nearest the middle. Where the triggers of two
    events interleave, both keep the whole sentence."""
    by_sent: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    sent_of: dict[int, Sentence] = {}
    for gi, g in enumerate(groups):
        for c in g.cands:
            lo, hi = by_sent[c.sent.index].get(gi, (c.a, c.b))
            by_sent[c.sent.index][gi] = (min(lo, c.a), max(hi, c.b))
            sent_of[c.sent.index] = c.sent
    for si, ranges in by_sent.items():
        if len(ranges) < 2:
            continue
        order = sorted(ranges.items(), key=lambda kv: kv[1])
        if any(order[i][1][1] > order[i + 1][1][0] for i in range(len(order) - 1)):
            continue
        text = sent_of[si].ntext
        cuts = [0]
        for (_, (_, hi)), (_, (lo, _)) in zip(order, order[1:]):
            mid = (hi + lo) / 2
            seps = [m.end() for m in _CLAUSE_SEP.finditer(text, hi, lo)]
            if not seps:
                cuts = []
                break
            cuts.append(min(seps, key=lambda x: abs(x - mid)))
        if not cuts:
            continue
        cuts.append(len(text))
        for k, (gi, _) in enumerate(order):
            groups[gi].clauses[si] = (cuts[k], cuts[k + 1])


# ---------------------------------------------------------------------------------------------
# Reference dates
# ---------------------------------------------------------------------------------------------

_URL_DATE = re.compile(r"/(20\d{2})(\d{2})(\d{2})(?:/|[^\d])")


_YEAR_HEADING = re.compile(r"^\s*[【\[■◆●▼(（<〈]?\s*((?:19|20)\d{2})\s*年?\s*(度)?[】\]）)>〉:：]?\s*$")
_ROW_START = re.compile(r"^\s*[・\-•]?\s*(\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2}|(January|February|March|April|May|June|July|August|"
                        r"September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.) \d{1,2})")


def _reference_dates(article: Article, lines: list[Line], sents: list[Sentence], lang: str) -> dict[int, _Ref]:
    page = article.published_at.astimezone(JST).date() if article.published_at else None
    # aggregator cards: the quoted source's date (from its URL), else the card's own date line
    card_day: dict[int, _Ref] = {}
    for ln in lines:
        if ln.kind == "source":
            m = _URL_DATE.search(ln.text + "/")
            if m:
                try:
                    card_day[ln.block] = _Ref(date(int(m[1]), int(m[2]), int(m[3])), "card_source_url_date")
                except ValueError:
                    pass
    carded = {ln.block for ln in lines if ln.kind == "source"}   # blocks that quote a source
    for ln in lines:
        if ln.kind == "meta" and ln.block not in card_day and ln.block in carded:
            ts = parse_timestamp(ln.text.strip(), article.ingested_at.date())
            if ts:
                card_day[ln.block] = _Ref(ts[0].date(), "card_date_line")
    refs: dict[int, _Ref] = {}
    page_ref = _Ref(page, "page_date" if page else "none")
    doc: _Ref | None = None
    last_day: dict[int, date] = {}
    last_any: dict[int, date] = {}   # the end of the last day or month named, for an undated page
    last_coming: dict[int, date] = {}   # the last day named, coming ones included
    year_ctx: int | None = None
    prev_end = 0
    for s in sents:
        # a chronology ("【2022年】" then "1月7日 …" rows) dates its rows in the year above them;
        # a line that is not a row ends it
        heading = _YEAR_HEADING.match(s.ntext)
        new_line = "\n" in article.text[prev_end:s.start]
        prev_end = s.end
        if heading:
            year_ctx = int(heading.group(1))
        elif year_ctx is not None and new_line and not _ROW_START.match(s.ntext):
            year_ctx = None
        if year_ctx is not None and not heading:
            refs[s.index] = _Ref(date(year_ctx, 12, 31), "chronology_year")
        elif s.block in card_day:
            refs[s.index] = card_day[s.block]
        else:
            base = doc or page_ref
            refs[s.index] = base
            found = _doc_date(s, base.day, lang)
            if found is not None:
                doc = _Ref(found.start_date, "document_date")
                refs[s.index] = doc
                s.extra["doc_date"] = found
        if refs[s.index].day is None:
            s.extra["unplaced"] = True   # nothing on the page (page date, card date) places its days
        # "同日" points back at the day the text last named (in this stretch of the page)
        if s.block in last_day:
            s.extra["previous_day"] = last_day[s.block]
        if s.block in last_any:
            s.extra["previous_any"] = last_any[s.block]
        if s.block in last_coming:
            s.extra["previous_coming_day"] = last_coming[s.block]
        if s.kind not in _SKIP_KINDS:
            found_all = _dates_in(s, refs[s.index].day, "past", lang)
            days = [d for d in found_all
                    if d.precision == "day" and d.text not in ("同日", "本日", "今日")
                    and not _OTHER_ZONE.search(s.ntext, max(0, d.start - 8), d.start)]   # "(日本時間19日未明)"
            # (a coming day, "翌12日に開かれる予定の", is not what a later 同日 points back to)
            if days:   # a plan's 同じ日 ("…28日に…予定。同じ日には…も開かれる予定") may point at a coming day
                last_coming[s.block] = days[-1].start_date
                if PLANNED.search(s.ntext):   # ("来週10日に…予定": read as coming)
                    ahead = [d for d in _dates_in(s, refs[s.index].day, "future", lang)
                             if d.precision == "day" and d.text not in ("同日", "本日", "今日")]
                    if ahead:
                        last_coming[s.block] = ahead[-1].start_date
            days = [d for d in days if refs[s.index].day is None or d.start_date <= refs[s.index].day]
            if days:
                last_day[s.block] = days[-1].start_date
            for d in reversed(found_all):
                if d.precision in ("day", "month"):
                    last_any[s.block] = d.end_date
                    break
    return refs


def _dates_in(s: Sentence, ref: date | None, tense: str, lang: str) -> tuple[DateMatch, ...]:
    """The dates of a sentence (find_dates), read once per reference, tense and language: the
    reference dates and then each trigger of the sentence ask again."""
    asked = s.extra.setdefault("dates", {})
    if (ref, tense, lang) not in asked:
        # (most sentences name no date: answered without building the reading's context)
        asked[ref, tense, lang] = tuple(find_dates(s.ntext, ref, tense=tense, lang=lang)) \
            if may_hold_date(s.ntext, lang) else ()
    return asked[ref, tense, lang]


def _doc_date(s: Sentence, ref: date | None, lang: str) -> DateMatch | None:
    """'防衛省は令和6(2024)年12月12日(木)20時30分、…を発表した': the release's own date."""
    if not DOC_DATE_SENTENCE.search(s.ntext):
        return None
    head = re.match(r"^[^、。]{1,30}?(は|が)、?", s.ntext)
    if not head:
        return None
    dates = _dates_in(s, ref, "past", lang)
    if dates and dates[0].start <= head.end() + 1 and dates[0].explicit_year and dates[0].precision == "day":
        return dates[0]
    return None


# ---------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------

_DOC_PREDICATE_AFTER = re.compile(
    r"^(\([^)]{0,20}\))?[^。、]{0,2}?(を|が)(新たに)?(作成|策定|発表|発出|公表|採択|署名|取りまとめ|とりまとめ)"
)
_DOC_PREDICATE_BEFORE = re.compile(r"\b(issued|released|adopted|published|announced|unveiled)( (a|an|the|new|their))*\s*$", re.I)
_TRIGGER_GAP = re.compile(r"^(の|との|と|が|は)?[^、。]{0,4}$")
_AT_MEETING = re.compile(r"^(\([^)]*\))?\s*(では|で、|において)")
_VERB_AFTER = re.compile(r"^し(た|ました|て|、)|^する(方向|予定|見通し|ことで|考え)")
_RELATIVE_PAST = re.compile(r"(に|で)(開催|実施|行われ|開かれ)(された|した|た)$")
_HEADING_MAX = 70
_HEADLINE_HELD = re.compile(r"を実施|実施した|行った|行われた|開催された|会談した|で一致|を確認|に合意|を発表|を作成|発出|"
                            r"\b(met|held|hosts?|hosted|meets|agree[sd]?|reaffirms?|welcomes?|visits|visited|talks)\b|"
                            r"[A-Z][a-z]+ (Meets|Holds|Hosts|Visits)\b", re.I)
_POINTS_BACK = re.compile(r"^(で|では|において|のあと|の後|後、|の際|の冒頭|の席上|後の|には|に際し|に合わせ)")
_REPORTED_BEFORE = re.compile(r"(^|、|この|同|今回の|その|[はも]、?)$")
_DEFINITION = re.compile(r"(会合|会議|枠組み|協議|こと|もの|場)です[。]?$|\bis (a|an|the) (meeting|forum|framework|dialogue)\b")
_CLAUSE_END = re.compile(r"(した|して|ばかりで|ており|であり|ため|たが|したが|され)、")
# Country pairs written in front of a meeting word: only those with both Japan and the US count
_OTHER_PAIR = re.compile(
    r"(?<!日)(米[韓中露豪印英仏独比加]|[韓中露豪印英仏独比加]米)(?=の?(首脳|外相|防衛相|国防相|外務|会談|首脳会))|"
    r"(?<!米)(日[韓中露豪印英仏独比加]|[韓中露豪印英仏独比加]日)(?=の?(首脳|外相|防衛相|国防相|外務|会談|首脳会))")
# a meeting with the leader or a minister of a rival state is no Japan–US meeting, whoever else the
# sentence names (allies' and partners' officials join Japan–US formats; these do not)
_RIVAL_TITLE = r"(国家主席|主席|大統領|首相|総書記|国務委員|国防相|国防部長|外相)"
_RIVAL_BEFORE = re.compile(r"(中国|中華人民共和国|ロシア|北朝鮮)の?[^\s、。との()]{0,10}(\([^)]{1,20}\))?" + _RIVAL_TITLE +
                           r"と(の|も|も初めて|は初めて|初めて|個別に)?(電話|オンライン|テレビ)?(で)?$")
_RIVAL_AFTER = re.compile(r"(\s+with)?\s+(Chinese|Russian|North Korean|China's|Russia's|North Korea's)\s+"
                          r"(President|Premier|leader|Leader|Defen[cs]e Minister|Foreign Minister|counterpart)\b")
_DECLINED_BEFORE = re.compile(r"\b(declined|refused|rejected|turned down|snubbed|spurned)\s+(an?\s+|the\s+|his\s+|her\s+|their\s+|any\s+)?"
                              r"((request|invitation|offer|proposal)s?\s+(for|to|of)\s+(an?\s+|the\s+)?)?$")
_DECLINED_AFTER = re.compile(r"(の(申し入れ|要請|提案)?)?(を|に|は)?(断|拒否|拒ん|拒ま|応じなかった|応じず|見送)")
# "石破首相との会談": a generic word with its own person in front is its own event
_NAMED_BEFORE = re.compile(r"(首相|総理|大統領|長官|大臣|防衛相|外相|氏)(との|と|の)$")
_OCCASION = re.compile(r"(on the (sidelines|margins) of|ahead of|following|after|during|at the|before)\s*(the )?(U\.S\.-Japan )?$|"
                       r"(の際|の機会に|に先立ち|に合わせ|の合間|の後|に続いて|に引き続き)", re.I)


# Words without which no trigger can match: one cheap pass skips most sentences.
_TRIGGER_WORDS = re.compile(
    r"会談|会合|協議|会議|訪|来日|首脳|日米(外相|防衛相|国防相)|2\s?\+\s?2|プラス2|ツープラスツー|演習|訓練|ガイドライン|声明|共同発表|共同文書|"
    r"指針|ファクトシート|防衛トップ|表敬|EDD|DICAS|ワーキンググループ|作業部会|"
    r"met|meet|talk|conversation|bilateral|trilateral|quadrilateral|call|visit|host|spoke|summit|Committee|Dialogue|Ministerial|Exercise|statement|readout|"
    r"guidelines|fact sheet|working group|DICAS|two-plus-two|agree|affirm|vow|pledge|signed|welcomed|stop|sit-down|sat down|sit down|received", re.I)
_TRIGGER_WORDS = led_by_first_chars(_TRIGGER_WORDS)   # searched in every sentence (rules.py: why)
_TRIGGER_WORDS_LOWERED = lowered_for_ascii(_TRIGGER_WORDS)   # the same for an ASCII sentence, lowered
# exercise names are proper nouns, matched with their case: under IGNORECASE their many first
# letters would make the word scan above try most positions of every English sentence (and a
# plain case-sensitive alternation scans faster than one led by its first characters)
_EXERCISE_WORDS = re.compile(EXERCISE_NAMES)


# English coordination that starts another event's clause: "we met in Hiroshima last May, and
# together with President Yoon at the Camp David Summit in August 2023"
# (not the serial comma of a list of names: "Kishida, Australian Prime Minister Albanese, and Indian Prime Minister Modi")
_EN_CLAUSE_BREAK = re.compile(r",\s+and\s(?![A-Z])|;\s|,\s+while\s|,\s+before\s|,\s+after\s")


def _same_clause(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not _EN_CLAUSE_BREAK.search(text, lo, hi)


_PAIR_PREDICATE = re.compile(r"(一致|合意|確認|申し合わせ)(した|しました|する|へ|\s|$)")
_PAIR_TYPES = {"首脳": EventType.summit, "外相": EventType.foreign_ministers_meeting,
               "防衛相": EventType.defense_ministers_meeting, "国防相": EventType.defense_ministers_meeting}


_COUNTRY_JA = {"日": "jp", "米": "us", "豪": "au", "比": "ph", "印": "in", "韓": "kr", "英": "uk", "加": "ca", "仏": "fr", "独": "de"}
_COUNTRY_EN = {"japan": "jp", "u.s.": "us", "us": "us", "united states": "us", "australia": "au", "philippines": "ph",
               "philippine": "ph", "india": "in", "south korea": "kr", "rok": "kr", "korea": "kr", "uk": "uk", "u.k.": "uk",
               "republic of korea": "kr"}
_COUNTRY_EN_WORD = r"(?:Japan|U\.S\.|US|United States|Australia|Philippines?|India|South Korea|Republic of Korea|ROK|Korea|U\.K\.|UK)"
_MULTI_JA = re.compile(r"([日米豪比印韓英加仏独]{3,})$")
# "Japan-U.S.-ROK", "Japan, the United States and the Republic of Korea"
_MULTI_EN = re.compile(rf"({_COUNTRY_EN_WORD}(?:(?:-|–|, | and |, and | ?/ ?)(?:the )?{_COUNTRY_EN_WORD}){{2,}})", re.I)


def _multi_series(codes: set[str]) -> str | None:
    """Three or more countries, Japan and the US among them: the series key of that format."""
    return "multi_" + "_".join(sorted(codes)) if len(codes) >= 3 and {"jp", "us"} <= codes else None


def _multilateral_format(text: str, a: int, b: int) -> str | None:
    """Three or more countries written with the meeting ("日米豪比防衛相会談", "Japan-U.S.-Australia-Philippines
    Defense Ministers' Meeting"): a format of its own, kept apart from the bilateral meeting of that day."""
    m = _MULTI_JA.search(re.sub(r"[「」(（]", "", text[max(0, a - 8):a + 4].split("防衛")[0].split("外相")[0].split("首脳")[0]))
    codes: set[str] = set()
    if m:
        codes = {_COUNTRY_JA[ch] for ch in m.group(1)}
    else:
        e = _MULTI_EN.search(text, max(0, a - 70), min(len(text), b + 10))
        if e is None and re.match(r"\s+(among|between|of|with)\s", text[b:b + 10]):
            e = _MULTI_EN.search(text, b, min(len(text), b + 70))   # "a summit among Japan, the United States and …"
        if e:
            codes = {_COUNTRY_EN[w.lower()] for w in re.findall(_COUNTRY_EN_WORD, e.group(1), re.I)}
    return _multi_series(codes)


def _format_of_people(people: list[Found]) -> str | None:
    """"Biden hosted Kishida and South Korean President Yoon at Camp David for a summit": people of
    three countries (registry officials) at one meeting make it a multilateral format."""
    codes = {p.country.lower() for p in people if p.person_id and p.country}
    return _multi_series(codes)


_MULTI_CUE = re.compile(r"\b(trilateral|three-way|quadrilateral|four-way)\b|[3三４4]\s?(カ国|か国|ヶ国)", re.I)
_COUNTRY_WORDS = [(re.compile(rx, re.I if rx.isascii() else 0), code) for rx, code in [
    (r"\bJapan(ese)?\b", "jp"), (r"日本|日米", "jp"), (r"\b(U\.S\.|United States|American)", "us"), (r"米国|日米|米", "us"),
    (r"\b(South Korea(n)?|Republic of Korea|ROK|Korean)\b", "kr"), (r"韓国|日米韓", "kr"),
    (r"\bAustralia(n)?\b", "au"), (r"豪州|オーストラリア|日米豪", "au"), (r"\b(Philippines?|Filipino)\b", "ph"),
    (r"フィリピン|比国", "ph"), (r"\bIndia(n)?\b", "in"), (r"インド", "in"), (r"\b(U\.K\.|Britain|British)\b", "uk"), (r"英国", "uk")]]


def _format_of_cue(text: str, a: int, b: int, people: list[Found]) -> str | None:
    """"Secretary Blinken's Trilateral Meeting with Japanese Foreign Minister Hayashi and Republic of
    Korea Foreign Minister Chung": a meeting called three- or four-way, among the countries the
    sentence names and its people come from."""
    # the cue modifies the meeting ("Trilateral Meeting", "3カ国の首脳会談"), not a later clause
    # ("日米外相会談を行い、日米韓3か国の協力を…確認した")
    if not _MULTI_CUE.search(text, max(0, a - 25), b):
        return None
    codes = {code for rx, code in _COUNTRY_WORDS if rx.search(text)}
    codes |= {p.country.lower() for p in people if p.country}
    return _multi_series(codes)


_PAIR_OFFICES = {EventType.summit: ("jp_prime_minister", "us_president"),
                 EventType.foreign_ministers_meeting: ("jp_minister_of_foreign_affairs", "us_secretary_of_state"),
                 EventType.defense_ministers_meeting: ("jp_minister_of_defense", "us_secretary_of_defense"),
                 EventType.ministerial_2plus2: ("jp_minister_of_foreign_affairs", "jp_minister_of_defense",
                                                "us_secretary_of_state", "us_secretary_of_defense")}


def _pair_holders(c: "_Cand", etype: EventType, day: date, registry: Registry) -> list[Found]:
    """"日米防衛相" on a date names the two office holders of that day."""
    return [f for key in _PAIR_OFFICES[etype]
            if (f := _holder_found(key, day, registry, c.a, c.b, "pair_title_on_date")) is not None]


def _holder_found(key: str, day: date, registry: Registry, a: int, b: int, rule: str) -> Found | None:
    """The one holder of an office on a day, as a participant found at text[a:b] (None if not one)."""
    holders = registry.holders(key, day)
    if len(holders) != 1:
        return None
    p, office = holders[0], registry.offices[key]
    org = registry.organizations.get(office.organization)
    return Found(a, b, p.person_id, p.name_ja, p.name_en, office.title_ja, org.name_ja if org else None,
                 p.country, rule)


# "sat down with his counterparts from the United States, Japan and Australia", "his Japanese
# counterpart", "カウンターパートである日米豪の国防相": the holders, on the day, of the office the
# subject holds in each country named
_COUNTERPART_OFFICES = {
    "defense": {"JP": "jp_minister_of_defense", "US": "us_secretary_of_defense", "AU": "au_minister_for_defence",
                "PH": "ph_secretary_of_national_defense", "KR": "kr_minister_of_national_defense",
                "GB": "gb_secretary_of_state_for_defence"},
    "foreign": {"JP": "jp_minister_of_foreign_affairs", "US": "us_secretary_of_state", "AU": "au_minister_for_foreign_affairs",
                "KR": "kr_minister_of_foreign_affairs"},
    "leader": {"JP": "jp_prime_minister", "US": "us_president", "AU": "au_prime_minister", "PH": "ph_president",
               "KR": "kr_president", "IN": "in_prime_minister"},
}
_OFFICE_FAMILY = {key: fam for fam, keys in _COUNTERPART_OFFICES.items() for key in keys.values()}
_COUNTERPART_COUNTRY = {"japan": "JP", "japanese": "JP", "united states": "US", "u.s.": "US", "us": "US", "american": "US",
                        "australia": "AU", "australian": "AU", "philippines": "PH", "philippine": "PH", "filipino": "PH",
                        "south korea": "KR", "south korean": "KR", "republic of korea": "KR", "korean": "KR",
                        "britain": "GB", "british": "GB", "india": "IN", "indian": "IN"}
_CW = r"(?:Japan(?:ese)?|the United States|United States|U\.S\.|US|American|Australian?|the Philippines|Philippines?|Filipino|South Korean?|the Republic of Korea|Republic of Korea|Korean|Britain|British|Indian?)"
_COUNTERPARTS = re.compile(rf"\b(?:(?:his|her|their) )?(?P<pre>{_CW}(?:(?:, | and |, and ){_CW})*)? ?counterparts?"
                           rf"(?: (?:from|of|in) (?P<post>{_CW}(?:(?:, | and |, and ){_CW})*))?")


def _counterparts(text: str, people: list[Found], day: date | None, registry: Registry) -> list[Found]:
    m = _COUNTERPARTS.search(text)
    if m is None or day is None or not (m.group("pre") or m.group("post")) or re.search(r"\b(our|my)\s*$", text[:m.start()]):
        return []   # ("the Minister and I will meet … with our Australian counterparts": the speaker's, unread)
    named = re.findall(_CW, (m.group("pre") or "") + " " + (m.group("post") or ""))
    countries = {_COUNTERPART_COUNTRY[re.sub(r"^the ", "", w).lower()] for w in named}
    families = {_OFFICE_FAMILY[o.key] for p in people if p.person_id and p.end <= m.start()
                for o in registry.offices_of(registry.person(p.person_id), day) if o.key in _OFFICE_FAMILY}
    if len(families) != 1:
        return []
    family = families.pop()
    keys = [k for code in sorted(countries) if (k := _COUNTERPART_OFFICES[family].get(code))]
    found = [f for k in keys if (f := _holder_found(k, day, registry, m.start(), m.end(), "counterpart_on_date"))]
    have = {p.person_id for p in people}
    return [f for f in found if f.person_id not in have]


_QUESTION = re.compile(r"([?？]|(の|ん)?でしょうか。?|ですか。?|ますか。?)[\s」』)）]*$")


# "Asked whether he would sit down with …, Austin said no meeting had been arranged": a question reported
_ASKED = re.compile(r"(Asked|When asked|質問に対し)\b[^.]{0,120}\b(whether|if|about)\b")


def _has_trigger_word(text: str) -> bool:
    words = _TRIGGER_WORDS_LOWERED.search(text.lower()) if text.isascii() and _TRIGGER_WORDS_LOWERED \
        else _TRIGGER_WORDS.search(text)
    return bool(words or _EXERCISE_WORDS.search(text))


_EXERCISE_STARTS = re.compile(r"[^.。]{0,12}?(began|begins|started|starts|opened|kicked off|got under ?way|gets under ?way|"
                              r"got going|gets going|got started|が始ま|が開始|を開始)")
_LAST_MET = re.compile(r"\b(last|previously|had|had last) $")


def _dated_after(text: str, b: int, ref: _Ref) -> bool:
    """A day written in the clause right after an English trigger ("met in Singapore on June 2")."""
    clause = _EN_CLAUSE_END.split(text[b:b + 60], maxsplit=1)[0]
    return any(d.precision == "day" for d in find_dates(clause, ref.day, lang="en"))


def _candidates(s: Sentence, ref: _Ref, registry: Registry, lang: str,
                antecedent: "_Antecedents | None" = None) -> list[_Cand]:
    text = s.ntext
    if not _has_trigger_word(text) or _QUESTION.search(text) or _ASKED.match(text):
        return []   # (a question asks about events; it reports none: "訪日の時期について、めどはついたのでしょうか")
    lang = _sentence_lang(text, lang)
    hits: list[tuple[int, int, Trigger]] = []
    lowered = text.lower() if text.isascii() else None   # (same offsets: see rules.lowered_for_ascii)
    chars = set(text)
    for trig in TRIGGERS:
        if trig.firsts is not None and trig.firsts.isdisjoint(chars):
            continue   # no character a match of it starts with: an English trigger in Japanese, and back
        found = trig.lowered.finditer(lowered) if lowered is not None and trig.lowered else trig.pattern.finditer(text)
        for m in found:
            a, b = m.span()
            if b <= a or any(not (b <= x or a >= y) for x, y, _ in hits):
                continue
            back = BACKGROUND_BEFORE.search(text[max(0, a - 8):a])
            if back and _LAST_MET.search(back.group(0)) and _dated_after(text, b, ref):
                back = None   # "The three ministers last met in Singapore on June 2": that meeting, in passing
            if back or BACKGROUND_AFTER.match(text[b:b + 40]) or _CREATION_OF.search(text, max(0, a - 30), a):
                continue   # ("announced the creation of DICAS when they met": the forum founded, not a meeting of it)
            if _OTHER_PAIR.search(text[max(0, a - 4):a + 4]):
                continue  # 米韓首脳会談, 日中外相会談: a meeting without Japan and the US together
            if _DECLINED_BEFORE.search(text, max(0, a - 40), a) or _DECLINED_AFTER.match(text, b):
                continue  # "who declined a meeting with Austin", "会談の申し入れを断った": a meeting that did not happen
            if _RIVAL_BEFORE.search(text, max(0, a - 30), a) or _RIVAL_AFTER.match(text, b):
                continue  # "中国の習近平国家主席との電話会談", "his phone conversation with Chinese President Xi"
            if trig.needs_people and _POINTS_BACK.match(text[b:b + 8]) and _REPORTED_BEFORE.search(text[max(0, a - 3):a]):
                continue  # "会談で…", "電話会談のあと", "石破氏は会談で": the meeting already reported, not a new one
            if trig.needs_people and text.startswith("は", b) and _FIRST_SINCE_END.search(text):
                continue  # "首相とバイデン氏の対面での会談は、10月の首相就任後初めて": a remark on the meeting just reported
            if trig.needs_people and _PAIR_BACK.search(text[max(0, a - 14):a]):
                continue  # "両氏の対面での会談は、…初めて": the two just named, their meeting already reported
            if _DEFINITION.search(text) and re.match(r"^[」)]?は、", text[b:b + 4]):
                continue  # "日米「2+2」は、…4人がそろって…話し合う会合です": what the series is
            if trig.name == "pair_agreed_ja" and not _PAIR_PREDICATE.search(text, b):
                continue
            if trig.event_type == EventType.document_release and not (
                _DOC_PREDICATE_AFTER.match(text[b:b + 24]) or _DOC_PREDICATE_BEFORE.search(text[max(0, a - 40):a])
            ):
                continue
            hits.append((a, b, trig))
    if any(t.name != "joint_action_en" for _, _, t in hits):
        hits = [h for h in hits if h[2].name != "joint_action_en"]
    if not hits:
        return []
    hits.sort()
    # "hosted Hamada for a meeting of the SCC": the generic word and the series name are one
    # event, unless the series is only the occasion ("on the sidelines of the 2+2")
    specific = [h for h in hits if not h[2].needs_people and h[2].event_type not in (EventType.document_release, None)]
    # the series named in the clause of an English verb of meeting ("… met in Tokyo on July 28 for the
    # Security Consultative Committee") is what that verb reports
    reported: set[tuple[int, int]] = set()
    if specific and not any(_OCCASION.search(text[max(0, a - 40):a]) for a, _, _ in specific):
        kept = [h for h in hits if not h[2].needs_people or _NAMED_BEFORE.search(text[max(0, h[0] - 6):h[0]])
                or (lang == "en" and not any(_same_clause(text, h[0], x[0]) for x in specific))]
        if lang == "en":
            reported = {(x[0], x[1]) for h in hits if h not in kept and h[2].name == "meeting_en"
                        and _EN_EVENT_VERB.fullmatch(text[h[0]:h[1]].strip())
                        for x in specific if _same_clause(text, h[0], x[0])}
        hits = kept
    # a released document named inside a meeting report is an outcome of that meeting
    if any(t.event_type not in (EventType.document_release, None) or t.needs_people for _, _, t in hits):
        meeting_hits = [h for h in hits if h[2].event_type != EventType.document_release]
        if meeting_hits:
            hits = meeting_hits

    doc_match: DateMatch | None = s.extra.get("doc_date")
    heading = _is_heading(s) and not re.search(r"(した|しました|された|ます)$|\b(met|held|said)\b", text)
    out: list[_Cand] = []
    people_cache: dict[tuple, list[Found]] = {}
    for a, b, trig in hits:
        clause = _clause_after(text, b)
        if heading:
            # a headline strings phrases with spaces: only the trigger's own phrase speaks for it
            clause = re.split(r"[\s　、]", clause, maxsplit=1)[0]
        status = _status(text, a, b, clause)
        # a called-off meeting was scheduled: before or after the page, whichever is nearer
        tense = "future" if status == Status.planned else "nearest" if status == Status.cancelled else "past"
        if heading and status == Status.held and not _HEADLINE_HELD.search(text):
            status = Status.unknown  # a headline noun phrase ("日米防衛大臣会談の開催について") has no tense
        dm, drule = _date_for(s, a, b, ref, tense, lang, doc_match, trig, hits)
        if _CAPTION.match(text) and trig.needs_people:
            # "［写真］会談に先立ち握手する木原防衛大臣（右）とオースティン米国防長官（5月2日、キャンプ・H.M.・スミス）":
            # a photo shows what took place, on the day its closing parenthetical gives
            if dm is None:
                tail = _CAPTION_TAIL.search(text)
                found = [d for d in _dates_in(s, ref.day, "past", lang) if tail and d.start >= tail.start()
                         and d.precision == "day"] if tail else []
                if found:
                    dm, drule = found[0], "caption_date"
            if status == Status.planned and (dm is None or ref.day is None or dm.start_date <= ref.day):
                status = Status.held
        if trig.event_type == EventType.exercise and dm is not None and lang == "en":
            span = _en_span(text, ref.day, tense, dm)
            if span is not None:
                dm, drule = span, "span_in_sentence"
        if dm is not None and ref.day is not None and dm.start_date > ref.day and status == Status.held \
                and not ref.rule.startswith("card_"):
            status = Status.planned  # dated after the page that reports it: announced, not held
        on = dm.start_date if dm else ref.day
        # a bare title ("防衛大臣") names a person only on the event's own date, not the page's
        key = (on, dm is not None)
        if key not in people_cache:
            found = find_people(text, on, registry, bare_titles=dm is not None)
            if lang == "en" and trig.needs_people:
                # "Biden had also planned a May 22 stop …", "… used that visit to tell Austin"
                found = _with_surnames(found, text, on, registry)
            people_cache[key] = found
        primary = bool(
            _AT_MEETING.match(text[b:b + 12])
            or (_VERB_AFTER.match(text[b:b + 6])   # "会談した", "会談する方向で"
                # (not "…が10月28日に東京で会談した際に挙げた成果": a meeting named in a modifier)
                and not re.match(r"^した(際|時|とき|こと|ばかり|ことがある)", text[b:b + 8]))
            or (EVENT_VERB.match(text[b:b + 40]) and not text[b:b + 1] == "に"
                and not _RELATIVE_PAST.search(text[max(0, a - 12):a]))
            or (trig.name in ("meeting_en", "visit_en") and _EN_EVENT_VERB.fullmatch(text[a:b].strip()))
            or trig.name == "joint_action_en"
            or (a, b) in reported
            # "Adm. Paparo paid a courtesy call on Nakatani"; "The four-navy Malabar exercise got going on Tuesday"
            or (trig.name == "courtesy_call" and re.search(r"\b(paid|pays|paying|made|makes) an? $", text[max(0, a - 8):a]))
            or (trig.event_type == EventType.exercise and _EXERCISE_STARTS.match(text, b))
            or heading
            or trig.event_type == EventType.document_release
        )
        # one date phrase dates one event of a kind: "a May 22 stop in Port Moresby, which would have
        # been the first visit to …" names the stop twice
        # (but "日米豪印外相会合に出席するため訪問中の林大臣は…日米外相会談を行った": a four-way format
        # and the bilateral of that day are two meetings)
        if dm is not None and trig.event_type is not None and any(
                o.date is not None and (o.date.start, o.date.end) == (dm.start, dm.end)
                and o.trigger.event_type == trig.event_type
                and _multilateral_format(text, o.a, o.b) == _multilateral_format(text, a, b) for o in out):
            continue
        out.append(_Cand(s, a, b, trig, trig.event_type or EventType.other, Medium.unknown, status, primary,
                         dm, drule, people=people_cache[key],
                         written=_written_day(text) if dm is None and ref.day is None else None))
    # "来日したバイデン大統領と首脳会談を行った": the visit is the meeting's occasion, not a report of its own
    if any(c.primary and c.trigger.event_type not in (EventType.visit, EventType.document_release) and
           (c.trigger.event_type is not None or c.trigger.needs_people) and c.trigger.name not in ("visit_ja", "visit_en")
           for c in out):
        out = [c for c in out if c.trigger.name not in ("visit_ja", "visit_en")] or out
        # …and its verb ("岸田首相が来日したバイデン大統領と会談し") no longer holds the subject's name
        kept_spans = {(c.a, c.b) for c in out}
        hits = [h for h in hits if h[2].name not in ("visit_ja", "visit_en") or (h[0], h[1]) in kept_spans]
    # people: a name written right before a trigger (石破首相の訪米) belongs to that trigger; the
    # other names of the sentence belong to its main event(s), not to passing references
    any_primary = any(c.primary for c in out)
    kept: list[_Cand] = []
    clock = lengths = None   # the sentence's times and durations, read once, on first need
    for c in out:
        c.people = [p for p in _people_for(text, c, c.people, hits, any_primary)
                    if not _NOT_HERE.match(text, p.end) and not _NOT_HERE_BEFORE.search(text, max(0, p.start - 24), p.start)
                    and not (_VOCATIVE.match(text[:p.start]) and text[p.end:p.end + 1] == ",")]
        if c.trigger.name == "joint_action_en" and not _counterparts_before(c):
            continue
        if "「" in text and _OPEN_QUOTE.search(text, 0, c.a):
            # "林官房長官は…「初めての日米比首脳会談が開かれ…」と述べました": the speaker is not at the meeting he quotes
            q, qe = text.rfind("「", 0, c.a), text.find("」", c.b)
            c.people = [p for p in c.people if p.start > q and (qe < 0 or p.end <= qe)]
        if c.trigger.needs_people and c.primary and "counterpart" in text:
            c.people = c.people + _counterparts(text, c.people, c.date.start_date if c.date else ref.day, registry)
        if c.trigger.event_type is not None and (_TOPIC_BEFORE.search(text, max(0, c.a - 90), c.a)
                                                 or _TOPIC_AFTER.match(text, c.b)):
            # "Hayashi and Blinken exchanged views on the trilateral summit …", "首脳会談について意見交換":
            # the meeting is what they talked about; they are not its participants
            c.people, c.primary = [], False
        if antecedent is not None and lang == "en":
            if c.trigger.needs_people and c.primary:
                c.borrowed = antecedent.of(s, c.people)
            if c.trigger.event_type not in (EventType.document_release, EventType.exercise):
                if not c.borrowed:
                    spoke = antecedent.speaker(s, c.people)
                    ids = {p.person_id for _, p in spoke}
                    c.borrowed = spoke + [(x, p) for x, p in antecedent.authors(s, c.people) if p.person_id not in ids]
        elif antecedent is not None and c.trigger.event_type not in (EventType.document_release, EventType.exercise):
            c.borrowed = antecedent.speaker(s, c.people)
        if antecedent is not None and c.trigger.needs_people and c.primary and not c.people and not c.borrowed:
            c.borrowed = antecedent.attendees(s)
        etype = c.trigger.event_type
        if c.trigger.name == "pair_agreed_ja":
            etype = _PAIR_TYPES[text[c.a + 2:c.b]]
            if not c.people and c.date is not None:
                c.people = _pair_holders(c, etype, c.date.start_date, registry)
        elif etype is None or c.trigger.needs_people:
            etype = _type_from_people(c.trigger, c.people + [p for _, p in c.borrowed],
                                      c.date.start_date if c.date else ref.day, registry, text)
            if etype is None:
                continue
        c.event_type = etype
        if etype in _PAIR_OFFICES:
            c.fmt = (_multilateral_format(text, c.a, c.b) or _format_of_people(c.people)
                     or _format_of_cue(text, c.a, c.b, c.people))
        if etype == EventType.document_release:
            c.people = []
        # "日米防衛相会談、石破首相との会談にも注目": a Japan–US pair named without names is the two
        # office holders on the event's date, or for a coming or undated one the page's
        # (a Security Consultative Committee is by definition the four ministers of its day)
        if not c.people and etype in _PAIR_OFFICES and (text[c.a:c.a + 2] == "日米" and c.trigger.series is None
                                                        or c.trigger.series == "ssc" and c.date is not None):
            day = c.date.start_date if c.date else ref.day if c.status != Status.held else None
            # an undated page: the holders of the day the text last named ("2025年1月、…電話会談。日米防衛相会談、…注目")
            if day is None and c.date is None and c.status != Status.held:
                day = s.extra.get("previous_any")
            if day is not None:
                c.people = _pair_holders(c, etype, day, registry)
        clause = _clause_after(text, c.b)
        c.medium = _medium(text[c.a:c.b], clause, etype, text[max(0, c.a - 25):c.a])
        dm = c.date
        start_time = dm.start_time if dm and dm is not doc_match else None
        if dm is doc_match and etype == EventType.document_release and dm is not None:
            start_time = dm.start_time
        if start_time is None and dm is not None and dm is not doc_match:
            if clock is None:
                clock = find_times(text, lang=lang)
            times = [t for t in clock if t.start >= dm.start and t.start - dm.end <= 6]
            start_time = times[0].start_time if times else None
        c.start_time = start_time
        if lengths is None:
            lengths = find_durations(text, lang=lang)
        durations = [d for d in lengths if d.start < c.b + 60]
        c.duration = durations[0].minutes if durations and etype != EventType.document_release else None
        c.location = _location(text, c.a, c.b) if c.primary else None
        kept.append(c)
    return kept


# An English subject that points back: "Meeting in the Oval Office, the two leaders affirmed …",
# "They also held talks …" (everyone just named); "He is set to hold talks with Kishida" (the
# person the previous sentences were about).
_EN_THEY = re.compile(r"^(?:[A-Z][^,]{0,60}, )?(?:the (?:two|three|four) (?:leaders|ministers|secretaries|sides|officials|defense chiefs|"
                      r"foreign ministers|chiefs)|both (?:leaders|ministers|sides)|they|the leaders|the ministers)\b", re.I)
_EN_HE = re.compile(r"^(?:[A-Z][^,]{0,60}, )?(?:he|she)\b", re.I)
# a joint statement speaks as "we": its authors are the leaders its opening names
_EN_WE = re.compile(r"(?<![A-Za-z\"“])[Ww]e (?!the\b)")
_ANTECEDENT_WINDOW = 3
# a sentence that lists who attended the meeting just reported
_ATTENDANCE = re.compile(r"^(また、)?(会談|協議|会合|会議|電話会談)(には|に出席したのは|の出席者は)|"
                         r"^(Attending|Taking part|Also (attending|present|taking part))( in)?( the (meeting|talks|session|call))? (were|was)\b")


# a transcript's speaker label, at the start of a turn
_SPEAKER_EN = re.compile(r"^\s*(?P<label>[A-Z][A-Z.'’\- ]{2,60}[A-Z.])\s*(\((VIA|THROUGH|Via|Through) [Ii]nterpreter\)|"
                         r"\((VIA|THROUGH) INTERPRETER\))?\s*:\s*(\((Via|Through) [Ii]nterpreter\)\s*)?")
_SPEAKER_JA = re.compile(r"^\s*[（(【〔](?P<label>[^）)】〕]{1,14})[）)】〕]\s*(?![\s　]*$)|"
                         r"^\s*(?P<bare>大臣|長官|総理|官房長官|記者|司会|質問|問)\s*[:：]\s*(?=\S)")
# a press conference page names whose conference it is: "防衛大臣臨時記者会見" makes "大臣：" that minister
_CONFERENCE_OF = re.compile(r"(防衛大臣|外務大臣|内閣総理大臣|総理大臣|官房長官)(臨時)?記者会見")
_HUMBLE = re.compile(r"いたしました|いたします|させていただ|申し上げ|参りました|まいりました")
_FIRST_PERSON = re.compile(r"\b(I|my|me|I'm|I've|we|We|our|Our)\b|私|わたくし|当方")


class _Antecedents:
    """People an anaphoric English subject points back to: those of the nearest earlier sentence
    of the same block (at most _ANTECEDENT_WINDOW back) that names anyone."""

    def __init__(self, sents: list[Sentence], refs: dict[int, _Ref], registry: Registry):
        self.sents, self.refs, self.registry = sents, refs, registry
        self.pos = {x.index: i for i, x in enumerate(sents)}
        self.cache: dict[int, list[Found]] = {}
        self.speakers: dict[int, tuple[Sentence, Found]] | None = None   # read on first need

    def _speakers(self) -> dict[int, tuple[Sentence, Found]]:
        """A transcript's turns: "FOREIGN MINISTER MOTEGI: (Via interpreter) …", "（岸田総理）…" name
        who speaks until the next label ("MODERATOR:", "QUESTION:", "（記者）" name no one we know)."""
        out: dict[int, tuple[Sentence, Found]] = {}
        current: tuple[Sentence, Found] | None = None
        host = next(((x, c) for x, c in ((x, _CONFERENCE_OF.search(x.ntext)) for x in self.sents[:40]) if c), None)
        for s in self.sents:
            m = _SPEAKER_EN.match(s.ntext) or _SPEAKER_JA.match(s.ntext)
            if m and m.groupdict().get("bare"):
                # "大臣：本日…" on a minister's press-conference page ("防衛大臣臨時記者会見"): that minister,
                # read where the page names the conference; "記者：" speaks for no one we know
                current = None
                if host is not None and m.group("bare") in host[1].group(1):
                    x, c = host
                    found = [p for p in find_people(x.ntext, self.refs[s.index].day, self.registry, bare_titles=True)
                             if p.person_id and c.start(1) <= p.start and p.end <= c.end(1)]
                    current = (x, found[0]) if len({p.person_id for p in found}) == 1 else None
            elif m:
                label = m.group("label")
                named = re.sub(r"\b(Of|The|And|For)\b", lambda w: w.group(0).lower(), label.title()) if label.isupper() else label
                text = " " * m.start("label") + named
                day = self.refs[s.index].day
                found = [p for p in _with_surnames(find_people(text, day, self.registry, bare_titles=True),
                                                   text, day, self.registry) if p.person_id]
                current = (s, found[0]) if len({p.person_id for p in found}) == 1 else None
            if current is not None and s.kind not in _SKIP_KINDS:
                out[s.index] = current
        return out

    def speaker(self, s: Sentence, own: list[Found]) -> list[tuple[Sentence, Found]]:
        """"Before the 2+2 began, I held my first in-person foreign ministers' meeting with Secretary
        Blinken", "（大臣）…私からは…": the one speaking, when the sentence speaks in the first person."""
        if not _FIRST_PERSON.search(s.ntext) and not _HUMBLE.search(s.ntext):
            return []   # ("ヘグセス長官と電話で会談いたしました": a speaker's humble verb is his own act)
        if self.speakers is None:
            self.speakers = self._speakers()
        got = self.speakers.get(s.index)
        if got is None or any(p.person_id == got[1].person_id for p in own):
            return []
        return [got]

    def attendees(self, s: Sentence) -> list[tuple[Sentence, Found]]:
        """"制服組トップがきょう…会談しました。…。会談には、吉田統合幕僚長、ブラウン議長…が出席しました",
        "The two sides met on Tuesday. Attending were …": a meeting reported without names, its
        people listed in one of the next two body sentences."""
        i = self.pos[s.index]
        for nxt in self.sents[i + 1:i + 3]:
            if nxt.kind in _SKIP_KINDS:
                break
            if _ATTENDANCE.match(nxt.ntext):
                return [(nxt, p) for p in self._people(nxt) if p.person_id]
        return []

    def _people(self, s: Sentence) -> list[Found]:
        if s.index not in self.cache:
            day = self.refs[s.index].day
            found = find_people(s.ntext, day, self.registry, bare_titles=True)
            self.cache[s.index] = _with_surnames(found, s.ntext, day, self.registry)
        return self.cache[s.index]

    def authors(self, s: Sentence, own: list[Found]) -> list[tuple[Sentence, Found]]:
        """"Since we met in Hiroshima", "we will hold the first trilateral summit with …": the
        Japanese and US people of the first body sentence that names both (only for a sentence
        that names no Japanese or US person itself: in a transcript "we" is the speaker's side)."""
        if not _EN_WE.search(s.ntext) or "\"" in s.ntext or "“" in s.ntext \
                or any(p.country in ("JP", "US") for p in own):
            return []
        for prev in self.sents[:self.pos[s.index] + 1]:
            if prev.kind in _SKIP_KINDS:
                continue
            found = [p for p in self._people(prev) if p.person_id]
            if {"JP", "US"} <= {p.country for p in found}:
                ids = {p.person_id for p in own}
                return [(prev, p) for p in found if p.country in ("JP", "US") and p.person_id not in ids]
        return []

    def of(self, s: Sentence, own: list[Found]) -> list[tuple[Sentence, Found]]:
        plural = _EN_THEY.match(s.ntext)
        if not plural and not _EN_HE.match(s.ntext):
            return []
        i = self.pos[s.index]
        for prev in reversed(self.sents[max(0, i - _ANTECEDENT_WINDOW):i]):
            if prev.block != s.block or prev.kind in _SKIP_KINDS:
                break
            found = [p for p in self._people(prev) if p.person_id]
            if found:
                ids = {p.person_id for p in own}
                picked = found if plural else found[:1]
                return [(prev, p) for p in picked if p.person_id not in ids]
        return []


@lru_cache(maxsize=4)
def _en_surnames(registry: Registry) -> dict[str, tuple]:
    by: dict[str, list] = {}
    for p in registry.people:
        if p.name_en:
            by.setdefault(p.name_en.split()[-1], []).append(p)
    return {k: tuple(v) for k, v in by.items()}


_INCOMING = timedelta(days=90)   # a president-elect, a minister-designate


def _surnames_in_office(text: str, on: date | None, registry: Registry) -> list[Found]:
    """After the first mention, English copy writes a bare surname ("Biden had also planned …"):
    it names someone only if exactly one registry person of that surname holds office that day
    (or takes it within the next months)."""
    if on is None:
        return []
    out = []
    for m in re.finditer(r"\b[A-Z][a-z]+\b", text):
        people = [p for p in _en_surnames(registry).get(m.group(0), ())
                  if any(t.covers(on) or on < t.start <= on + _INCOMING for t in p.terms)]
        if len(people) == 1:
            p = people[0]
            out.append(Found(m.start(), m.end(), p.person_id, p.name_ja, p.name_en, None, None, p.country, "surname_in_office"))
    return out


def _with_surnames(found: list[Found], text: str, on: date | None, registry: Registry) -> list[Found]:
    """The people found, and the bare surnames of office holders no one found covers."""
    ids = {p.person_id for p in found}
    extra = [p for p in _surnames_in_office(text, on, registry)
             if p.person_id not in ids and all(p.end <= q.start or p.start >= q.end for q in found)]
    return sorted(found + extra, key=lambda p: p.start) if extra else found


def _counterparts_before(c: "_Cand") -> bool:
    """"A and B agreed": a Japanese and a US person make up the subject before the verb."""
    before = [p for p in c.people if p.end <= c.a]
    if not {"JP", "US"} <= {p.country for p in before}:
        return False
    # "A and B agreed", headline style "Kihara, Austin agree"
    return bool(re.search(r" and |, ", c.sent.ntext[before[0].end:c.a]))


_EN_EVENT_VERB = re.compile(r"met|meets|meeting|received|will meet|to meet|s[ai]t down( .*)? with|sit-down with|(we|they) (talked|met)|held (a|an|my|his|her|our|their) .*|hold.*|spoke .*|hosted|welcomed|visited|visits|visiting|paid a .*", re.I)


_JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _sentence_lang(text: str, page_lang: str = "") -> str:
    """A Japanese page may quote an English readout, and the other way round."""
    return "ja" if _mostly_japanese(text) else "en"


@lru_cache(maxsize=64)
def _mostly_japanese(text: str) -> bool:
    # "opened Exercise Orient Shield 24 (日米共同実動演習「オリエント・シールド24」) with a ceremony July 28":
    # an English sentence quoting a Japanese name is still English
    if not _JA.search(text):
        return False
    if not _LATIN_WORD.search(text):
        return True
    return len(_JA.findall(text)) * 4 >= len(_LATIN.findall(text))


_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z]{4}")   # a sentence without one English word is Japanese


_ROW = re.compile(r"^(?P<date>[^|\t]{6,24}?)\s*[|\t]")


def _table_rows(sents: list[Sentence], refs: dict[int, _Ref], registry: Registry) -> list[_Cand]:
    """A chronology table under a heading that names a series ("■これまでの日米2+2",
    "Past 2+2 meetings"): each row that starts with a date is one instance of the series,
    with the row's people and form."""
    out: list[_Cand] = []
    for s in sents:
        text = s.ntext
        row = _row(text)
        if row is None:
            continue
        # the heading is looked for only above a row (rows are rare; headings are every short line)
        trig = _table_heading(sents, s.index)
        if trig is None:
            continue
        dates = [d for d in find_dates(row.group("date"), refs[s.index].day, lang="any") if d.start == 0]
        if not dates:
            continue
        d = dates[0]
        day = refs[s.index].day
        status = Status.planned if day and d.start_date > day else Status.held
        medium = _medium("", text, trig.event_type or EventType.other)
        people = find_people(text, d.start_date, registry)
        out.append(_Cand(s, 0, row.end("date"), trig, trig.event_type, medium, status, False, d, "table_row",
                         people=people))
    return out


def _row(text: str) -> re.Match | None:
    return _ROW.match(text) if ("|" in text or "\t" in text) else None


_TABLE_REACH = 12   # sentences between a table's heading and its rows


def _table_heading(sents: list[Sentence], i: int) -> Trigger | None:
    """The series named by the heading over the row sents[i]: the nearest heading-shaped
    sentence above it (short, no final period) that is not a row itself, within _TABLE_REACH;
    a heading naming no series ends the table unless it holds "|" (a table's header line)."""
    for s in reversed(sents[max(0, i - _TABLE_REACH):i]):
        text = s.ntext
        if _row(text) is not None or len(text) > _HEADING_MAX or re.search(r"[。.]$", text):
            continue
        found = next((t for t in TRIGGERS if t.series and not t.needs_people and t.pattern.search(text)), None)
        if found is not None or "|" not in text:
            return found
    return None


def _clause_after(text: str, b: int) -> str:
    end = text.find("。", b)
    return text[b: end if end >= 0 else len(text)]


_OWN_PLAN = re.compile(r"^(\([^)]*\))?[^。、]{0,6}?(する|の)?(予定|方針|見通し|へ(?=$|[\s。!！、]))|"
                       r"^(\([^)]*\))?[^。、]{0,12}?(開催|実施|実現)(できる|する|される)?よう|"
                       r"^[^。、]{0,8}?(開催|実施|実現|訪問|会談)し?たい")   # "首脳会合を日本で開催したいと伝え"
_EN_PLAN = re.compile(r"\b(will (meet|hold|host|visit|travel|attend|convene|participate|speak|call)|is planning to|"
                      r"are planning to|(will|would) (be (held|hosted|convened)|take place)|is scheduled to|are scheduled to|"
                      r"(is|are|was|were) (set|slated|expected|due|poised) to|"
                      r"(?<!agreed )(?<!and )(?<!order )\bto (meet|visit|host|hold|travel)\b|"
                      r"plans? to (meet|visit|hold|host|travel)|planned (a|an|to)|to be held|upcoming|next (week|month)|"
                      r"to (convene|hold|host|meet)\b[^.,;]{0,30}\bagain)\b", re.I)


_CAPTION = re.compile(r"^\s*[【\[［(（]?\s*(写真|動画|Photo|Video)")
_EN_OCCASION_PAST = re.compile(r"\b(following|after)\s+(the|this|today's|their)\s+([\w.’'-]+\s+){0,4}$")
_EN_CLAUSE_END = re.compile(r",\s+(?:and|while|but|before|after|who|which|where|when)\b|;|\.\s|\.$")
_EN_TO_BE_HELD = re.compile(r"\bto be (held|hosted|convened|organized)\b|\b(scheduled|slated|planned|set) for\b")
_EN_APPOSITION_PLAN = re.compile(r",[^,.;]{0,60},\s+(is|are) (due|set|scheduled|slated|expected|poised|planned) to\b|"
                                 r",[^,.;]{0,60},\s+will (start|begin|open|be held|take place)\b")
_EN_PLAN_LEAD = re.compile(r"\b(will|(is|are) (expected|set|scheduled|due|slated|poised|planning) to|plans? to)\b")
_EN_DONE = re.compile(r"\b(met|held|hosted|visited|talked|spoke|agreed|signed|discussed|was|were)\b")


_AHEAD_OF = re.compile(r"^(の(早期)?(実現|開催|実施))?(を前に|に先立|に向け|を目指|で調整|を調整|ahead of)")
_SCHEDULED_BEFORE = re.compile(r"予定(の|され(る|ている))[^、。]{0,8}$")


def _status(text: str, a: int, b: int, clause: str) -> Status:
    english = not _mostly_japanese(text)
    window = text[max(0, a - (60 if english else 10)): b] + clause
    if CANCELLED.search(window):
        return Status.cancelled
    if _AHEAD_OF.match(text[b:b + 14]) \
            and not (_CAPTION.match(text) and text[b:b + 3] == "を前に"):
        return Status.planned   # (a photo "会談を前に言葉を交わす両首脳" was taken at the meeting's start)
    if _SCHEDULED_BEFORE.search(text[max(0, a - 16):a]):
        return Status.planned   # "本年前半に日本で開催予定の日米豪印首脳会合"
    if english:
        # English: the trigger's own verb phrase decides ("will meet"), not a later "will upgrade";
        # a sentence whose subject is still on its way ("Trump is expected to arrive … and to hold
        # talks …") plans everything it names unless it also reports something done
        # (a headline strings its verbs with commas: "Ishiba, Trump hold first phone talks, agree to
        # meet …" holds the talks; in a sentence "the summit among Japan, the US and …, to be held" plans it)
        after = text[b:b + 40]
        if not re.search(r"[.!?]\W*$", text):
            after = re.split(r"[,;]", after, maxsplit=1)[0]
        # "the joint press conference following the Japan-U.S. Security Consultative Committee": what a
        # coming event follows has taken place
        if _EN_OCCASION_PAST.search(text, max(0, a - 60), a) and not _EN_PLAN.search(after):
            return Status.held
        if _EN_PLAN.search(text[max(0, a - 40): b] + after):
            return Status.planned
        # "the trilateral summit among Japan, the United States and the Republic of Korea to be held
        # at Camp David": a noun phrase's own "to be held", however long the phrase, before any verb
        # or clause of its own
        tail = _EN_CLAUSE_END.split(text[b:b + 120], maxsplit=1)[0]
        # ("Keen Sword 25, the big bilateral field exercise, is due to start Oct. 23": an apposition
        # between the name and its verb)
        if _EN_APPOSITION_PLAN.match(text, b):
            return Status.planned
        m = _EN_TO_BE_HELD.search(tail)
        if m and not _EN_DONE.search(tail[:m.start()]):
            return Status.planned
        if _EN_PLAN_LEAD.search(text[:a]) and not _EN_DONE.search(text[:b + 40]):
            return Status.planned
        return Status.held
    # "会談する予定だと発表しました": the plan belongs to the meeting, the past tense to the announcement
    if _OWN_PLAN.match(text[b:b + 14]):
        return Status.planned
    if PLANNED.search(clause) or PLANNED.search(text[b:]) and not re.search(r"(した|しました|された|ました|held|met)", clause):
        if not re.search(r"(実施した|行った|行われた|しました|ました。?$|\bheld\b|\bmet\b)", clause):
            return Status.planned
    return Status.held


def _date_for(s: Sentence, a: int, b: int, ref: _Ref, tense: str, lang: str,
              doc_match: DateMatch | None, trig: Trigger, hits) -> tuple[DateMatch | None, str]:
    """The date nearest the trigger: before it (Japanese modifiers precede the noun), else in a
    parenthetical right after it. The release's own date dates only the release."""
    # "10月4日(日本時間5日未明)": the same moment in another zone; the venue's date stands
    dates = [d for d in _dates_in(s, ref.day, tense, lang)
             if not _OTHER_ZONE.search(s.ntext, max(0, d.start - 8), d.start)]
    # "日本時間の12日未明、ホワイトハウスで…会談を行いました": the small hours in Japan are the day
    # before in the Americas, where the meeting took place
    if lang == "ja" and "日本時間" in s.ntext and _AMERICAS.search(s.ntext):
        dates = [DateMatch(d.start, d.end, d.text, d.start_date - timedelta(days=1), d.end_date - timedelta(days=1),
                           d.precision, explicit_year=d.explicit_year, rule="venue_day_from_japan_time")
                 if d.precision == "day" and _JST_BEFORE.search(s.ntext, max(0, d.start - 6), d.start)
                 and _SMALL_HOURS.match(s.ntext, d.end) else d for d in dates]
    # "our first such gathering since April 2019", "2019年4月以来の開催": a date counted from is an
    # earlier event's, not this one's
    dates = [d for d in dates if not _SINCE_BEFORE.search(s.ntext, max(0, d.start - 20), d.start)
             and not _SINCE_AFTER.match(s.ntext, d.end) and not _VERB_SINCE.match(s.ntext, d.end)
             and not _TOOK_OFFICE_AFTER.match(s.ntext, d.end)]
    prev = s.extra.get("previous_day")
    if tense == "future" and s.extra.get("previous_coming_day") is not None:
        prev = s.extra["previous_coming_day"]
    if prev is not None and doc_match is None:
        dates = [DateMatch(d.start, d.end, d.text, prev, prev, "day", rule="same_day_as_previous")
                 if d.text == "同日" else d for d in dates]
    # "前日", "the previous day": counted from the day the text last named
    anchor = prev or ref.day
    if anchor is not None:
        for m in _DAY_SHIFT.finditer(s.ntext):
            day = anchor + timedelta(days=-1 if m.group("before") else 0 if m.group("same") else 1)
            if not any(d.start <= m.start() < d.end for d in dates):
                dates.append(DateMatch(m.start(), m.end(), m.group(0), day, day, "day", explicit_year=False,
                                       rule="day_shift_from_previous"))
        dates.sort(key=lambda d: d.start)
    if doc_match is not None:
        if trig.event_type == EventType.document_release:
            return doc_match, "document_date"
        dates = [d for d in dates if (d.start, d.end) != (doc_match.start, doc_match.end)]
    # a date belongs to the trigger's clause: not across "就任したばかりで、" to another predicate
    # (nor into a quotation: "12日午前の記者会見で「初めての日米比首脳会談が開かれ…」": the day of the remark)
    before = [d for d in dates if d.end <= a and a - d.end <= 160
              and not _CLAUSE_END.search(s.ntext[d.end:a]) and not _OPEN_QUOTE.search(s.ntext, d.end, a)
              and not (lang == "en" and _EN_CLAUSE_BREAK.search(s.ntext, d.end, a))]
    # "On Wednesday, Secretary … and Secretary … hosted their Japanese counterparts, …, for "2+2" talks":
    # a date that opens an English sentence dates its report, however long the sentence
    if not before and lang == "en":
        opening = [d for d in dates if d.start <= 4 and s.ntext[d.end:d.end + 1] == "," and d.end <= a]
        if opening and not any(opening[0].end <= x.start and x.end <= a for x in dates):
            before = opening[:1]
    # "中谷防衛相は24日、…今月着任した司令官の表敬を受けた": a date that opens a relative clause
    # ("今月着任した") dates that verb; the one after the subject dates the sentence's predicate
    if len(before) > 1 and lang == "ja":
        before = [d for d in before if not _DATED_MODIFIER.match(s.ntext, d.end)] or before
    # a date after the trigger belongs to it only in a parenthetical ("日米拡大抑止協議(12月10日~12日実施)")
    # or in English word order ("met … on July 28")
    # ("talks with Prime Minister Sanae Takaichi on Tuesday": English may put the object first)
    caption_day = [d for d in dates if d.start >= b and d.start - b <= 60 and re.search(r"=\s*$", s.ntext[b:d.start])]
    after = caption_day or [   # caption "…握手する…＝21日"
        d for d in dates if d.start >= b and (d.start - b <= 25 or lang == "en" and d.start - b <= 80
                                              and not _EN_CLAUSE_BREAK.search(s.ntext, b, d.start))
        and (lang == "en" or re.match(r"^([^、。]{0,3}[(（]|[」』]?\s*(が|は|を)、?((現地|日本)時間の?)?$)", s.ntext[b:d.start])
             # (not "DICASは、本年4月10日に…行われた日米首脳会談の共同声明において": that date modifies the next meeting)
             and not any(x >= d.end and x - d.end <= 30 and "、" not in s.ntext[d.end:x] for x, _, _ in hits))]
    if before:
        d = before[-1]
        # English: "This year's iteration builds on … Keen Edge 24 in February": the date right after
        # the trigger is its own, not one written far before it
        gloss = re.match(r"\s*[(（][^)）]{0,40}[)）]", s.ntext[b:])   # "Keen Edge 24 (キーン・エッジ24) in February"
        lo = b + (gloss.end() if gloss else 0)
        if lang == "en" and after and after[0].start - b <= 40 and a - d.end > 40 \
                and not any(lo <= x < after[0].start for x, _, _ in hits):
            return after[0], "date_after_trigger"
        # another event's trigger between the date and this one takes the date, unless coordinated
        between = s.ntext[d.end:a]
        # (in English "and" coordinates; a comma may end the other event's clause: "met in Tokyo on July
        # 28 for the Security Consultative Committee, the four ministers welcomed the inaugural DICAS meeting")
        if not any(d.end <= x < a for x, _, _ in hits) or re.search(
                r"\band\b" if lang == "en" else r"(及び|並びに|と|や|,)", between):
            return d, "date_before_trigger"
    if after:
        return after[0], "date_after_trigger"
    if lang == "en":
        # "The EDD, the working-level channel on …, met at Whiteman Air Force Base … on June 26 and 27":
        # the subject's own verb, however long the apposition, and the date that follows it
        verb = _EN_MAIN_VERB.search(s.ntext, b)
        if verb:
            by_verb = [d for d in dates if verb.end() <= d.start <= verb.end() + 70
                       and not _EN_CLAUSE_BREAK.search(s.ntext, verb.end(), d.start)]
            if by_verb and not any(b <= x < verb.start() for x, _, _ in hits):
                return by_verb[0], "date_after_verb"
        near = [d for d in dates if abs(d.start - b) <= 120   # (not across another meeting's trigger)
                and not any(x != a and min(d.end, b) <= x < max(d.start, a) for x, _, _ in hits)]
        if near:
            return near[0], "date_in_sentence"
    # a quoted card's source URL carries the source article's date; a held event it reports
    # without a date is that day's news (the aggregator's own 公開日 line only anchors the year)
    if ref.rule == "card_source_url_date" and tense == "past":
        return _ref_match(ref.day, ref.rule), ref.rule
    # 「総理の一日」: "午前 日米首脳会談", "10:30 日米首脳会談" — a row of the page's own day
    if ref.rule == "page_date" and _SCHEDULE_ROW.match(s.ntext):
        return _ref_match(ref.day, "schedule_row"), "schedule_row"
    return None, ""


# "Kihara's predecessor, Yasukazu Hamada": a name in a possessive that points at someone else
# "トランプ大統領に同行しているヘグセス国防長官": whom someone accompanies is not at the meeting
_NOT_HERE = re.compile(r"['’]s (predecessor|successor|spokes(man|woman|person)|aides?|deputy|office|wife|husband)\b|"
                       r"(に|の)(同行|随行)|の(前任|後任)")
# "QUESTION: (Through interpreter) Minister Hamada, the Prime Minister will meet …": the one asked
_VOCATIVE = re.compile(r"^\s*(QUESTION|Q|QUESTIONER|REPORTER)\s*:\s*(\([^)]*\)\s*)?$", re.I)
_TOPIC_BEFORE = re.compile(r"\b(exchanged (views|opinions)|discussed|talked about|spoke about|consulted on|briefed \w+ on|"
                           r"preparations? for|preparing for|to prepare for|welcomed|endorsed|praised|hailed|reviewed)"
                           r"(( (on|about|regarding|over|for))?( (the|a|an|their|this|next|upcoming|forthcoming|planned|"
                           r"coming|trilateral|three-way|bilateral|first|inaugural|second|latest|recent|[A-Z][\w.’'-]*))*)\s*$")
_CREATION_OF = re.compile(r"\b(creation|establishment|launch|formation|founding) of (a |an |the |new )*$")
_TOPIC_AFTER = re.compile(r"(について|に関して|に関し|の成功に向け|の準備)")
_NOT_HERE_BEFORE = re.compile(r"\baccompan(y|ying|ied|ies)( President| Prime Minister)? $")
_SUBJECT_PAIR = re.compile(r"^(また、|さらに、)?(両氏|両者|両首脳|両大臣|両外相|両防衛相|両国防相|両長官|両閣僚|四閣僚|双方|両国代表団|"
                           r"両代表団|日米双方)(は|も)|"
                           r"^(The two|Both) ", re.I)
_PAIR_BACK = re.compile(r"(両氏|両者|両首脳|両大臣|両外相|両防衛相|両閣僚)(の|による)[^、。]{0,8}$")
_OTHER_ZONE = re.compile(r"[(（](日本時間|現地時間|米東部時間|東部時間|ワシントン時間|米国時間|Japan time|local time)\s*$")
_SCHEDULE_ROW = re.compile(r"^\s*(午前|午後|\d{1,2}:\d{2}|\d{1,2}時(\d{1,2}分)?)[\s　]")
_DAY_SHIFT = re.compile(r"(?P<before>前日|the previous day|the day before)|(?P<after>翌日|the next day|the following day)|"
                        r"(?P<same>同じ日|[Oo]n the same day|[Tt]he same day|[Oo]n that day|([Ee]arlier|[Ll]ater) (in the|that) (day|morning|afternoon|evening)|"
                        r"that (morning|afternoon|evening)|in the (morning|afternoon|evening)(?! of)|"
                        # "On Monday, May 23, the President was received …. He then held a bilateral meeting"
                        r"\b(?:He|She|They|The (?:President|Prime Minister|Secretary|Minister)) then\b|"
                        # "中谷大臣とヘグセス長官は、このほか、…4か国の防衛相会談に臨み": besides, at that occasion
                        r"(?<=は、)このほか(?=、))")
_DAY_SHIFT = led_by_first_chars(_DAY_SHIFT)   # searched for each dated trigger (rules.led_by_first_chars)


_OPEN_QUOTE = re.compile(r"「[^」]*$")
_CAPTION_TAIL = re.compile(r"[(（][^()（）]{2,40}[)）]\s*$")
_FIRST_SINCE_END = re.compile(r"(初めて|初|以来|ぶり)(となる|となった|だ|です|となります|となりました)?[。]?$")
_AMERICAS = re.compile(r"ワシントン|ホワイトハウス|国防総省|ペンタゴン|国務省|ニューヨーク|ハワイ|ホノルル|ロサンゼルス|サンフランシスコ|"
                       r"キャンプ・?デービッド|リマ|ペルー|ブラジル|リオデジャネイロ|カナダ|オタワ|メキシコ")
_JST_BEFORE = re.compile(r"日本時間の?\s*$")
_SMALL_HOURS = re.compile(r"\s*(の)?(未明|早朝|午前[0-9０-９一二三四五六七八九]?時?)")
_LOCAL_TIME = re.compile(r"現地時間の?\s*$|\blocal time\b[^.]{0,3}$")
_DATED_MODIFIER = re.compile(r"[\u4e00-\u9fff]{1,4}(した|する|された|される|している|していた)[\u4e00-\u9fffァ-ヴー]")
# (and the year a series was set up: "the channel Tokyo and Washington set up back in 2010, met … on June 26")
_SINCE_BEFORE = re.compile(r"\b[Ss]ince\s+(the\s+)?$|\b(set up|established|founded|created|formed|inaugurated)\s+(back\s+)?((in|on)\s+)?$")
_EN_MAIN_VERB = re.compile(r",\s+(met|was held|were held|took place|convened|gathered|opened|began)\b")
_SINCE_AFTER = re.compile(r"(の)?(以来|以降|ぶり)")
# "対面での会談は、10月の首相就任後初めて": the day someone took office, not the meeting's
_TOOK_OFFICE_AFTER = re.compile(r"(の|に)[^、。\s]{0,6}?(就任|着任|発足)")
# "バイデン氏が1月に就任してから、…会談する": the date of the verb counted from, not the meeting's
_VERB_SINCE = re.compile(r"に[^、。\s]{1,6}(して|した)(から|以来|以降|後)")
_EN_STARTED = re.compile(r"\b(began|begun|begins|started|starts|opened|opens|kicked off|commenced|launched|got under ?way|"
                         r"got going|gets going|got started)"
                         r"( on)?\s*$")
_EN_ENDED_IN = re.compile(r"\b(concluded|concludes|ended|ends|wrapped up|closed|closes|runs|ran|run|running|lasts|lasted|"
                          r"continues) (through|until|on)\b")
_EN_ENDED = re.compile(r"\b(concluded|concludes|ended|ends|wrapped up|closed|closes|finished|runs through|ran through|"
                       r"run through|will run through|running through|lasts until|lasted until|continues through)( on)?\s*$")


def _en_span(text: str, ref: date | None, tense: str, dated: DateMatch) -> DateMatch | None:
    """"Keen Sword 25 concluded Nov. 1, capping 10 days of training that began Oct. 23", "opened …
    with a ceremony July 28, beginning two weeks of training that runs through Aug. 7": an
    exercise's start and end written as two verbs of one sentence make its span (the start is the
    date it is dated by when no verb says start)."""
    start = end = None
    for d in find_dates(text, ref, tense=tense, lang="en"):
        if d.precision != "day":
            continue
        before = text[max(0, d.start - 24):d.start]
        if start is None and _EN_STARTED.search(before):
            start = d
        elif end is None and _EN_ENDED.search(before):
            end = d
    start = start or (dated if dated.precision == "day" else None)
    if start is not None and end is not None and end.end_date < start.start_date and not end.explicit_year:
        # "July 28 … runs through Aug. 7" read in the past tense lands a year early: the end follows the start
        try:
            bumped = end.end_date.replace(year=end.end_date.year + 1)
        except ValueError:
            bumped = end.end_date
        end = DateMatch(end.start, end.end, end.text, bumped, bumped, "day", explicit_year=False, rule=end.rule)
    if start is None or end is None or not start.start_date < end.end_date <= start.start_date + timedelta(days=60):
        return None
    return DateMatch(min(start.start, end.start), max(start.end, end.end), text[min(start.start, end.start):max(start.end, end.end)],
                     start.start_date, end.end_date, "day", explicit_year=start.explicit_year, rule="en_span")


def _ref_match(day: date | None, rule: str = "reference") -> DateMatch | None:
    if day is None:
        return None
    return DateMatch(0, 0, "", day, day, "day", explicit_year=True, rule=rule)


def _people_for(text: str, c: "_Cand", people: list[Found], hits, any_primary: bool) -> list[Found]:
    """People bound to this trigger: those written right before a trigger (石破首相の訪米,
    石破首相との会談) belong to that one; the rest belong to the sentence's main events."""
    out = []
    for p in people:
        nxt = [h for h in hits if h[0] >= p.end and _TRIGGER_GAP.match(text[p.end:h[0]])]
        if nxt:
            if nxt[0][0] == c.a:
                out.append(p)
            continue
        # English: a name in another clause that has a trigger of its own is that trigger's
        # ("…met by video link on January 7, 2022, …; on May 23, 2022, President Biden and …")
        if not _mostly_japanese(text) and not _same_clause(text, p.start, c.a) and any(
                h[0] != c.a and _same_clause(text, p.start, h[0]) for h in hits):
            continue
        if c.primary or not any_primary:
            out.append(p)
    # "今月下旬に予定されるバイデン大統領の訪日": a visit named with its visitor is that visitor's
    bound = [p for p in out if c.trigger.name == "visit_ja" and p.end <= c.a and text[p.end:c.a] in ("の", "")]
    return bound or out


_LEADER = {"jp_prime_minister", "us_president"}
_DEFENSE = {"jp_minister_of_defense", "us_secretary_of_defense"}
_FOREIGN = {"jp_minister_of_foreign_affairs", "us_secretary_of_state"}
_CHIEFS = {"jp_chief_of_staff_joint_staff", "us_chairman_joint_chiefs"}   # chiefs of defence: their meetings are "other"


def _type_from_people(trig: Trigger, people: list[Found], on: date | None, registry: Registry, text: str) -> EventType | None:
    """Generic words (会談, met, visit) take their type from who takes part."""
    cats: dict[str, set[str]] = {}
    for p in people:
        if not p.person_id:
            continue
        person = registry.person(p.person_id)
        # the title written next to the name says which office is meant (石破首相, not 石破防衛相)
        offices = [o for o in registry.title_offices(p.title, p.country) if o.key in registry_keys(person, registry)] if p.title else []
        if not offices:
            offices = registry.offices_of(person, on) or (registry.offices_of(person, None)[-1:] if on is None else [])
        if not offices and on is not None:
            # "トランプ次期大統領", "President-elect Trump": the office he takes within the next months
            offices = [o for o in registry.offices_of(person, None) if any(
                t.office == o.key and on < t.start <= on + _INCOMING for t in person.terms)][-1:]
        for o in offices:
            cat = "leader" if o.key in _LEADER else "defense" if o.key in _DEFENSE else "foreign" if o.key in _FOREIGN \
                else "chiefs" if o.key in _CHIEFS else None
            if cat:
                cats.setdefault(p.country or "", set()).add(cat)
    if trig.event_type == EventType.visit:
        jp, us = cats.get("JP", set()), cats.get("US", set())
        if trig.name in ("visit_en", "visit_ja") and jp & us:
            # "Kihara flew to the Pentagon … and used that visit to tell Austin …": a minister's trip
            # to his counterpart is reported as their meeting
            for cat, et in (("defense", EventType.defense_ministers_meeting),
                            ("foreign", EventType.foreign_ministers_meeting), ("leader", EventType.summit)):
                if cat in jp & us:
                    return et
        return EventType.visit if people else None
    if not cats:
        if re.search(r"防衛(相|大臣)|国防長官|防衛トップ|Secretary of Defense|Defense Minister", text) and trig.name == "meeting_ja":
            return EventType.defense_ministers_meeting if people else None
        return None
    jp, us = cats.get("JP", set()), cats.get("US", set())
    sides = [x for x in (jp, us) if x]
    countries = {p.country for p in people if p.person_id}
    if len([p for p in people if p.person_id]) >= 2 and len(countries) == 1:
        return None                # "Blinken met with Admiral Aquilino": officials of one government
    if trig.name == "joint_action_en" and not (len(sides) == 2 and jp & us):
        return None                # "X and Y agreed" is a meeting of counterparts only
    if len(sides) == 2 and not (jp & us):
        return EventType.visit     # a minister received by a leader, or the other way round
    if len(sides) == 1 and {"JP", "US"} <= {p.country for p in people if p.person_id}:
        return EventType.visit     # "the new USFJ commander met Defense Minister Nakatani": a call on him
    common = (jp & us) if len(sides) == 2 else sides[0]
    if len(sides) == 1 and common == {"leader"} and "首脳" not in text and not trig.medium \
            and not re.search(r"(電話|テレビ|ビデオ|オンライン)(会談|会議)|by (phone|video)|(phone|video) call", text):
        return EventType.visit     # "石破首相との会談": someone received by a leader (a leader's call is with a leader)
    for cat, et in (("defense", EventType.defense_ministers_meeting), ("foreign", EventType.foreign_ministers_meeting),
                    ("leader", EventType.summit), ("chiefs", EventType.other)):
        if cat in common:
            return et
    return None


def registry_keys(person, registry: Registry) -> set[str]:
    return {t.office for t in person.terms}


_REMOTE_BEFORE = re.compile(r"(電話|テレビ会議|ビデオ会議|オンライン)(形式)?で[^、。]{0,8}$")
_VENUE_BEFORE = re.compile(r"(において|にて)、?[^、。]{0,12}$|\bin (Tokyo|Washington)\b")
_KANA_OR_KATAKANA = re.compile(r"[\u3040-\u30ff]")


def _medium(surface: str, clause: str, etype: EventType, before: str = "") -> Medium:
    for rx, med in MEDIUM_CUES:
        if rx.search(surface):
            return med
    # "電話で会談", "テレビ会議形式で会談", "by phone"
    m = _REMOTE_BEFORE.search(before)
    if m:
        return Medium.phone if m.group(1) == "電話" else Medium.video
    if _VENUE_BEFORE.search(before):
        return Medium.in_person
    window = clause[:30] if _KANA_OR_KATAKANA.search(clause) else clause[:90]
    for rx, med in MEDIUM_CUES:
        if rx.search(window):
            return med
    return Medium.unknown


def _location(text: str, a: int, b: int) -> str | None:
    for rx in LOCATION:
        for m in rx.finditer(text):
            loc = m.group("loc")
            if re.search(r"(会合|会談|協議|演習|閣僚|委員会|主催|下)$|^同|電話|テレビ|ビデオ|オンライン|対面|形式", loc):
                continue
            return loc
    return None


# ---------------------------------------------------------------------------------------------
# Grouping within an article
# ---------------------------------------------------------------------------------------------

def _overlap(x: DateMatch, y: DateMatch) -> bool:
    # a date read off a quoted source's publication is the report's day: the event may be the day before
    slack = timedelta(days=1) if "card_" in (x.rule + y.rule) else timedelta(0)
    return x.start_date - slack <= y.end_date and y.start_date - slack <= x.end_date


def _people_conflict(g: _Group, c: _Cand) -> bool:
    def by_country(people):
        out: dict[str, set[str]] = {}
        for p in people:
            if p.person_id:
                out.setdefault(p.country or "", set()).add(p.person_id)
        return out
    mine = by_country([p for x in g.cands for p in x.people])
    theirs = by_country(c.people)
    return any(k in mine and mine[k].isdisjoint(v) for k, v in theirs.items())


_ZONE_WORD = re.compile(r"(日本|現地)時間|Japan time|local time|\bJST\b", re.I)


def _zone_shift(x: _Cand, y: _Cand) -> bool:
    """"日本時間のきょう未明" and "現地時間の10日午前": one moment on two calendars, a day apart."""
    return (abs((x.date.start_date - y.date.start_date).days) == 1
            and bool(_ZONE_WORD.search(x.sent.ntext) or _ZONE_WORD.search(y.sent.ntext)))


def _call_then_update(g: _Group, c: _Cand) -> bool:
    """A page updated after the event: "Ishiba is expected to hold telephone talks with Trump on
    Thursday", then "UPDATE: Ishiba spoke with Trump by phone" — one call, announced then reported,
    when both say call (or video) and name the same two sides, and one of them is undated."""
    if c.medium not in (Medium.phone, Medium.video) or g.medium() != c.medium:
        return False
    if c.date is not None and g.dated():
        return False
    mine = {p.person_id for x in g.cands for p in x.people if p.person_id}
    theirs = {p.person_id for p in c.people if p.person_id}
    return len(mine & theirs) >= 2


def _edition(c: _Cand) -> tuple[str, str | None] | None:
    """An exercise named by its trigger: (series, edition number or None) — "Keen Sword 25",
    "キーン・ソード25" → ("keen_sword", "25"); "Exercise Iron Fist" → ("ironfist", None)."""
    if c.event_type != EventType.exercise:
        return None
    flat = re.sub(r"[\s・.「」\-]", "", c.sent.ntext[c.a:c.b]).lower()
    name = _known_exercise(flat)
    if name is None:
        m = re.search(r"exercise([a-z]+)", flat)
        if m is None:
            return None
        name = (m.group(1), m.group(1))
    num = re.search(r"(\d{2,4})", flat[flat.index(name[0]) + len(name[0]):])
    return name[1], num.group(1) if num else None


def _same_edition(g: _Group, c: _Cand) -> bool | None:
    """True when the group and the candidate name one edition of an exercise, False when they name
    two (another exercise, or another year's edition), None when either names none."""
    mine = _edition(c)
    if mine is None:
        return None
    verdict = None
    for x in g.cands:
        theirs = _edition(x)
        if theirs is None:
            continue
        if theirs[0] != mine[0] or None not in (theirs[1], mine[1]) and theirs[1] != mine[1]:
            return False
        if None not in (theirs[1], mine[1]):
            verdict = True
    return verdict


def _named_pair(c: _Cand) -> bool:
    """Registry people of two countries named with the trigger: the meeting of that pair."""
    people = c.people + [p for _, p in c.borrowed]
    return c.fmt is None and len({p.country for p in people if p.person_id and p.country}) >= 2


def _compatible(g: _Group, c: _Cand) -> bool:
    if g.event_type != c.event_type:
        return False
    # "Before the three-way session, … Biden and Kishida reaffirmed …": the trilateral of the day and
    # a bilateral named by its two principals are two meetings
    formats = {x.fmt for x in g.cands if x.fmt}
    if formats and _named_pair(c) or c.fmt and any(_named_pair(x) for x in g.cands):
        return False
    if c.event_type == EventType.visit:
        # one trip: announced (来日へ) and reported (来日し) by the same visitor, within a week
        mine = {p.person_id for x in g.cands for p in x.people if p.person_id}
        theirs = {p.person_id for p in c.people if p.person_id}
        near = c.date is None or all(x.date is None or abs((x.date.start_date - c.date.start_date).days) <= 7 for x in g.cands)
        return bool(mine & theirs) and near
    if any(x.series and c.series and x.series != c.series for x in g.cands):
        return False
    if Status.unknown not in (g.status(), c.status) and c.status != g.status():
        # the announcement and the report of one meeting, both written with the same day
        same_day = (c.date is not None and c.date.precision == "day" and not _inferred(c.date_rule) and
                    any(x.date and x.date.precision == "day" and x.date.start_date == c.date.start_date
                        and not _inferred(x.date_rule) for x in g.cands))
        if not (same_day or _call_then_update(g, c)) or Status.cancelled in (c.status, g.status()):
            return False
    if g.medium() != Medium.unknown and c.medium not in (Medium.unknown, g.medium()):
        return False
    edition = _same_edition(g, c)
    if edition is False:
        return False
    # one edition of an exercise is one event, whatever day of it a sentence or caption dates
    if not edition and c.date is not None and any(x.date is not None and not _overlap(x.date, c.date)
                                                  and not _zone_shift(x, c) for x in g.cands):
        return False
    if c.event_type == EventType.visit:
        # a visit is its visitor's: two visits by different people are two events
        mine = {p.person_id for x in g.cands for p in x.people if p.person_id}
        theirs = {p.person_id for p in c.people if p.person_id}
        if mine and theirs and mine.isdisjoint(theirs):
            return False
    return not _people_conflict(g, c) and not any(_days_conflict(x, c) for x in g.cands)


# "14日", "5月24日": a day written without a month or year. On a page without a date of its own
# (an aggregator's card quoting a source that gives none) it cannot be placed, but it still tells
# two cards apart: the card on "14日" is not the one on "22日".
_WRITTEN_DAY = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日|(?<![\d月/])(\d{1,2})日(?![本米])")


_REPORT_LAG_DAYS = 7   # a quoted source's date may trail the event it reports by this much (dedupe: report_lag_days)


def _written_day(text: str) -> tuple[int | None, int] | None:
    """(month or None, day) of the first day the text writes."""
    m = _WRITTEN_DAY.search(text)
    if m is None:
        return None
    return (int(m[1]), int(m[2])) if m[1] else (None, int(m[3]))


def _share_written_days(cands: list[_Cand]) -> None:
    """An aggregator card is one story: its headline, which writes no day, takes the day its
    text writes, so that it does not join the card before it."""
    first: dict[int, tuple[int | None, int]] = {}
    for c in cands:
        if c.written and c.sent.block not in first:
            first[c.sent.block] = c.written
    for c in cands:
        if c.date is None and c.written is None and c.sent.block in first and c.sent.extra.get("unplaced"):
            c.written = first[c.sent.block]


def _days_conflict(x: _Cand, y: _Cand) -> bool:
    """One candidate is dated from its text and the other writes a day that date is not (±1
    day), or both write different days."""
    wx, wy = x.written, y.written
    if wx and wy:
        return wx[1] != wy[1] or None not in (wx[0], wy[0]) and wx[0] != wy[0]
    dated, w = (x, wy) if wy else (y, wx)
    if w is None or dated.date is None:
        return False
    month, day = w
    # a date read off a quoted source (its URL, its 公開日) is the report's day: the event may
    # be up to a week older; a date the text wrote is the event's own (±1 day across time zones)
    d = dated.date.start_date - timedelta(days=_REPORT_LAG_DAYS if _inferred(dated.date_rule) else 1)
    while d <= dated.date.end_date + timedelta(days=1):
        if d.day == day and month in (None, d.month):
            return False
        d += timedelta(days=1)
    return True


def _group(cands: list[_Cand]) -> list[_Group]:
    groups: list[_Group] = []
    for c in cands:
        fits = [g for g in groups if _compatible(g, c)]
        if fits:
            def rank(g: _Group):
                same_day = c.date is not None and any(x.date and x.date.start_date == c.date.start_date for x in g.cands)
                return (not same_day, c.sent.index - g.cands[-1].sent.index)
            min(fits, key=rank).cands.append(c)
        else:
            groups.append(_Group([c]))
    # a later sentence can show that two early groups are one event (an undated headline and a
    # dated announcement, then the dated report): merge groups that now fit together
    merged = True
    while merged:
        merged = False
        # pairs within one card or stretch of the page first, then across
        pairs = sorted(((i, j) for i in range(len(groups)) for j in range(i + 1, len(groups))),
                       key=lambda ij: (not _share_block(groups[ij[0]], groups[ij[1]]), ij))
        for i, j in pairs:
            g, h = groups[i], groups[j]
            if _fits_all(g, h) or _fits_all(h, g):
                g.cands.extend(h.cands)
                groups.remove(h)
                merged = True
                break
    return groups


def _share_block(g: _Group, h: _Group) -> bool:
    return bool({c.sent.block for c in g.cands} & {c.sent.block for c in h.cands})


def _fits_all(g: _Group, h: _Group) -> bool:
    trial = _Group(list(g.cands))
    for c in sorted(h.cands, key=lambda c: (c.status != trial.status(), c.date is None)):
        if not _compatible(trial, c):
            return False
        trial.cands.append(c)
    return True


def _date_lead_report(groups: list[_Group], article: Article, refs: dict[int, _Ref],
                      sents: list[Sentence], registry: Registry) -> None:
    """A page that reports a meeting as its news without dating it (官邸's "日米首脳会談を行いました"
    under the day's date line) reports that day's meeting: the lead event takes the page date,
    recorded as inferred (date_rule "publication_date"). Only the lead event, only when held, and
    never for cards quoted from elsewhere. But a headline's meeting whose lead sentence names its
    people with a day ("石破茂首相は7日（日本時間8日未明）、…トランプ米大統領と向き合った") is dated
    by that sentence."""
    if article.published_at is None:
        return
    leads = [g for g in groups if any(c.primary for c in g.cands)]
    if not leads:
        return
    lead = min(leads, key=lambda g: min(c.sent.index for c in g.cands))
    first = min(lead.cands, key=lambda c: c.sent.index)
    if lead.dated() or lead.period is not None or lead.status() == Status.planned:
        return
    if len({c.sent.index for c in lead.cands}) == 1 and lead.event_type in _MEETINGS:
        ids = {p.person_id for c in lead.cands for p in c.people if p.person_id}
        # the lead sentence under the headline (past its byline, date line and photo caption)
        body = [x for x in sents if first.sent.index < x.index <= first.sent.index + 6 and x.kind == "body"]
        for x in body:
            ref = refs[x.index].day
            days = [d for d in _dates_in(x, ref, "past", _sentence_lang(x.ntext))
                    if d.precision == "day" and not _OTHER_ZONE.search(x.ntext, max(0, d.start - 8), d.start)]
            named = {p.person_id for p in find_people(x.ntext, days[0].start_date if days else ref, registry)}
            if len(ids) >= 2 and ids <= named and days:
                lead.period, lead.period_sent = days[0], x
                return
    if (lead.event_type in _MEETINGS | {EventType.visit} and not lead.dated() and lead.status() == Status.held
            and all(c.status in (Status.held, Status.unknown) for c in lead.cands)
            and not any(g is not lead and g.event_type == lead.event_type and any(
                c.date and c.date.precision == "day"
                and c.date.end_date >= article.published_at.astimezone(JST).date() - timedelta(days=1)
                for c in g.cands) for g in groups)
            and refs[first.sent.index].rule == "page_date"):
        day = article.published_at.astimezone(JST).date()
        first.date = DateMatch(0, 0, "", day, day, "day", explicit_year=True, rule="publication_date")
        first.date_rule = "publication_date"


_MEETING_PRODUCT = re.compile(r"共同発表|共同声明|共同文書|ファクトシート|joint statement|joint readout|fact sheet", re.I)
_MEETINGS = {EventType.ministerial_2plus2, EventType.summit, EventType.defense_ministers_meeting,
             EventType.foreign_ministers_meeting, EventType.working_level_dialogue}


def _fold_meeting_documents(groups: list[_Group]) -> list[_Group]:
    """A joint statement issued by a meeting the article reports is that meeting's outcome,
    not an event of its own (guidelines and strategies issued on their own stay events)."""
    meetings = [g for g in groups if g.event_type in _MEETINGS]
    if not meetings:
        return groups
    out = []
    for g in groups:
        if g.event_type == EventType.document_release and all(
                _MEETING_PRODUCT.search(c.sent.ntext[c.a:c.b]) for c in g.cands):
            days = {c.date.start_date for c in g.cands if c.date}
            if not days or any(d in {c.date.start_date for m in meetings for c in m.cands if c.date} for d in days):
                continue
        out.append(g)
    return out


# ---------------------------------------------------------------------------------------------
# Discourse: participant listings and outcomes
# ---------------------------------------------------------------------------------------------

_LISTING = re.compile(r"出席|共同議長|参加|同席|attended|co-chair|joined by", re.I)
_LISTING = led_by_first_chars(_LISTING)
_CO_CHAIR = re.compile(r"共同議長|co-chair", re.I)
_NOUN_TYPES = {
    "会談": {EventType.summit, EventType.defense_ministers_meeting, EventType.foreign_ministers_meeting, EventType.visit},
    "協議": {EventType.working_level_dialogue, EventType.ministerial_2plus2},
    "会合": {EventType.ministerial_2plus2, EventType.working_level_dialogue, EventType.other},
    "訪問": {EventType.visit},
}


def _attach(sents: list[Sentence], groups: list[_Group], refs, registry: Registry, lang: str) -> None:
    by_sent: dict[int, list[tuple[_Cand, _Group]]] = {}
    for g in groups:
        for c in g.cands:
            by_sent.setdefault(c.sent.index, []).append((c, g))
    history: list[_Group] = []
    current: _Group | None = None
    block = None
    under_label = False   # the sentence before was a heading such as "２　実施期間"
    for s in sents:
        if s.kind in _SKIP_KINDS:
            continue
        after_label, under_label = under_label, bool(_PERIOD_LABEL.match(s.ntext))
        if s.block != block:
            block, current = s.block, None
        own = by_sent.get(s.index, [])
        anaphor = ANAPHOR.match(s.ntext)
        target: _Group | None = None
        # "両閣僚は、「2+2」を適切な時期に開催できるよう…で一致しました": the two just reported agreed
        # on a later meeting — what they agreed belongs to their meeting, the 2+2 is only planned
        # "両国代表団は、4月10日の首脳会談において…が確認されたことを踏まえ、…再確認しました": the
        # delegations of the meeting being reported, citing an older one
        if current is not None and _SUBJECT_PAIR.match(s.ntext) and own and current not in [g for _, g in own] \
                and (all(c.status == Status.planned for c, _ in own) or all(_looks_back(g, current) for _, g in own)):
            target = current
        elif current is not None and own and current not in [g for _, g in own] and current.status() == Status.held \
                and all(c.status == Status.planned for c, _ in own) and _REPORTS_DONE.search(s.ntext):
            # "その上で、本年前半に…首脳会合を日本で開催したいとお伝えし、大統領から支持をいただきました":
            # a later meeting proposed at the one being reported; what was said is this one's
            target = current
        elif anaphor and not any(c.primary for c, _ in own):
            noun = ANAPHOR_NOUN.search(anaphor.group(0))
            if noun:
                types = _NOUN_TYPES.get(noun.group(1), set())
                past = bool(re.search(r"(た|ました|確認|一致)[。]?$", s.ntext))
                pool = [g for g in reversed(history) if not past or g.status() != Status.planned]
                hits = [g for g in pool if any(noun.group(1) in c.sent.ntext[c.a:c.b] for c in g.cands
                                               if c.sent.index < s.index)]
                hits += [g for g in pool if g.event_type in types and g not in hits]
                target = hits[0] if hits else current
            else:
                target = current or (history[-1] if history else None)
        elif own:
            prim = [g for c, g in own if c.primary]
            # "初の電話会談で…を確認": what was said *at* the meeting the sentence names
            at = [g for c, g in own if re.match(r"^(\([^)]*\))?(で|では|において)(?!あ|な)", s.ntext[c.b:c.b + 8])]
            target = prim[0] if prim else at[0] if at else (current or own[0][1])
        else:
            # "岸田総理大臣は、電話会談のあと…記者団に対し": the meeting that noun names, not the last one read
            back = _BACK_NOUN.search(s.ntext)
            # (by the words read so far: a group's later sentences are not yet its name)
            named = [g for g in reversed(history) if any(back.group(1) in c.sent.ntext[c.a:c.b] for c in g.cands
                                                         if c.sent.index < s.index)] if back else []
            target = named[0] if named else current
        for _, g in own:
            if g not in history:
                history.append(g)
            else:
                history.remove(g)
                history.append(g)
        if target is None:
            continue
        # "Since we met in Hiroshima last May, …": a look back at an older event is said about it,
        # but what follows is again about the event being reported
        # ("6月2日の日米防衛相会談においても、…確認されていた": a pluperfect look back a week earlier)
        if not (own and current is not None and (_LOOK_BACK_CUE.search(s.ntext) and _looks_back(target, current)
                                                 or _PLUPERFECT.search(s.ntext) and _looks_back(target, current, 1))):
            current = target
        # participant listings: "日本側は…が、米国側は…が共同議長を務め"
        if not own and _LISTING.search(s.ntext) and not _other_day(s, target, refs[s.index], lang):
            on = _group_day(target) or refs[s.index].day
            role = Role.co_chair if _CO_CHAIR.search(s.ntext) else Role.attendee
            for p in find_people(s.ntext, on, registry):
                target.extra_people.append((s, p, role))
        # "期間は9月11日から25日までの15日間": the whole span of an event reported by its first day
        # (a release's "２　実施期間" heading gives the line under it)
        period_line = after_label or _PERIOD.match(s.ntext)
        if not own and period_line and (target.event_type == EventType.exercise or _group_day(target) is not None):
            day = _group_day(target)
            found = _dates_in(s, refs[s.index].day, "past", _sentence_lang(s.ntext, lang))
            spans = [d for d in found if (day is None or d.start_date == day) and d.end_date and d.end_date > d.start_date]
            ja = _ja_span(s.ntext, found)
            if ja is not None and (day is None or ja.start_date == day):
                spans.append(ja)
            if spans:
                target.period, target.period_sent = spans[0], s
        # "… and the whole thing runs through Oct. 18": a later sentence giving the end of an exercise
        # dated by its start
        elif not own and target.event_type == EventType.exercise and target.period is None and _group_day(target) \
                and lang == "en" and _EN_ENDED_IN.search(s.ntext):
            start = target.dated()[0].date
            ends = [d for d in _dates_in(s, start.start_date, "future", "en")
                    if d.precision == "day" and _EN_ENDED.search(s.ntext[max(0, d.start - 24):d.start])
                    and start.start_date < d.end_date <= start.start_date + timedelta(days=60)]
            if start.precision == "day" and start.end_date == start.start_date and ends:
                target.period = DateMatch(0, 0, "", start.start_date, ends[0].end_date, "day",
                                          explicit_year=start.explicit_year, rule="en_span")
                target.period_sent = s
        # "The inaugural plenary took place in Tokyo on June 9 and 10", "第1回会合は6月9日に開かれた":
        # the meeting being described, named again by its noun alone, is dated by that sentence
        elif not own and target.status() != Status.planned and not target.dated() and target.period is None \
                and _HELD_ANAPHOR.match(s.ntext):
            found = [d for d in _dates_in(s, refs[s.index].day, "past", _sentence_lang(s.ntext, lang))
                     if d.precision == "day" and not d.rule.startswith("same_day")]
            if len(found) == 1 and (refs[s.index].day is None or found[0].start_date <= refs[s.index].day):
                target.period, target.period_sent = found[0], s
        # outcomes (a headline announces; the body says what came out)
        if _is_heading(s):
            continue
        for a, b, kind in _outcome_clauses(s.ntext, _sentence_lang(s.ntext, lang), target.event_type):
            if any(a <= c.a < b and c.trigger.name != "joint_action_en" and _kind(s.ntext[c.a:c.b]) == kind for c, _ in own):
                continue  # "welcomed Prime Minister Kishida to the White House": the meeting, not its result
            target.outcomes.append((s, a, b, kind))


_REPORTS_DONE = re.compile(r"(ました|でした|した|った|いた|れた|えた|だ)[。]?$|\b(agreed|welcomed|told|said|discussed|"
                           r"expressed|reaffirmed|confirmed|stressed|invited|proposed|conveyed)\b")
_HELD_ANAPHOR = re.compile(
    r"^(The|Its|Their)( (inaugural|first|second|third|fourth|fifth|latest|most recent))? (plenary( session| meeting)?|"
    r"meeting|session|round|talks|dialogue)( of the (forum|dialogue|committee|talks))? (took place|was held|were held|"
    r"was convened|convened|opened)\b|"
    r"^(第[一二三四五六七八九十\d]+回|初(回)?の?|今回の)?(会合|協議|本会合|全体会合|本会議)は、?[^。]{0,30}(開催され|行われ|開かれ)")
_PERIOD_LABEL = re.compile(r"^([0-9]{1,2}|[(][0-9]{1,2}[)])?\s*(実施期間|期間|日時|日程|開催日時?|訓練期間|演習期間|Dates?|Period)\s*[:：]?$")
_PERIOD = re.compile(r"^(実施期間|期間|日時|日程|訓練期間|演習期間)\s*[:：]|"
                     r"^([^、。]{1,14}によると、)?(期間|会期|日程|訓練期間|演習期間|演習|訓練|同演習|同訓練)は|"
                     r"^The (exercise|drills?|training) (runs|will run|lasts|is scheduled to run)", re.I)


def _ja_span(text: str, dates: list[DateMatch]) -> DateMatch | None:
    """"演習は7日に始まり、18日まで行われている": a start and an end written as two verbs (the end
    day read in the start's month when the past tense put it a month early)."""
    start = next((d for d in dates if d.precision == "day" and re.match(r"に?(始ま|開始|スタート)", text[d.end:d.end + 4])), None)
    end = next((d for d in dates if d.precision == "day" and d is not start and text[d.end:d.end + 2] == "まで"), None)
    if start is None or end is None:
        return None
    last = end.end_date
    if last <= start.start_date:
        try:
            last = start.start_date.replace(day=last.day)
        except ValueError:
            return None
    if not start.start_date < last <= start.start_date + timedelta(days=60):
        return None
    return DateMatch(start.start, end.end, text[start.start:end.end], start.start_date, last, "day",
                     explicit_year=start.explicit_year, rule="ja_span")


_BACK_NOUN = re.compile(r"(電話会談|テレビ会談|首脳会談|外相会談|防衛相会談|会談|協議|会合)(のあと|の後|後|で|では|において|の冒頭|の席上)")
_LOOK_BACK_CUE = re.compile(r"\b[Ss]ince\b|以来|以降|前回|これまで")


_PLUPERFECT = re.compile(r"(されていた|していた|ていた|でいた)[。]?$|\bhad (already )?(been )?[a-z]+ed\b")


def _looks_back(g: _Group, current: _Group, days: int = 30) -> bool:
    """g is dated over a month (or `days`) before the event the discourse is about."""
    day, now = _group_day(g), _group_day(current)
    if day is None or now is None:
        return False
    end = max((c.date.end_date or c.date.start_date) for c in g.dated())
    return (now - end).days > days


def _other_day(s: Sentence, g: _Group, ref: _Ref, lang: str) -> bool:
    """"…attended a memorial ceremony on Saturday together with Ishiba": a listing dated on
    another day than the meeting lists the people of something else."""
    day = _group_day(g)
    dates = _dates_in(s, ref.day, "past", _sentence_lang(s.ntext, lang)) if day else []
    return bool(dates) and all(not (d.start_date <= day <= (d.end_date or d.start_date)) for d in dates)


_SENTENCE_FINAL = re.compile(r"[。.!！?？]$")


def _is_heading(s: Sentence) -> bool:
    return len(s.ntext) <= _HEADING_MAX and not _SENTENCE_FINAL.search(s.ntext.strip())


def _group_day(g: _Group) -> date | None:
    d = g.dated()
    return d[0].date.start_date if d else None


_CLAUSE_BREAK = re.compile(
    r"(?<=[しりてでえきけせめれ])、|とともに、|上で、|ほか、|ており、|;|, while |"
    # "agreed to A and reaffirmed B" — not "commanded and controlled"
    r",? and (?=(also )?(agreed|reaffirmed|affirmed|confirmed|welcomed|condemned|expressed|discussed|decided|announced|"
    r"pledged|committed|stressed|emphasized|underscored|noted|shared|called|vowed|launched|restated|reiterated|"
    r"highlighted|opposed|explained|told)\b)")
_CLAUSE_BREAK = led_by_first_chars(_CLAUSE_BREAK)
_SUBJECT = re.compile(r"^(また、|さらに、|そして、|その上で、|具体的には、|この文脈で、|特に、)?([^、「」]{1,14}(は|から|も|では)、)?")
_ATTRIBUTION = re.compile(r"^(According to|As stated in|Under|Per|In) (an? |the )?(joint )?(readout|statement|communiqu[eé]|"
                          r"declaration|fact sheet|release)[^,]{0,60}, ")
_SKIP_OUTCOME = re.compile(r"以下の(通り|とおり)|概要以下|次のとおり")


_QUOTE = re.compile(r"「([^「」]{8,})」と(述べ|語っ|強調|話し|説明)")


def _outcome_clauses(text: str, lang: str, etype: EventType) -> list[tuple[int, int, OutcomeKind]]:
    """Clauses ending in an outcome predicate, with their kind. A clause without a predicate
    belongs to the next one (it is part of its object)."""
    if _SKIP_OUTCOME.search(text):
        return []
    if etype != EventType.document_release and not _may_hold_outcome(text):
        return []   # no clause (nor quote) of it ends in an outcome predicate: _kind would find none
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
    out = []
    start = 0
    for i in range(1, len(cuts)):
        seg_end = cuts[i]
        clause = text[start:seg_end]
        kind = _kind(clause)
        if kind is None and i < len(cuts) - 1:
            continue
        if kind is None and etype == EventType.document_release and re.search(r"(ます|です|する|した)[。.]?$", clause):
            kind = OutcomeKind.other
        if kind is not None:
            body_start = start + _SUBJECT.match(clause).end()
            a, b = body_start, seg_end
            while b > a and text[b - 1] in "、。,.; ":
                b -= 1
            if b - a >= 6:
                out.append((a, b, kind))
        start = seg_end
    # "記者団に対し、「日米同盟を一層強化していくことで一致した。…」と述べました": what a quoted
    # principal says came out of the meeting is an outcome too
    for q in _QUOTE.finditer(text):
        qa = q.start(1)
        for a, b, kind in _outcome_clauses(q.group(1), lang, etype):
            if all(b + qa <= x or a + qa >= y for x, y, _ in out):
                out.append((a + qa, b + qa, kind))
    return sorted(out)


def _may_hold_outcome(text: str) -> bool:
    """Whether the text holds the head of an outcome predicate (rules.OUTCOME_HEADS): without one,
    no piece of it (a clause, a clause's tail) holds an outcome."""
    if OUTCOME_HEADS_ANY is None:
        return True
    if text.isascii():
        return OUTCOME_HEADS_ASCII.search(text.lower()) is not None
    return OUTCOME_HEADS_ANY.search(text) is not None


def _kind(clause: str) -> OutcomeKind | None:
    """Japanese puts the predicate last: read the clause's tail. English puts it after the
    subject: take the earliest outcome verb."""
    if _JA.search(clause):
        tail = clause[-28:]
        if not ANY_OUTCOME.search(tail):
            return None
        for kind, rx in OUTCOME_KINDS:
            if rx.search(tail):
                return kind
        return None
    if not _may_hold_outcome(clause):
        return None    # (the cheaper test)
    # "According to a joint readout released after the meeting, the four ministers expressed …": the
    # source's participle is not the clause's predicate when one follows
    lead = _ATTRIBUTION.match(clause)
    any_kind, kinds = ANY_OUTCOME, OUTCOME_KINDS
    if clause.isascii() and OUTCOME_KINDS_LOWERED is not None:   # (the same matches: see rules.lowered_for_ascii)
        clause, any_kind, kinds = clause.lower(), ANY_OUTCOME_LOWERED, OUTCOME_KINDS_LOWERED
    first = any_kind.search(clause, lead.end()) if lead else None
    first = first or any_kind.search(clause)
    if first is None:
        return None
    # (no kind matches before the first match of any: each is searched from there)
    found = [(m.start(), i, kind) for i, (kind, rx) in enumerate(kinds) for m in [rx.search(clause, first.start())] if m]
    specific = [f for f in found if f[2] != OutcomeKind.other]
    return min(specific or found)[2] if found else None


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------

def _unique_ids(mentions: list[EventMention]) -> list[EventMention]:
    """Two events of one type first named in the same sentence would share an id (article, first
    span, type): the later one gets its rank folded in, so ids stay stable for everyone else."""
    seen: dict[str, int] = {}
    out = []
    for m in mentions:
        n = seen.get(m.mention_id, 0)
        seen[m.mention_id] = n + 1
        out.append(m if n == 0 else m.model_copy(update={"mention_id": content_id(m.mention_id, n)}))
    return out


def _span(article: Article, s: Sentence, a: int, b: int, rule: str) -> Span:
    ra, rb = s.raw(a, b)
    return Span(article_id=article.article_id, char_start=ra, char_end=rb, text=article.text[ra:rb], rule=rule)


def _sentence_span(article: Article, s: Sentence, rule: str) -> Span:
    return Span(article_id=article.article_id, char_start=s.start, char_end=s.end, text=article.text[s.start:s.end], rule=rule)


@lru_cache(maxsize=1)
def _topic_rules() -> tuple[re.Pattern, dict[str, frozenset[str]]]:
    """The longest topic keyword starting at a position (one pattern, searched at every
    position), and for each keyword the topics of it and of the keywords it starts with."""
    topics_by_kw: dict[str, set[str]] = {}
    for t in load_registry().topics:
        for k in (t.get("keywords_ja") or []) + (t.get("keywords_en") or []):
            if k:
                topics_by_kw.setdefault(k.lower(), set()).add(t["id"])
    # the keywords as a trie (rules.longest_word: one alternative tried per character, not each
    # keyword), behind the class of their first characters, inside a lookahead so that every
    # position is tried (keywords overlap); every keyword starting at a position is a prefix of
    # the longest one starting there
    at = re.compile(f"(?=({led_by_first_chars(re.compile(longest_word(topics_by_kw))).pattern}))")
    topics = {k: frozenset().union(*(ids for j, ids in topics_by_kw.items() if k.startswith(j))) for k in topics_by_kw}
    return at, topics


def topics_of(text: str) -> list[str]:
    """Topics whose keywords occur in the text."""
    at, topics = _topic_rules()
    found: set[str] = set()
    for m in at.finditer(text.lower()):
        found |= topics[m.group(1)]
    return sorted(found)


_PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


def _inferred(rule: str | None) -> bool:
    """A date read off the page's furniture (a quoted card's source date), not the sentence."""
    return bool(rule) and rule.startswith(("card_", "reference", "publication_date"))


def _build(article: Article, g: _Group, registry: Registry) -> EventMention:
    cands = sorted(g.cands, key=lambda c: (not c.primary, -_PRECISION_RANK.get(c.date.precision if c.date else "", 0),
                                           c.sent.index))
    best = cands[0]
    # "日本時間のきょう未明" and later "首脳会談は、現地時間の10日午前に": the venue's day is the event's
    dated = sorted(g.dated(), key=lambda c: (-_PRECISION_RANK[c.date.precision], _inferred(c.date_rule),
                                             not _LOCAL_TIME.search(c.sent.ntext, max(0, c.date.start - 6), c.date.start),
                                             not c.primary, c.sent.index))
    dm = dated[0].date if dated else None
    if dm is None and g.period is not None:
        dm = g.period    # an exercise dated only by the sentence that gives its period
    elif dm is not None and g.period is not None and g.period.start_date == dm.start_date and dm.end_date == dm.start_date:
        dm = g.period
    timed = [c for c in g.cands if c.start_time and (dm is None or (c.date and c.date.start_date == dm.start_date))]
    durations = [c.duration for c in g.cands if c.duration]
    locations = [c.location for c in cands if c.location]
    seen_sent = set()
    spans = []
    for c in cands:
        if c.sent.index in seen_sent:
            continue
        seen_sent.add(c.sent.index)
        part = g.clauses.get(c.sent.index)
        spans.append(_span(article, c.sent, *part, f"trigger:{c.trigger.name}") if part
                     else _sentence_span(article, c.sent, f"trigger:{c.trigger.name}"))
    if g.period is not None and dm is g.period and g.period_sent is not None and g.period_sent.index not in seen_sent:
        spans.append(_sentence_span(article, g.period_sent, "date:period"))
    people: dict[str, PersonRef] = {}
    for c in sorted(g.cands, key=lambda c: c.sent.index):
        for p in c.people:
            _add_person(people, article, c.sent, p, Role.attendee)
        for bs, p in c.borrowed:
            _add_person(people, article, bs, p, Role.attendee)
    for s, p, role in g.extra_people:
        _add_person(people, article, s, p, role)
    outcomes: list[OutcomeRef] = []
    seen = set()
    for s, a, b, kind in g.outcomes:
        sp = _span(article, s, a, b, f"outcome:{kind.value}")
        if (sp.char_start, sp.char_end) in seen:
            continue
        seen.add((sp.char_start, sp.char_end))
        outcomes.append(OutcomeRef(kind=kind, topics=topics_of(sp.text), span=sp))
    status = g.status()
    if status == Status.unknown:
        # a report without tense: held unless dated after the page that reports it
        pub = article.published_at.astimezone(JST).date() if article.published_at else None
        status = Status.planned if dm is not None and pub is not None and dm.start_date > pub else Status.held
    medium = g.medium()
    confidence = 0.5 + 0.2 * best.primary + 0.15 * (dm is not None) + 0.1 * bool(people) + 0.05 * (len(spans) > 1)
    if best.trigger.needs_people:
        confidence -= 0.1
    title = best.sent.ntext[best.a:best.b]
    if g.event_type == EventType.document_release:
        # the document's name: "日米宇宙協力に関する" + "共同声明"
        for c in cands:
            m = re.search(r"([^、。「」\s!?]{2,30}に関する)$", c.sent.ntext[:c.a])
            if m:
                title = m.group(1) + c.sent.ntext[c.a:c.b]
                break
    return EventMention(
        mention_id=content_id(article.article_id, spans[0].char_start, g.event_type.value),
        article_id=article.article_id,
        event_type=g.event_type,
        medium=medium,
        status=status,
        start_date=dm.start_date if dm else None,
        end_date=dm.end_date if dm else None,
        date_precision=DatePrecision(dm.precision) if dm else DatePrecision.unknown,
        start_time=timed[0].start_time if timed else None,
        duration_minutes=durations[0] if durations else None,
        location=locations[0] if locations else None,
        title=title,
        evidence=spans[0],
        supporting=spans[1:],
        is_primary=best.primary,
        confidence=round(min(1.0, max(0.05, confidence)), 3),
        participants=list(people.values()),
        outcomes=outcomes,
        series=best.series or _exercise_series(g) or _document_series(g),
        date_rule=dated[0].date_rule or None if dated else "period_sentence" if dm is not None else None,
        month_day=None if dm else _month_day(cands),
        site=article.site,
        published_at=article.published_at,
    )


@lru_cache(maxsize=1)
def _exercise_names() -> list[tuple[str, str]]:
    """(written name without spaces or dots, exercise id), longest first."""
    return sorted(((re.sub(r"[\s・.]", "", n).lower(), eid) for n, eid in EXERCISES), key=lambda x: -len(x[0]))


def _known_exercise(flat: str) -> tuple[str, str] | None:
    """(flattened name, exercise id) of the first registry exercise written in a flattened text."""
    return next(((n, eid) for n, eid in _exercise_names() if n in flat), None)


_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日|\b(January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) (\d{1,2})\b")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]


def _month_day(cands: list[_Cand]) -> str | None:
    """A month and day written without a year the page lets us place ("7月14日" on an undated
    aggregator): kept so that deduplication can still recognise the event."""
    for c in cands:
        m = _MONTH_DAY.search(c.sent.ntext)
        if m:
            month = int(m.group(1)) if m.group(1) else _MONTHS.index(m.group(3).lower()) + 1
            day = int(m.group(2) or m.group(4))
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{month:02d}-{day:02d}"
    return None


def _exercise_series(g: _Group) -> str | None:
    """An exercise's own name is its series ("キーンソード25" → キーンソード, "Exercise Keen Sword 25" → keen sword)."""
    if g.event_type != EventType.exercise:
        return None
    for c in g.cands:
        surface = c.sent.ntext[c.a:c.b]
        flat = re.sub(r"[\s・.]", "", c.sent.ntext).lower()
        known = _known_exercise(flat)
        if known:
            return f"ex_{known[1]}"
        m = re.search(r"「([^」]+)」", surface) or re.search(r"Exercise ([A-Z][a-z]+(?: [A-Z][a-z]+)?)", surface)
        if m:
            name = re.sub(r"[\s・\-\d]+", "", m.group(1)).lower()
            if not name:
                return None
            # an identifier: the English name as it is, a Japanese one by its hash (exja_/exen_
            # keys of different scripts are not compared by dedupe)
            return f"exen_{name}" if name.isascii() else f"exja_{content_id(name, n=10)}"
    return None


_DOC_KINDS = [
    ("doc_guidelines", re.compile(r"ガイドライン|指針|guidelines?", re.I)),
    ("doc_factsheet", re.compile(r"ファクトシート|fact sheet", re.I)),
    ("doc_statement", re.compile(r"共同声明|共同発表|声明|共同文書|joint statement|statement|joint readout", re.I)),
]


def _document_series(g: _Group) -> str | None:
    """What kind of document was released: a fact sheet and a statement of one day are two."""
    if g.event_type != EventType.document_release:
        return None
    for c in g.cands:
        surface = c.sent.ntext[c.a:c.b]
        for key, rx in _DOC_KINDS:
            if rx.search(surface):
                return key
    return None


def _add_person(people: dict[str, PersonRef], article: Article, s: Sentence, p: Found, role: Role) -> None:
    ref = PersonRef(
        person_id=p.person_id, name_ja=p.name_ja, name_en=p.name_en, title=p.title,
        organization=p.organization, country=p.country, role=role,
        span=_span(article, s, p.start, p.end, f"person:{p.rule}"),
    )
    key = ref.key
    if key in people:
        old = people[key]
        if role != Role.attendee and old.role == Role.attendee:
            people[key] = old.model_copy(update={"role": role})
        return
    people[key] = ref
