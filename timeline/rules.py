"""Rules as data for the extractor: event triggers, background cues, status and medium cues,
outcome predicates. Each comment gives the linguistic reason for the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable

from models import EventType, Medium, OutcomeKind, Status

__all__ = [
    "Trigger", "TRIGGERS", "BACKGROUND_BEFORE", "BACKGROUND_AFTER", "EVENT_VERB", "ANAPHOR",
    "PLANNED", "CANCELLED", "MEDIUM_CUES", "OUTCOME_KINDS", "ANY_OUTCOME", "DOC_DATE_SENTENCE",
    "ANY_OUTCOME_LOWERED", "OUTCOME_KINDS_LOWERED", "lowered_for_ascii", "LOWERED", "literal_heads", "contains_any", "longest_word",
    "OUTCOME_HEADS", "LOCATION",
    "led_by_first_chars", "first_chars", "EXERCISE_NAMES", "EXERCISES",
]


@dataclass(frozen=True)
class Trigger:
    name: str
    pattern: re.Pattern
    event_type: EventType | None      # None: decided by who takes part
    series: str | None = None
    medium: Medium | None = None
    needs_people: bool = False        # a generic word (会談, "met with") only counts with people
    lowered: re.Pattern | None = None   # for an ASCII sentence, over its lowered text (lowered_for_ascii)
    firsts: frozenset[str] | None = None  # the characters a match starts with (first_chars), None: unclear


def _t(name, rx, event_type, series=None, medium=None, needs_people=False, flags=0):
    return Trigger(name, re.compile(rx, flags), event_type, series, medium, needs_people)


E = EventType


def _exercises() -> list[tuple[str, str]]:
    """(written name, exercise id) for every name in seeds/reference/exercises.yaml."""
    import yaml
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "seeds" / "reference" / "exercises.yaml"
    return [(n, e["id"]) for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []
            for n in (e.get("names_ja") or []) + (e.get("names_en") or [])]


EXERCISES = _exercises()
# the names as one alternation, longest first (a middle dot or space written or not)
EXERCISE_NAMES = "|".join(re.sub(r"\\ |・", "[ ・]?", re.escape(n))
                          for n in sorted({n for n, _ in EXERCISES}, key=lambda n: (-len(n), n)))
_NOT_MULTI_EN = r"(?<!G7 )(?<!G20 )(?<!NATO )(?<!ASEAN )(?<!Quad )(?<!Seven )(?<!EU )"
_MEETING_NOUN_EN = r"(Telephone |Phone |Video |Virtual |Online )?(Meeting|Talks?|Call)\b"
# Specific names of meeting series come first; a generic word matches only where no specific
# trigger already covers the text.
TRIGGERS: list[Trigger] = [
    _t("ssc_2plus2", r"(日米)?安全保障協議委員会(\((日米)?「?2\+2」?\))?|(日米)?「?2\s?\+\s?2」?(閣僚会合)?|"
       r"(日米)?2プラス2|ツープラスツー", E.ministerial_2plus2, "ssc"),
    _t("ssc_2plus2_en", r"Security Consultative Committee( \(\"?2\+2\"?\))?|\b2\+2\b|two-plus-two",
       E.ministerial_2plus2, "ssc", flags=re.I),
    _t("ext_deterrence_ministerial", r"(初の)?拡大抑止に関する閣僚会合|Extended Deterrence Ministerial",
       E.other, "edm", flags=re.I),
    _t("edd", r"(日米)?拡大抑止協議(\(EDD\))?|\bEDD\b|Extended Deterrence Dialogue( \(EDD\))?",
       E.working_level_dialogue, "edd"),
    _t("dicas", r"(日米)?防衛産業協力・取得・維持整備定期協議(\(DICAS\))?|\(?DICAS\)?|"
       r"Defense Industrial Cooperation, Acquisition,? and Sustainment( \(DICAS\))?",
       E.working_level_dialogue, "dicas"),
    _t("working_group", r"(ワーキンググループ|作業部会)(\([A-Z-]+\))?の(第[一二三四五六七八九十\d]+回|初)?会合|"
       r"\b[Ww]orking [Gg]roup\b[^.]{0,40}\bmeeting", E.working_level_dialogue, "wg"),
    # a multilateral summit (G7, NATO, APEC) is not a Japan–US event; "The summit" points back
    _t("summit", r"(日米)?首脳(電話|テレビ)?(会談|会合)|(?<!The )(?<!the )(?<!This )(?<!this )(?<!G7 )(?<!G20 )(?<!NATO )"
       r"(?<!APEC )(?<!ASEAN )(?<!Seven )(?<!Group of 20 )(?<!Cooperation )(?<!East Asia )(?<!Quad )(?<!EU )(?<!Islands )\bsummit\b"
       # "a summit of Southeast Asian leaders", "the summit of the Group of Seven"
       r"(?! (of|with) (the )?(Southeast Asian|ASEAN|Asia-Pacific|APEC|G7|G20|Group of|NATO|European|EU|Pacific|Quad|BRICS)\b)|leaders' meeting", E.summit, None, flags=re.I),
    _t("defense_ministers", r"(日米)?(防衛相|防衛大臣|国防相)(電話|テレビ)?(会談|会合)|日米防衛トップ",
       E.defense_ministers_meeting),
    _t("foreign_ministers", r"(日米)?(外相|外務大臣)(電話|テレビ)?(会談|会合)", E.foreign_ministers_meeting),
    # an English page title names the format: "Japan-U.S. Foreign Ministers' Telephone Talk",
    # "Japan-U.S. Defense Ministers' Meeting" (not a G7 or Quad gathering of foreign ministers)
    _t("foreign_ministers_en", _NOT_MULTI_EN + r"\bForeign Ministers['’]? " + _MEETING_NOUN_EN, E.foreign_ministers_meeting),
    _t("defense_ministers_en", _NOT_MULTI_EN + r"\bDefen[cs]e (Ministers['’]? " + _MEETING_NOUN_EN + r"|Ministerial Meeting\b)",
       E.defense_ministers_meeting),
    # news Japanese names the pair for their meeting: "日米防衛相は30日、…で一致した",
    # "日米首脳は電話で…を確認した" (the extractor requires an agreement predicate in the sentence)
    _t("pair_agreed_ja", r"日米(首脳|外相|防衛相|国防相)(?=(は|が|、|ら|とも))", None),
    _t("courtesy_call", r"表敬(訪問)?を受け|表敬(訪問)?|courtesy call", E.visit),
    _t("visit_ja", r"(公式)?(訪日|訪米|来日|訪問)", E.visit, needs_people=True),
    # a leg of a tour: "a May 22 stop in Port Moresby"
    _t("visit_en", r"\b(visited|visits|visiting|visit to|paid a (courtesy )?call on|trip to|stop(over)? in)\b", E.visit,
       needs_people=True),
    _t("exercise_ja", r"(日米)?(共同)?(統合)?(指揮所)?(演習|訓練)「[^」]{2,20}」|「[^」]{2,20}」(演習|訓練)",
       E.exercise),
    _t("exercise_en", r"\bExercise [A-Z][a-z]+( [A-Z][a-z]+)?( \d{2,4})?\b", E.exercise),
    # a known exercise by its name alone ("Keen Sword 25", "キーン・ソード25", "Orient Shield began …"):
    # an edition (its number) or a start or end, not the series ("the Keen Sword series")
    _t("exercise_named", rf"(?<![A-Za-z])({EXERCISE_NAMES})(\s?(\d{{2,4}})(?![\d/年月日])|"
       r"(?=[^.。]{0,12}(began|begins|started|starts|opened|opens|kicked off|concluded|ended|wrapped up|"
       r"got under ?way|gets under ?way|got going|gets going|got started|kicks off|is under ?way|runs through|ran from|"
       r"was held|were held|will be held|が始ま|が開始|が終了|を開始|を実施|が行われ)))",
       E.exercise),
    _t("document_ja", r"(拡大抑止に関する)?(ガイドライン|共同声明|共同発表|共同文書|ファクトシート|指針)",
       E.document_release),
    _t("document_en", r"\b(joint statement|joint readout|guidelines|fact sheet)\b", E.document_release, flags=re.I),
    _t("meeting_ja", r"(電話|テレビ|ビデオ|オンライン|対面)?会談|(電話|テレビ)会議", None, needs_people=True),
    _t("meeting_en", r"\b((hold|holds|held|holding) (their |a |the |my |his |her |our )?(first )?(face-to-face |in-person |bilateral |summit |phone |telephone |video )?((foreign|defen[cs]e) ministers['’] )?(talks?|meeting|conversation)|met|meets|(?<!The )(?<!the )(?<!This )(?<!this )(?<!to )(?<!of )(?<!about )meeting (?=with|between)|will meet|to meet|talks with|held a (phone |video |virtual )?(call|meeting)|"
       r"spoke (by phone|with)|(phone|telephone|video) (call|talks?|conversation)|"
       # "President Joe Biden received Fumio Kishida, Japan's prime minister, at the White House"
       r"received(?= (President|Prime Minister|Minister|Secretary|Japanese|U\.S\.|[A-Z][a-z]+ [A-Z][a-z]+,? (Japan|the|at|in)\b))|"
       # "used their first face-to-face meeting to send Beijing a message"
       r"their (first )?(face-to-face|in-person) (meeting|talks)|"
       # "were joined by … for a four-way meeting", "a trilateral session"
       r"(three|four|five)-way (meeting|talks|session|summit)|(bilateral|trilateral|quadrilateral) (meeting|talks|session)|call with|hosted|sit-down with|s[ai]t down(?:(?: on| last| this)? [A-Z][a-z]+day)? with|"
       # "President Biden welcomed Prime Minister Kishida to the White House": a host receiving a
       # counterpart (not "welcomed the decision", which is an outcome)
       # a sentence opening on the meeting itself: "Meeting in the Oval Office, the two leaders …"
       r"^Meeting(?= (in|at|on|with) )|"
       # a transcript's host: "I am very glad to welcome Secretary Austin here"; "This morning we talked for an hour"
       r"\b(?:we|they) (?:talked|met)(?= (for|this|today|on|in|at|earlier|yesterday)\b)|"
       r"(?:welcomed|welcome)(?= (President|Prime Minister|Foreign Minister|Defense Minister|Minister|Secretary|Japanese|U\.S\.)\b)"
       # (not "welcomed Prime Minister Kishida's determination": what he brought, an outcome)
       r"(?! (?:[A-Z][\w.-]*,? ){1,5}?[A-Z][\w.-]*['’]s\b))\b",
       None, needs_people=True, flags=re.I),
    # A wire lede names the meeting by what its principals did there: "Japanese Defense Minister
    # Gen Nakatani and U.S. Defense Secretary Pete Hegseth agreed Sunday to …". It counts only
    # with a Japanese and a US counterpart written before the verb, and only in a sentence that
    # names no meeting of its own (the extractor checks both).
    _t("joint_action_en", r"\b(agreed|agree|affirmed|affirm|reaffirmed|reaffirm|vowed|vow|pledged|pledge|signed)\b", None,
       needs_people=True),
]

# A series named as the basis or background of something else, not as an instance of it:
# "これまでの日米拡大抑止協議にもとづいた", "EDDを通じて蓄積された", "2010年にEDDを設立".
# (a meeting held at a frequency is the series, not an instance: "少なくとも年1回、首脳会談を開催する",
# "agreed to hold a trilateral summit every year")
BACKGROUND_BEFORE = re.compile(r"(これまでの|過去の|歴代の|定期的な|定期的に|毎年の|毎年、?|年[1-9一二三]回(程度)?(の|、)?|主に|以降、|以来、|年以降|年以来|"
                               r"\b[Ss]ince (we|they|the two( leaders| ministers)?) |"
                               # "Austin last met Kihara's predecessor …", "had met": an earlier meeting
                               r"\b(last|previously|had|had last|has|have|has regularly|have regularly) )$")
BACKGROUND_AFTER = re.compile(
    r"^[※\s]*(に(もと|基)づ|を通じ|を踏まえ|をめぐって|の(活動|枠組み|場|下で|設立|創設|立ち上げ|定期)|を(設立|創設|立ち上げ)|"
    r"において定期的|は、?EDDにおいて|が(設立|創設)|以来|以降|を重ね|を定期的|を毎年|のような|のように|等の|など|"
    r"の(内容|全文|概要)は|を参考|,? (which was |was )?(established|founded|set up|created|launched) in \d{4}|"
    r"(was|were) (established|founded|set up) in|(started|began|was launched|was first held) in (19|20)\d\d\b|,? which (has|have) (met|been held|convened)|とは|"
    r"(every|each) (year|other year|two years|spring|summer|autumn|fall|winter)\b|annually\b|on a regular basis\b|"
    r"series\b|シリーズ)"
)
# Verbs that say an event took place (or will): a trigger followed by one of these is the
# sentence's own event, not a passing reference.
EVENT_VERB = re.compile(
    r"(を|が|は)?[^。、]{0,25}?(実施|開催|行[いっわうえ]|開[かき]|会談し|訪問し|訪れ|出席|参加|予定|迎え|"
    r"held|met|hosted|took place|convened|spoke|will)"
)
# Words that point back to an event already introduced.
ANAPHOR = re.compile(
    r"^([^、。]{1,14}によりますと、|[^、。]{1,10}によると、)?(また、|さらに、|そして、|なお、|その上で、)?(今回の|この|同|当該|本)?"
    r"(会談|協議|会合|訪問|電話会談|首脳会談)(で|は|に|では|において)|"
    r"^(また、|さらに、|そして、)?(両氏|両者|両首脳|両大臣|両外相|両防衛相|両国防相|両長官|両閣僚|四閣僚|双方|日米双方|両代表団|両国|両政府|"
    r"米側|日本側)(は|も|とも|から)|"
    r"^(The (two )?(leaders|ministers|secretaries|sides|officials|delegations)|Both (sides|ministers|leaders|secretaries)|They|"
    r"The (Secretary|Minister) (also )?|(Secretary|Minister|President|Prime Minister) [A-Z][a-z]+ and (Secretary|Minister|President|Prime Minister) [A-Z][a-z]+)"
)
ANAPHOR_NOUN = re.compile(r"(会談|協議|会合|訪問)")

PLANNED = re.compile(
    r"予定|する方針(だ|です|を固め)?[。]?$|見通し|調整中|調整している|検討している|へ[。!]?$|する[。!]?$|します[。!]?$|集まる[。!]?$|"
    r"\bwill\b|\bis scheduled\b|\bplans? to\b|\bupcoming\b|\bis expected to\b|\bto host\b", re.I
)
CANCELLED = re.compile(r"中止|延期|見送|取りやめ|取り止め|\bcancel(l?ed|lation)?\b|\bpostpone[ds]?\b|\bcalled off\b|"
                       r"\bscrapped\b|\bwould not go ahead\b|\bwill not go ahead\b", re.I)

MEDIUM_CUES = [
    (re.compile(r"電話|phone|telephone|call with|held a call|by call", re.I), Medium.phone),
    (re.compile(r"テレビ会議|テレビ会談|ビデオ会議|オンライン|video|virtual|videoconference", re.I), Medium.video),
    (re.compile(r"対面|訪問|訪日|訪米|来日|において|にて|in person|in-person|face-to-face|visited|hosted|welcomed|\b(at|to) the White House|\bhere at\b|Oval Office|\bstop(over)? in\b|\bin (Tokyo|Washington)|at the (Pentagon|Ministry of Defense|Defense Ministry|Foreign Ministry|Ministry of Foreign Affairs|State Department)|[\u4e00-\u9fffァ-ヴー]{2,8}で(会談|会い|面会)", re.I), Medium.in_person),
]

# Outcome predicates, strongest signal first: an outcome's kind is the first rule that matches
# the clause's predicate. "改めて確認" is a reaffirmation, not a plain confirmation.
OUTCOME_KINDS: list[tuple[OutcomeKind, re.Pattern]] = [
    (OutcomeKind.reaffirmed, re.compile(r"改めて(表明|確認|示|強調|明言)|再確認|再表明|再度確認|\breaffirm|\breiterat|\brecommit|\brenewed|\brestated|"
                                         r"\brepeated (that|its|his|her|their|the|Washington's|America's)\b", re.I)),
    (OutcomeKind.agreed, re.compile(r"一致|合意|申し合わせ|\bagreed\b|\bconcurred\b|\bagree to\b", re.I)),
    (OutcomeKind.condemned, re.compile(r"非難|\bcondemn|\bdenounc|\bdeplor|\bcritici[sz]ed\b", re.I)),
    (OutcomeKind.concerned, re.compile(r"懸念|\bconcern", re.I)),
    (OutcomeKind.welcomed, re.compile(r"歓迎|\bwelcom", re.I)),
    (OutcomeKind.decided, re.compile(r"決定|決め(た|る|ました)|\bdecided\b|\bdecision to\b", re.I)),
    (OutcomeKind.confirmed, re.compile(r"確認|確かめ合|明言|\bconfirm|\baffirm(ed|s)?\b", re.I)),
    # 方針が示された / 打ち出された: a plan made public at the meeting; "launched" a partnership
    (OutcomeKind.announced, re.compile(r"発表|発出|公表|作成|策定|方針(が|を)(示|打ち出)|打ち出|\bannounc|\bissued\b|"
                                       r"\breleased\b|\bunveil|\badopted\b|\blaunched\b", re.I)),
    (OutcomeKind.other, re.compile(
        r"強調|議論|共有|評価|視察|要請|伝え|表明|説明|応じ|期待|発言|求め|申し入れ|コミット|探求|取り扱|強化する|"
        # what one side said or got at the meeting: 支持を得た, 考えを伝えた, 認識を示した, 明記した,
        # 盛り込まれた, 答えた; "told", "explained", "supported", "called for"
        r"支持|明記|盛り込|認識を示|考えを示|答え|反対|促し|促す|指示|"
        r"実施しました|\btold\b|\btell\b|\bexplained\b|\boppose[sd]?\b|\bsupport(ed|s)\b|\bcalled (for|on)\b|\bemphasi[sz]|\bunderscor|\bhighlight|\bstress|\bdiscuss|\bnoted\b|\bshared\b|\bcommitted\b|"
        r"\bpledged\b|\bexpressed\b|\bexchanged views\b|\bcondolences\b|署名|\bsigned\b|"
        # "praised Tokyo's plan", "urged a peaceful resolution", "directed their ministers to",
        # "offered backing", "outlined Tokyo's work", "accepted the invitation", "endorsed principles"
        r"\bpraised\b|\burged\b|\bdirected (their|the|his|her)\b|\binstructed\b|\boffered (his |her |their |its )?(backing|support|condolences)\b|"
        r"\boutlined\b|\baccepted the invitation\b|\bendorsed\b|\bvowed\b|\bunderlined\b", re.I)),
]

# "防衛省は令和6(2024)年12月12日(木)20時30分、…を発表した": the date of the release itself,
# which is the reference for 同日/本日 in what follows.
DOC_DATE_SENTENCE = re.compile(r"(発表|公表|公開|明らかに|発出|announced|released)")

# Where a meeting took place: "東京において", "外務省において", "ワシントンで開催", "at the Pentagon".
LOCATION = [
    re.compile(r"(?P<loc>[\u4e00-\u9fffァ-ヴー]{2,10}?)(?:において|にて|で開催|で行われ|で実施|で会談)"),
    re.compile(r"\b(?:in|at) (?P<loc>the Pentagon|the State Department|the White House|Tokyo|Washington(?:, D\.C\.)?|"
               r"Yokosuka|Okinawa|Honolulu|Manila|Singapore|Camp David)\b"),
]
_ = Status


# ---------------------------------------------------------------------------------------------
# Speed: lead a pattern by its first characters
# ---------------------------------------------------------------------------------------------

# pattern led by its first characters → the pattern as written (tests/test_rules.py compares them)
LED: dict[re.Pattern, re.Pattern] = {}
_NOT_LITERAL = set("\\[](){}.^$|?*+")


def _skip_class(pattern: str, i: int) -> int:
    """The index after the class that opens at pattern[i] ("[]…]" and "[^]…]" hold a literal "]")."""
    i += 1
    i += pattern[i:i + 1] == "^"
    i += pattern[i:i + 1] == "]"
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _group_end(pattern: str, i: int) -> int:
    """The index after the group that opens at pattern[i]."""
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _skip_class(pattern, i)
            continue
        depth += ch == "("
        depth -= ch == ")"
        i += 1
        if depth == 0:
            return i
    raise ValueError("unbalanced group")


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (its "|" outside groups and classes)."""
    out, start, i = [], 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
        elif ch == "[":
            i = _skip_class(pattern, i)
        elif ch == "(":
            i = _group_end(pattern, i)
        else:
            if ch == "|":
                out.append(pattern[start:i])
                start = i + 1
            i += 1
    out.append(pattern[start:])
    return out


def _first(pattern: str) -> tuple[set[str], bool] | None:
    """(the characters a match can start with, whether a match can be empty), or None when a
    construct makes that unclear (negated classes and ranges, ".", escapes such as \\d, counted
    repeats, flags)."""
    firsts: set[str] = set()
    for alt in _alternatives(pattern):
        got = _first_in_sequence(alt)
        if got is None:
            return None
        firsts |= got[0]
        if got[1]:
            return firsts, True
    return firsts, False


def _first_in_sequence(seq: str) -> tuple[set[str], bool] | None:
    firsts: set[str] = set()
    i = 0
    while i < len(seq):
        ch = seq[i]
        if ch in "^$" or seq.startswith(("\\b", "\\B", "\\A", "\\Z"), i):
            i += 1 if ch in "^$" else 2     # assertions match no character: look further
            continue
        if seq.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = _group_end(seq, i)
            continue
        if ch == "(":
            end = _group_end(seq, i)
            if seq.startswith("(?", i) and not seq.startswith(("(?:", "(?P<"), i):
                return None                 # inline flags, back references, comments
            inner = seq[seq.index(":", i) + 1 if seq.startswith("(?:", i) else
                        seq.index(">", i) + 1 if seq.startswith("(?P<", i) else i + 1:end - 1]
            got = _first(inner)
            if got is None:
                return None
            atom, empty = got
        elif ch == "\\":
            if seq[i + 1:i + 2].isalnum() or not seq[i + 1:i + 2]:
                return None                 # \\d, \\s, \\w, \\n, back references …
            atom, empty, end = {seq[i + 1]}, False, i + 2
        elif ch == "[":
            end = _skip_class(seq, i)
            body = seq[i + 1:end - 1]
            if not body or body[0] == "^" or any(c in body for c in "\\-["):
                return None                 # a negated class, a range, an escape
            atom, empty = set(body), False  # a class of characters as written ("[Ww]")
        elif ch in _NOT_LITERAL:
            return None                     # ".", or a quantifier out of place
        else:
            atom, empty, end = {ch}, False, i + 1
        quantifier = seq[end:end + 1]
        if quantifier == "{":
            return None
        if quantifier in ("?", "*"):
            empty = True
        if quantifier in ("?", "*", "+"):
            end += 1 + (seq[end + 1:end + 2] in ("?", "+"))   # lazy or possessive
        firsts |= atom
        if not empty:
            return firsts, False
        i = end
    return firsts, True


# the characters other than A-Z and a-z that IGNORECASE matches to an ASCII letter
# (tests/test_rules.py: test_ignorecase_class_matches_what_the_letter_matches)
_FOLDS_TO_ASCII = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}


def _plain_firsts(rx: re.Pattern):
    """The characters (as written) a match of rx starts with, or None when unclear: a verbose
    pattern, one _first cannot read, one that can match empty or opens without a clear set."""
    if rx.flags & re.VERBOSE:
        return None
    try:
        got = _first(rx.pattern)
    except ValueError:
        return None
    if got is None or got[1] or not got[0]:
        return None
    return got[0]


def first_chars(rx: re.Pattern) -> frozenset[str] | None:
    """Every character a match of rx can start with (under IGNORECASE, every case of them), or
    None when unclear (see _first; also a cased non-ASCII first character under IGNORECASE): a
    text holding none of them holds no match, so a loop over many patterns may skip rx there."""
    firsts = _plain_firsts(rx)
    if firsts is None:
        return None
    chars = set(firsts)
    if rx.flags & re.IGNORECASE:
        for c in firsts:
            if not c.isascii() and (c.lower() != c or c.upper() != c):
                return None
            chars |= {c.lower(), c.upper()} | set(_FOLDS_TO_ASCII.get(c.lower(), ""))
    return frozenset(chars)


def led_by_first_chars(rx: re.Pattern) -> re.Pattern:
    """The same pattern behind a lookahead on the characters its matches can start with.

    Python's engine skips straight to the possible first characters of a plain alternation of
    words, but not under IGNORECASE, nor when the words open with an optional group ("(日米)?"),
    nor after a lookbehind: there it tries every alternative at every character, and the trigger
    words, triggers and outcome predicates are searched in every sentence. The lookahead, a
    class of the possible first characters under the same flags, brings the skip back and
    changes no match, since every match starts with one of those characters. A pattern whose
    first characters are unclear (one opening with a negated class or a range, ".", \\d or a
    counted repeat, or one that can match empty) is returned as it is.
    """
    firsts = _plain_firsts(rx)
    if firsts is None:
        return rx
    led = re.compile(f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}])(?:{rx.pattern})", rx.flags)
    LED[led] = rx
    return led


TRIGGERS = [replace(t, pattern=led_by_first_chars(t.pattern), firsts=first_chars(t.pattern)) for t in TRIGGERS]
PLANNED = led_by_first_chars(PLANNED)
CANCELLED = led_by_first_chars(CANCELLED)
MEDIUM_CUES = [(led_by_first_chars(rx), medium) for rx, medium in MEDIUM_CUES]
OUTCOME_KINDS = [(kind, led_by_first_chars(rx)) for kind, rx in OUTCOME_KINDS]
# Whether a clause holds any outcome predicate, in one search: most clauses hold none, and then
# the kinds need not be tried one by one (all are IGNORECASE, so one pattern can hold them all)
assert len({rx.flags for _, rx in OUTCOME_KINDS}) == 1
ANY_OUTCOME = led_by_first_chars(re.compile("|".join(f"(?:{rx.pattern})" for _, rx in OUTCOME_KINDS),
                                            OUTCOME_KINDS[0][1].flags))


# ---------------------------------------------------------------------------------------------
# Speed: an IGNORECASE pattern over ASCII text
# ---------------------------------------------------------------------------------------------

# lowered pattern → the IGNORECASE pattern it stands for (tests/test_rules.py compares them)
LOWERED: dict[re.Pattern, re.Pattern] = {}
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _lowered_class(pattern: str, i: int) -> tuple[str, int] | None:
    """The class that opens at pattern[i] with its letters lowered, and the index after it; None
    for a range that holds letters of one case but not the other ("[!-Z]", "[A-z]")."""
    end = _skip_class(pattern, i)
    body = pattern[i:end]
    items = re.findall(r"\\.|[^\\]", body[1:-1])
    for k in range(1, len(items) - 1):
        if items[k] != "-":
            continue
        if any(len(x) == 2 and x[1].isalnum() for x in (items[k - 1], items[k + 1])):
            return None   # a range from or to a numbered escape ("\\x41-Z")
        if len(items[k - 1]) == len(items[k + 1]) == 1:
            lo, hi = items[k - 1], items[k + 1]
            same_case = (lo.isascii() and hi.isascii() and
                         (lo.isupper() and hi.isupper() or lo.islower() and hi.islower()))
            if not same_case and any(chr(c) in _ASCII_LETTERS for c in range(ord(lo), ord(hi) + 1)):
                return None
    return _lower_outside_escapes(body), end


def _lower_outside_escapes(text: str) -> str:
    return "".join(piece if piece.startswith("\\") else piece.lower() if piece in _ASCII_LETTERS else piece
                   for piece in re.findall(r"\\.|.", text, re.S))


def lowered_for_ascii(rx: re.Pattern) -> re.Pattern | None:
    """The IGNORECASE pattern ``rx`` made case-sensitive over lowered text: in an ASCII text ``t``,
    ``low.finditer(t.lower())`` finds the matches of ``rx.finditer(t)`` at the same offsets (lowering
    ASCII moves no character, and there IGNORECASE pairs only A-Z with a-z), though a match's
    text is the lowered one. Python's engine enters every alternative of an IGNORECASE
    alternation at every position its first characters allow; case-sensitive, it tests each
    alternative's first letter before entering it (English sentences: 4–5× faster).

    None when ``rx`` is not IGNORECASE or holds what lowering could change: inline flags, named
    groups, escapes other than class escapes (\\b \\d \\s \\w and their opposites) and punctuation,
    a class range holding letters of one case only, or a character IGNORECASE folds to an ASCII
    letter (ſ, K, İ, ı).
    """
    if not rx.flags & re.IGNORECASE or rx.flags & re.VERBOSE:
        return None
    p = rx.pattern
    if re.search(r"\(\?[aiLmsux-]|\(\?P", p):
        return None
    if any(not c.isascii() and re.fullmatch("[a-z]", c, re.I) for c in set(p)):
        return None
    out: list[str] = []
    i = 0
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            nxt = p[i + 1:i + 2]
            if nxt.isalnum() and nxt not in "bBdDsSwW":
                return None
            out.append(p[i:i + 2])
            i += 2
        elif ch == "[":
            got = _lowered_class(p, i)
            if got is None:
                return None
            out.append(got[0])
            i = got[1]
        else:
            out.append(ch.lower() if ch in _ASCII_LETTERS else ch)
            i += 1
    low = re.compile("".join(out), rx.flags & ~re.IGNORECASE)
    LOWERED[low] = rx
    return low


TRIGGERS = [replace(t, lowered=lowered_for_ascii(t.pattern)) for t in TRIGGERS]
ANY_OUTCOME_LOWERED = lowered_for_ascii(ANY_OUTCOME)
OUTCOME_KINDS_LOWERED: list[tuple[OutcomeKind, re.Pattern]] | None = [
    (kind, lowered_for_ascii(rx)) for kind, rx in OUTCOME_KINDS]
if ANY_OUTCOME_LOWERED is None or not all(rx for _, rx in OUTCOME_KINDS_LOWERED):
    ANY_OUTCOME_LOWERED = OUTCOME_KINDS_LOWERED = None   # a predicate lowering could change: read as written



# ---------------------------------------------------------------------------------------------
# Speed: what every match starts with, as one test of a text
# ---------------------------------------------------------------------------------------------

_QUANTIFIERS = set("?*{")


def literal_heads(rx: re.Pattern) -> tuple[str, ...] | None:
    """For each top-level alternative of rx, the literal text each of its matches starts with
    (lowered under IGNORECASE; word boundaries and lookbehinds in front skipped, as they match no
    character), or None when an alternative starts otherwise (a class, a group, an escape such
    as \\d, an optional character). A text none of whose pieces holds one of the heads holds
    no match of rx in any piece (a clause, a clause's tail)."""
    if rx.flags & re.VERBOSE:
        return None
    heads = []
    for alt in _alternatives(LED.get(rx, rx).pattern):
        i, head = 0, ""
        while alt.startswith(("\\b", "(?<!", "(?<="), i):
            i = i + 2 if alt.startswith("\\b", i) else _group_end(alt, i)
        while i < len(alt):
            ch = alt[i]
            if ch == "\\":
                if alt[i + 1:i + 2].isalnum() or not alt[i + 1:i + 2]:
                    break                     # \\b, \\d, \\s …: no literal character
                ch, step = alt[i + 1], 2
            elif ch in _NOT_LITERAL:
                break
            else:
                step = 1
            if alt[i + step:i + step + 1] in _QUANTIFIERS:
                break                         # an optional or counted character ends the head
            head += ch
            i += step
        if not head:
            return None
        heads.append(head.lower() if rx.flags & re.IGNORECASE else head)
    return tuple(heads)


def _trie(words: Iterable[str]) -> dict:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def longest_word(words: Iterable[str]) -> str:
    """A pattern matching, where any of the words starts, the longest of them (what an
    alternation of the words sorted longest first matches), written as a trie: the engine
    tests one alternative per character instead of every word in turn."""
    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body   # (greedy: a longer word first)

    return emit(_trie(words))


def contains_any(words: Iterable[str]) -> re.Pattern:
    """One case-sensitive pattern finding whether a text contains any of the words: a trie of
    them, so the engine tests one alternative per character where an alternation of the words
    would try each word (a word that another one starts with is enough for both)."""
    def emit(node: dict) -> str:
        if "" in node:
            return ""
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return re.compile(emit(_trie(words)))


# The outcome predicates' heads ("reaffirm", "agreed", "一致", "改めて" …): a sentence holding
# none of them has no clause ending in an outcome (_outcome_clauses, _kind). An ASCII text is
# searched lowered for the ASCII heads; any other text with the heads under IGNORECASE.
# (None when a predicate starts otherwise than with literal text: then any text may hold one)
_HEADS = [literal_heads(rx) for _, rx in OUTCOME_KINDS]
OUTCOME_HEADS = None if None in _HEADS else tuple(sorted({h for heads in _HEADS for h in heads}))
OUTCOME_HEADS_ASCII = contains_any(h for h in OUTCOME_HEADS if h.isascii()) if OUTCOME_HEADS else None
OUTCOME_HEADS_ANY = led_by_first_chars(re.compile("|".join(re.escape(h) for h in OUTCOME_HEADS), re.I)) \
    if OUTCOME_HEADS else None
