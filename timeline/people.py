"""Finding people in a sentence and resolving them to the officials registry.

Order of evidence, strongest first: a registry name or alias (a surname only when a title or
honorific follows or precedes it), a bare title resolved through terms of office on the event
date, and finally an unregistered person written as name + organisation + title or as a
katakana name with its English form in parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from timeline.registry import Person, Registry, load_registry
from timeline.rules import first_chars, led_by_first_chars

__all__ = ["Found", "find_people"]


@dataclass(frozen=True)
class Found:
    start: int                 # span in the normalised sentence
    end: int
    person_id: str | None
    name_ja: str | None
    name_en: str | None
    title: str | None
    organization: str | None
    country: str | None
    rule: str


# Titles and honorifics that may follow a Japanese surname. The country prefix (米, 米国, アメリカの)
# is part of how Japanese text writes a foreign office.
_JA_TITLE_AFTER = (
    r"(?:\([ぁ-んァ-ヶ・ー ]+\))?\s*(?:米国?|アメリカ(?:の)?|日本(?:の)?|英国?|豪州?)?(?:次期)?"
    r"(?P<title>内閣総理大臣|総理大臣|総理|副首相兼国防相|副首相|首相|大統領|副大統領|国務長官|国防長官|戦争長官|長官|"
    r"国防相|国防大臣|国防部長官|国防部長|外交部長官|外交部長|"
    r"防衛大臣|防衛相|外務大臣|外相|官房長官|大臣|副大臣|政務官|大使|司令官|幕僚長|議長|補佐官|"
    r"次官補代理|次官補|次官|審議官|局長|氏|さん|"
    # an office written in full after a surname: ブラウン統合参謀本部議長, パパロ米インド太平洋軍司令官, エマニュエル駐日大使
    r"[\u4e00-\u9fffァ-ヴー]{1,12}?(?:議長|司令官|幕僚長|総監|参謀長|大使|長官))"
)
_EN_TITLE_BEFORE = (
    r"(?P<entitle>President|Vice President|Prime Minister|Secretary(?: of (?:State|Defense|War))?|"
    r"Minister(?: of (?:Defense|Foreign Affairs))?|Defense Minister|Foreign Minister|Ambassador|"
    r"Chief Cabinet Secretary|Admiral|Adm\.|General|Gen\.|Deputy Secretary|Mr\.|Ms\.|Mrs\.|Dr\.)\s+"
)

# Bare titles, resolved through terms of office on the event date. Written with their country
# where the text gives it; a title whose office exists in one country only needs none.
_BARE_TITLES = [
    (re.compile(r"(?:米国?|アメリカ(?:の)?)(?:国防長官|戦争長官)|(?<![\u4e00-\u9fff])国防長官"), "us_secretary_of_defense"),
    (re.compile(r"(?:米国?|アメリカ(?:の)?)?国務長官"), "us_secretary_of_state"),
    (re.compile(r"(?:米国?|アメリカ(?:の)?)大統領"), "us_president"),
    (re.compile(r"(?:日本の)?(?<![\u4e00-\u9fff])(?:防衛大臣|防衛相)"), "jp_minister_of_defense"),
    (re.compile(r"(?:日本の)?(?<![\u4e00-\u9fff])(?:外務大臣|外相)"), "jp_minister_of_foreign_affairs"),
    (re.compile(r"(?:日本の)?(?<![\u4e00-\u9fff])(?:内閣総理大臣|総理大臣|首相)"), "jp_prime_minister"),
    (re.compile(r"(?<!Assistant )(?<!Deputy )(?<!Under )(?<!Principal )(?<!Office of the )\b(?:U\.S\. )?Secretary of (?:Defense|War)\b|\bDefense Secretary\b"), "us_secretary_of_defense"),
    (re.compile(r"(?<!Assistant )(?<!Deputy )(?<!Under )\b(?:U\.S\. )?Secretary of State\b"), "us_secretary_of_state"),
    (re.compile(r"\bJapan(?:ese|'s) (?:Minister of Defense|Defense Minister)\b"), "jp_minister_of_defense"),
    (re.compile(r"\bJapan(?:ese|'s) (?:Minister for Foreign Affairs|Foreign Minister)\b"), "jp_minister_of_foreign_affairs"),
    (re.compile(r"\bJapan(?:ese|'s) Prime Minister\b|\bPrime Minister of Japan\b"), "jp_prime_minister"),
    # "the President" of a US release or story (not "the President of the Philippines")
    (re.compile(r"\b[Tt]he [Pp]resident-elect\b|(?:米国?|アメリカ(?:の)?)次期大統領"), "us_president"),
    (re.compile(r"\b[Tt]he President\b(?! of (?!the United States))|\bU\.S\. President\b(?! [A-Z])"), "us_president"),
]

# searched in every sentence with a trigger: led by their first characters (rules.led_by_first_chars),
# and skipped in a sentence holding none of them (rules.first_chars: the English titles in Japanese)
_BARE_TITLES = [(led_by_first_chars(rx), office_key, first_chars(rx)) for rx, office_key in _BARE_TITLES]

_ELECT = re.compile(r"-elect|次期")
_INCOMING = timedelta(days=90)
_KANJI = r"\u4e00-\u9fff々"
_KATA = r"ァ-ヴー"
_KANJI_CHAR = re.compile(f"[{_KANJI}]")
_KATA_CHAR = re.compile(f"[{_KATA}]")
_KATA_OR_DOT = re.compile(f"[{_KATA}・]")
_KATA_WORD = re.compile(f"[{_KATA}]+")
_ENDS_IN_NAME_CHAR = re.compile(f"[{_KANJI}{_KATA}]$")
_CAPITALS = re.compile(r"\b[A-Z][A-Z'-]{2,}\b")
_TITLE_AFTER = re.compile(_JA_TITLE_AFTER)
_TITLE_BEFORE = re.compile(_EN_TITLE_BEFORE + r"$")


@lru_cache(maxsize=4)
def _patterns(registry: Registry) -> tuple[re.Pattern, dict[str, list[Person]]]:
    """One alternation of every written form, longest first, mapped back to people."""
    forms: dict[str, list[Person]] = {}
    for p in registry.people:
        extra = set()
        if p.country == "JP" and p.name_en and " " in p.name_en:
            # Japanese ministries write romanised names family first ("KAMIKAWA Yoko")
            given, family = p.name_en.rsplit(" ", 1)
            extra.add(f"{family} {given}")
        for form in {p.name_ja, p.name_en, *p.aliases_ja, *p.aliases_en, *extra}:
            if form:
                forms.setdefault(form, []).append(p)
                if "・" in form:
                    forms.setdefault(form.replace("・", ""), []).append(p)
    alts = sorted(forms, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(a) for a in alts))
    return pattern, forms


def _is_full(form: str, people: list[Person]) -> bool:
    return any(form in (p.name_ja, p.name_en, p.name_ja.replace("・", "")) for p in people) or (
        " " in form or "・" in form
    )


def _pick(people: list[Person], title: str | None, on: date | None, registry: Registry) -> Person | None:
    """Several people share a written form (林, 岸, Austin): prefer the one whose office on the date
    matches the title written next to the name, then anyone in office that day."""
    uniq = list({p.person_id: p for p in people}.values())
    if len(uniq) == 1:
        return uniq[0]
    in_office = [p for p in uniq if registry.offices_of(p, on)] if on else []
    if title:
        titled = [
            p for p in (in_office or uniq)
            if any(title in o.titles_ja or title.lower() in (t.lower() for t in o.titles_en) or title in o.title_ja
                   for o in registry.offices_of(p, on if in_office else None))
        ]
        if len(titled) == 1:
            return titled[0]
    if len(in_office) == 1:
        return in_office[0]
    return None


def _office_fields(person: Person, on: date | None, registry: Registry, written: str | None):
    offices = registry.offices_of(person, on) or ([] if on else [])
    if not offices and on is None:
        offices = registry.offices_of(person, None)[-1:]
    if written:
        preferred = [o for o in offices if written in o.titles_ja or written in o.title_ja]
        offices = preferred or offices
    if not offices:
        return None, None
    o = offices[0]
    org = registry.organizations.get(o.organization)
    return o.title_ja, (org.name_ja if org else o.organization)


def find_people(text: str, on: date | None, registry: Registry | None = None, *, bare_titles: bool = True) -> list[Found]:
    """People named in one normalised sentence, without overlaps, in text order."""
    registry = registry or load_registry()
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    # Registry names and aliases; capitals read as names ("SECRETARY AUSTIN:", "KAMIKAWA Yoko"),
    # with the same length so spans still index the sentence
    text = _CAPITALS.sub(lambda m: m.group(0).title(), text)
    pattern, forms = _patterns(registry)
    for m in pattern.finditer(text):
        form = m.group(0)
        a, b = m.span()
        people = forms[form]
        before = text[max(0, a - 1):a]
        after_char = text[b:b + 1]
        is_latin = form[0].isascii()
        if is_latin:
            if (a and text[a - 1].isalpha()) or (after_char and after_char.isalpha()):
                continue
        else:
            # a name inside a longer word (岸 in 岸田, 林 in 森林) is not that name
            if _KANJI_CHAR.match(after_char) and not _TITLE_AFTER.match(text[b:]):
                if not _is_full(form, people):
                    continue
            if _KATA_CHAR.match(after_char) or _KATA_OR_DOT.match(before):
                continue
            if _KANJI_CHAR.match(before) and not _is_full(form, people):
                continue
        title_m = _TITLE_AFTER.match(text[b:]) if not is_latin else None
        en_title_m = _TITLE_BEFORE.search(text[max(0, a - 40):a]) if is_latin else None
        full = _is_full(form, people)
        short_katakana = not is_latin and _KATA_WORD.fullmatch(form) and len(form) >= 4
        if not (full or title_m or en_title_m or short_katakana):
            continue
        written_title = title_m.group("title") if title_m else (
            en_title_m.group("entitle") if en_title_m else None)
        person = _pick(people, written_title, on, registry)
        if person is None:
            continue
        end = b + (title_m.end() if title_m else 0)
        start = a - (len(en_title_m.group(0)) if en_title_m else 0)
        if not free(start, end):
            continue
        title, org = _office_fields(person, on, registry, written_title)
        found.append(Found(start, end, person.person_id, person.name_ja, person.name_en,
                           title or written_title, org, person.country, "registry_name"))
        taken.append((start, end))

    # Bare titles resolved through terms of office
    if on is not None and bare_titles:
        chars = set(text)
        for rx, office_key, firsts in _BARE_TITLES:
            if firsts is not None and firsts.isdisjoint(chars):
                continue
            for m in rx.finditer(text):
                a, b = m.span()
                if not free(a, b):
                    continue
                # a title right after a name belongs to that name (handled above)
                if _ENDS_IN_NAME_CHAR.search(text[max(0, a - 1):a]) and not text[a - 1:a] in "米の":
                    continue
                # "the president-elect", "次期大統領": the one who takes the office in the coming months
                incoming = bool(_ELECT.search(m.group(0)))
                holders = registry.holders(office_key, on + _INCOMING if incoming else on)
                if len(holders) != 1:
                    continue
                person = holders[0]
                if any(f.person_id == person.person_id for f in found):
                    continue
                office = registry.offices.get(office_key)
                org = registry.organizations.get(office.organization) if office else None
                found.append(Found(a, b, person.person_id, person.name_ja, person.name_en,
                                   office.title_ja if office else m.group(0),
                                   org.name_ja if org else None, person.country, "title_on_date"))
                taken.append((a, b))

    # Unregistered people: name + organisation + title, katakana name (English name); English
    # "Deputy Assistant Secretary of Defense for East Asia Jed Royal"
    found.extend(_unregistered(text, registry, free, taken))
    found.extend(_unregistered_en(text, free, taken))
    found.sort(key=lambda f: f.start)
    return found


_OFFICIAL_TITLE = (
    r"[\u4e00-\u9fff・ァ-ヴー()]{0,24}?"
    r"(審議官|次長|局長|部長|課長|参事官|大使|長官|次官補代理|次官補|次官|補佐官|司令官|幕僚長|総監|議長|"
    r"代理|室長|報道官|参謀長|大臣|副大臣|政務官|首席|調整官)"
)
_EN_PAREN = re.compile(
    r"^\s*\((?:The Honorable |Hon\. )?(?:Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Gen\.?|Adm\.?|Lt\. Gen\.?)?\s*"
    r"(?P<en>[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][a-zA-Z'-]+){1,2})\s*[,)]"
)


@lru_cache(maxsize=4)
def _org_pattern(registry: Registry) -> tuple[re.Pattern, dict[str, object]]:
    aliases: dict[str, object] = {}
    for org in registry.organizations.values():
        for a in {org.name_ja, *org.aliases_ja}:
            if a and len(a) >= 2:
                aliases[a] = org
    alt = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(f"(?:{alt})"), aliases


@lru_cache(maxsize=4)
def _unregistered_patterns(registry: Registry) -> tuple[re.Pattern, re.Pattern]:
    org_rx, _ = _org_pattern(registry)
    # 熊谷直樹外務省北米局審議官: a 3–5 kanji name directly before an organisation and a title (a
    # listing may set a space between them: "日本側　深澤雅貴　防衛装備庁長官")
    name_org = re.compile(
        f"(?<![{_KANJI}])(?P<name>[{_KANJI}]{{3,5}}?)\\s?(?P<org>{org_rx.pattern})(?P<title>{_OFFICIAL_TITLE})"
    )
    # アレクサンドラ・ベル国務省…次官補代理(Ms. Alexandra Bell, …): a katakana name with a middle dot,
    # then an organisation or a title
    kata = re.compile(
        f"(?<![{_KATA}・])(?P<name>[{_KATA}]{{2,}}(?:・[{_KATA}]{{1,}}){{1,3}})"
        f"(?P<org>{org_rx.pattern})?(?P<title>{_OFFICIAL_TITLE})"
    )
    return name_org, kata


_COUNTRY_JA = {"韓国": "KR", "フィリピン": "PH", "比": "PH", "オーストラリア": "AU", "豪州": "AU", "豪": "AU",
               "英国": "GB", "英": "GB", "イギリス": "GB", "インド": "IN", "中国": "CN", "カナダ": "CA",
               "フランス": "FR", "ドイツ": "DE", "ニュージーランド": "NZ", "米国": "US", "米": "US", "アメリカ": "US",
               "日本": "JP"}
_COUNTRY_LEAD = re.compile("(" + "|".join(sorted(_COUNTRY_JA, key=len, reverse=True)) + r")(?:軍|政府|側)?の?\s*$")


def _unregistered(text: str, registry: Registry, free, taken) -> list[Found]:
    out: list[Found] = []
    _, org_by_alias = _org_pattern(registry)
    name_org, kata = _unregistered_patterns(registry)   # compiled once: the organisations make them long
    for rx, rule in ((name_org, "name_org_title"), (kata, "katakana_name_title")):
        for m in rx.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            org_text = m.group("org")
            org = org_by_alias.get(org_text) if org_text else None
            title_text = m.group("title")
            country = getattr(org, "country", None)
            if country is None:   # "韓国軍のキム・ミョンス合同参謀本部議長": the country written before
                lead = _COUNTRY_LEAD.search(text, max(0, a - 12), a)
                country = _COUNTRY_JA[lead.group(1)] if lead else None
            if country is None:
                country = "US" if re.match(r"(米|国防|国務)", title_text) or rule.startswith("katakana") else "JP"
            en = None
            pm = None
            rest = text[b:]
            # the English form may follow after a parenthetical of the title, e.g. (核…担当)(Mr. …)
            skip = re.match(r"\s*(\([^()]{0,40}\))?", rest)
            for cand in (rest, rest[skip.end():] if skip else rest):
                pm = _EN_PAREN.match(cand)
                if pm:
                    en = pm.group("en")
                    break
            out.append(Found(a, b, None, m.group("name"), en,
                             ((org_text or "") + title_text) if org_text else title_text,
                             getattr(org, "name_ja", None), country, rule))
            taken.append((a, b))
    return out


# English officials outside the registry: a title, its "of/for …" complement, then the name —
# the last two capitalised words of the run ("… for East Asia Jed Royal said").
_EN_OFFICE_WORD = re.compile(
    r"\b(?:(?:Japan(?:ese|'s)|U\.S\.|American) )?(?:(?:Principal|Senior|Deputy|Assistant|Under|Vice|Acting) )*"
    r"(?:Secretary|Minister|Ambassador|Director[- ]General|Director|Commander|Chief of Staff|Administrator|"
    r"Coordinator|Counselor)\b"   # (not spokespeople: they speak about a meeting, they do not hold it)
)
_EN_RUN = re.compile(r"(?:\s+(?:(?:of|for|to|the|and|on)\b|[A-Z][A-Za-z.&'-]*|[A-Z]\.))*")
# words of offices and organisations, never part of a person's name
_EN_NOT_NAME = {
    "Affairs", "Defense", "Defence", "State", "Japan", "Forces", "Staff", "Bureau", "Security", "Policy",
    "Asia", "Pacific", "Office", "Ministry", "Department", "Command", "Agency", "Council", "Force", "Navy",
    "Army", "Air", "Self-Defense", "Division", "Cabinet", "Foreign", "International", "Affair", "Indo-Pacific",
    "East", "Asian", "American", "North", "South", "Region", "Operations", "Strategy", "Plans", "Acquisition",
    "Sustainment", "Industry", "Programs", "United", "States", "Nations", "Joint", "General", "Director",
    "Secretary", "Minister", "Ambassador", "Commander", "Deputy", "Assistant", "Under", "Vice", "Chief",
    "Marine", "Corps", "Space", "Cyber", "Treasury", "Commerce", "Energy", "Embassy", "House", "White", "The",
}


def _unregistered_en(text: str, free, taken) -> list[Found]:
    out: list[Found] = []
    for m in _EN_OFFICE_WORD.finditer(text):
        end = _EN_RUN.match(text, m.end()).end()
        nxt = _EN_OFFICE_WORD.search(text, m.end(), end)     # "… Masami Oka and Principal Deputy …"
        end = nxt.start() if nxt else end
        words = list(re.finditer(r"[A-Z][A-Za-z'-]+|[A-Z]\.", text[m.end():end]))
        if len(words) < 2:
            continue
        last = words[-1]
        first = words[-2]
        middle = None
        if first.group(0).endswith(".") and len(words) >= 3:       # "Kurt M. Campbell"
            middle, first = first, words[-3]
        names = [first.group(0), last.group(0)]
        if any(w in _EN_NOT_NAME or w.endswith(".") for w in names):
            continue
        a, b = m.end() + first.start(), m.end() + last.end()
        between = text[m.end():a]
        if not free(m.start(), b) or re.search(r"\b(and|said|told)\b", text[a:b]):
            continue
        title = (m.group(0) + between).strip()
        lead = m.group(0)
        country = ("JP" if re.match(r"Japan", lead) or re.search(r"\bof Japan\b", title) else
                   "US" if re.match(r"U\.S\.|American", lead) or re.search(r"\bof the United States\b", title) else None)
        out.append(Found(m.start(), b, None, None, text[a:b], title, None, country, "english_title_name"))
        taken.append((m.start(), b))
    return out
