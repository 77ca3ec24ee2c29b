"""Dates, times and durations in Japanese and English news text, with offsets.

Why not dateparser?  Measured on this corpus it reads 令和6年12月27日 as
1927-06-12, takes 約1時間20分 for "ago", needs spaces between Japanese date
parts, and ``search_dates`` over a whole article is slow.  So the Japanese side
is a set of regex rules written here; the English side uses regexes too (the
forms news uses are few and regular).  dateparser is not used at all.

Design
------
* Rules are data: module-level lists of :class:`Rule` (name, compiled pattern,
  parse function).  Every rule runs over the text with ``finditer``; each match
  is parsed into a candidate (or rejected by returning ``None``); overlapping
  candidates are resolved by keeping the longest first (ties: the earlier one,
  then the earlier rule in the list).
* Speed (> 1 MB/s was the target): a cheap "gate" regex finds the places
  where a date/time/duration can be (a number before 年/月/日, a month name …)
  and the rules only scan windows around them; each rule also starts with a
  lookahead on its possible first characters.  About 4 MB/s for Japanese dates
  on date-dense text, far more for times and durations.
* The text is expected to be NFKC-normalised already (ASCII digits and
  parentheses, ``~`` for the full-width tilde; ``〜`` may remain).  Offsets index
  into the string given.
* Kanji numerals (十二月二十七日, 令和六年, 二〇二四年) and 元年 are understood.
* Anything that needs a reference date (month-day without a year, a bare day,
  本日/昨日/today…) is skipped when ``reference`` is ``None``.

Public API: :func:`find_dates`, :func:`find_times`, :func:`find_durations`,
:func:`parse_timestamp` and the result dataclasses.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, NamedTuple
from zoneinfo import ZoneInfo

__all__ = [
    "DateMatch",
    "TimeMatch",
    "DurationMatch",
    "find_dates",
    "find_times",
    "find_durations",
    "parse_timestamp",
    "JST",
]

JST = ZoneInfo("Asia/Tokyo")


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    start_date: date
    end_date: date
    precision: str  # "day" | "month" | "year"
    start_time: time | None = None
    end_time: time | None = None
    explicit_year: bool = True
    rule: str = ""


@dataclass(frozen=True)
class TimeMatch:
    start: int
    end: int
    text: str
    start_time: time
    end_time: time | None
    rule: str


@dataclass(frozen=True)
class DurationMatch:
    start: int
    end: int
    text: str
    minutes: int
    rule: str


class Rule(NamedTuple):
    name: str
    pattern: re.Pattern[str]
    parse: Callable[[re.Match[str], "_Ctx"], object]


class _Ctx(NamedTuple):
    text: str
    ref: date | None
    tense: str


class _DateRes(NamedTuple):
    """What a date rule's parse function returns."""

    start: date
    end: date
    precision: str
    start_time: time | None = None
    end_time: time | None = None
    explicit: bool = True
    span: tuple[int, int] | None = None  # override of the match span


class _TimeRes(NamedTuple):
    start: time
    end: time | None = None


_TENSES = ("past", "future", "nearest")
_SLACK = timedelta(days=3)


# --------------------------------------------------------------------------
# Numbers, calendar helpers
# --------------------------------------------------------------------------

_KD = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KU = {"十": 10, "百": 100, "千": 1000}
_ERA_BASE = {"令和": 2019, "平成": 1989, "昭和": 1926, "大正": 1912, "明治": 1868}
_JA_WD = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}
_EN_WD = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_EN_MON = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_EN_NUM = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45,
    "fifty": 50, "sixty": 60, "ninety": 90,
}


def _num(s: str | None) -> int | None:
    """ASCII digits, positional kanji (二〇二四) or kanji with 十/百/千 (二十七); 元 = 1."""
    if not s:
        return None
    s = s.strip()
    if not s:
        return None
    if s == "元":
        return 1
    if s.isascii():
        return int(s) if s.isdigit() else None
    if all(c in _KD for c in s):
        return int("".join(str(_KD[c]) for c in s))
    total = cur = 0
    for c in s:
        if c in _KD:
            cur = cur * 10 + _KD[c]
        elif c in _KU:
            total += (cur or 1) * _KU[c]
            cur = 0
        else:
            return None
    return total + cur


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _check_year(y: int | None) -> int | None:
    if y is None:
        return None
    if not 1800 <= y <= 2199:  # "3000年の歴史", "1000年に一度" are not calendar years
        raise ValueError("implausible year")
    return y


def _pick(cands: list[tuple[date, date]], ref: date, tense: str, slack: timedelta) -> tuple[date, date] | None:
    """Choose among candidate (start, end) intervals for a date written without a year.

    past   — the latest one that starts no later than reference + slack (an event
             held / reported; small slack for "announced on the 27th, held the 28th");
    future — the earliest one that has not ended before reference - slack;
    nearest— the one closest to the reference.
    """
    if not cands:
        return None
    if tense == "past":
        ok = [c for c in cands if c[0] <= ref + slack]
        return max(ok) if ok else min(cands)
    if tense == "future":
        ok = [c for c in cands if c[1] >= ref - slack]
        return min(ok) if ok else max(cands)

    def dist(c: tuple[date, date]) -> int:
        if c[0] <= ref <= c[1]:
            return 0
        return min(abs((c[0] - ref).days), abs((c[1] - ref).days))

    return min(cands, key=lambda c: (dist(c), c[0]))


def _resolve_md(ctx: _Ctx, y: int | None, mo: int, d: int, wd: int | None = None) -> tuple[date, bool] | None:
    """A day with or without a year → (date, explicit_year)."""
    if y is not None:
        return date(_check_year(y), mo, d), True
    if ctx.ref is None or not 1 <= mo <= 12:
        return None
    cands = []
    for yy in (ctx.ref.year - 1, ctx.ref.year, ctx.ref.year + 1):
        try:
            x = date(yy, mo, d)
        except ValueError:
            continue
        cands.append((x, x))
    if wd is not None:  # a weekday in parentheses disambiguates the year
        same = [c for c in cands if c[0].weekday() == wd]
        cands = same or cands
    got = _pick(cands, ctx.ref, ctx.tense, _SLACK)
    return (got[0], False) if got else None


def _resolve_day_only(ctx: _Ctx, d: int, wd: int | None = None) -> date | None:
    """A bare "28日": the month comes from the reference (previous/next month by tense)."""
    if ctx.ref is None:
        return None
    cands = []
    for k in (-1, 0, 1):
        yy, mm = _shift_month(ctx.ref.year, ctx.ref.month, k)
        try:
            x = date(yy, mm, d)
        except ValueError:
            continue
        cands.append((x, x))
    if wd is not None:
        same = [c for c in cands if c[0].weekday() == wd]
        cands = same or cands
    got = _pick(cands, ctx.ref, ctx.tense, _SLACK)
    return got[0] if got else None


def _resolve_month(ctx: _Ctx, y: int | None, mo: int) -> tuple[date, date, bool] | None:
    if not 1 <= mo <= 12:
        return None
    if y is not None:
        y = _check_year(y)
        return date(y, mo, 1), _last_day(y, mo), True
    if ctx.ref is None:
        return None
    cands = [(date(yy, mo, 1), _last_day(yy, mo)) for yy in (ctx.ref.year - 1, ctx.ref.year, ctx.ref.year + 1)]
    got = _pick(cands, ctx.ref, ctx.tense, timedelta(0))
    return (got[0], got[1], False) if got else None


def _year_span(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


# --------------------------------------------------------------------------
# Japanese regex fragments
# --------------------------------------------------------------------------

_KN = "〇一二三四五六七八九十"
_NMD = rf"(?:\d{{1,2}}|[{_KN}]{{1,3}})"  # month / day / hour / minute numbers
_NY = r"(?:\d{4}|[〇一二三四五六七八九]{4})"  # western year: 2024, 二〇二四
_NERA = r"(?:元|\d{1,2}|[一二三四五六七八九十]{1,3})"  # era year: 6, 六, 元
_ERAS = "令和|平成|昭和|大正|明治"
_LBN = rf"(?<![\d{_KN}百千.])"  # never start inside a number ("112月", "二十二月")
# A bare day must not follow a month (that is the month-day rule), a separator
# or a counter/prefix that makes it a quantity: 約3日, 毎月1日, 第3日, 数日, 同日.
_LBD = rf"(?<![\d{_KN}月/.\-~〜約毎第数計各全同前後])"


def _Y(p: str) -> str:
    """A year: 令和6年, 令和元年, 令和6(2024)年, 令和6年(2024年), 2024年, 2024(令和6)年, 2024年(令和6年), 二〇二四年."""
    return (
        rf"(?:(?P<{p}era>{_ERAS}) ?(?P<{p}ey>{_NERA}) ?(?:\((?:西暦)?(?P<{p}wy1>\d{{4}})年?\) ?)?年"
        rf"(?:\((?:西暦)?(?P<{p}wy2>\d{{4}})年?\))?"
        rf"|{_LBN}(?P<{p}wy>{_NY}) ?(?:\((?:{_ERAS}) ?{_NERA} ?年?\) ?)?年(?:\((?:{_ERAS}) ?{_NERA} ?年\))?)"
    )


def _M(p: str) -> str:
    return rf"(?P<{p}m>{_NMD}) ?月"


def _D(p: str) -> str:
    # 日間 is a duration (3日間), 日目 an ordinal (3日目).
    return rf"(?P<{p}d>{_NMD}) ?日(?!間|目)"


def _WD(p: str) -> str:
    """Optional weekday parenthetical: (金), (金曜), (金曜日), (月・祝), (祝).

    A weekday kanji counts only inside parentheses — 木原稔 is a person, not Thursday.
    """
    return (
        rf"(?: ?\((?:(?P<{p}wd>[月火水木金土日])(?:曜日?)?(?:[・･,、]?(?:祝日?|休日?|振休|祭日))?"
        rf"|祝日?|休日?)\))?"
    )


def _T(p: str) -> str:
    """A clock time: 午後3時15分, 午前10時, 15時15分, 3時半, 正午, 18:45.

    時間 is a duration (1時間20分) and 時点 "point in time", so 時 must not be
    followed by 間/点; likewise 分間.
    """
    return (
        rf"(?:(?:(?P<{p}ap>午前|午後) ?)?(?<![\d{_KN}])(?P<{p}h>[01]?\d|2[0-3]|[{_KN}]{{1,3}}) ?時(?!間|点)"
        rf"(?: ?(?P<{p}mi>[0-5]?\d|[{_KN}]{{1,3}}) ?分(?!間)|(?P<{p}half>半))?"
        rf"|(?P<{p}noon>正午)"
        rf"|(?<![\d:.])(?P<{p}hh>[01]?\d|2[0-3]):(?P<{p}mm>[0-5]\d)(?::[0-5]\d)?(?![\d:]))"
    )


_SEP = r" ?(?:から|~|〜|-|–|—) ?"  # range separators between two times
_DSEP = r" ?(?:から|~|〜|-|–|—|・|及び|および) ?"  # …between two dates; 3日・4日, 10日及び11日 are two-day spans
_END = r"(?: ?(?:まで|にかけて))?"


def _TR(p: str) -> str:
    """A time or a time range: 午後3時15分から午後4時35分まで, 08時33分~08時44分."""
    return rf"{_T(p + '1')}(?:{_SEP}{_T(p + '2')}(?: ?まで)?)?"


# A full month-day with optional year and weekday: 令和6(2024)年12月27日(金), 12月10日
_A = rf"(?:{_Y('a')} ?)?{_LBN}{_M('a')} ?{_D('a')}{_WD('a')}"

# What may follow a bare "28日" for it to be a date: punctuation, a particle,
# a weekday paren, a part of the day or a clock time.  Without these 28日 is
# too often a count ("28日間" is excluded anyway, but "3日で" etc. are not dates).
_DAYCTX = r"(?= ?\(|、|,|に|の|は|から|まで|付|午前|午後|正午|夜|朝|昼|夕|未明|深夜|早朝| ?\d{1,2}(?:時|:))"
# Year-only forms that are not event dates: 2010年以降/以来/から (open-ended
# "since"), 2023年度 (fiscal year), 1990年代 (decade), 2000年前 ("years ago"),
# 3年間 (duration) etc.
_YEAR_EXCL = r"(?!度|代|以降|以来|以後|から|より|まで|間|前(?!半)|以上|以下|余|ぶり|超|来|分|目|ほど|程度|近く)"
_MONTH_PART = r"(?P<part>上旬|中旬|下旬|初旬|初め|末|頃|ごろ)"


def _g_year(g: dict, p: str) -> int | None:
    era = g.get(p + "era")
    if era:
        wy = g.get(p + "wy1") or g.get(p + "wy2")
        if wy:  # 令和6(2024)年: trust the western year given alongside
            return _check_year(int(wy))
        n = _num(g.get(p + "ey"))
        if n is None or n < 1:
            raise ValueError("bad era year")
        return _check_year(_ERA_BASE[era] + n - 1)
    wy = g.get(p + "wy")
    if wy:
        return _check_year(_num(wy))
    return None


def _g_wd(g: dict, p: str) -> int | None:
    w = g.get(p + "wd")
    return _JA_WD.get(w) if w else None


def _g_time_ja(g: dict, p: str) -> time | None:
    if g.get(p + "noon"):
        return time(12, 0)
    hh = g.get(p + "hh")
    if hh is not None:
        return time(int(hh), int(g[p + "mm"]))
    hs = g.get(p + "h")
    if hs is None:
        return None
    h = _num(hs)
    mi = 30 if g.get(p + "half") else (_num(g.get(p + "mi")) if g.get(p + "mi") else 0)
    if g.get(p + "ap") == "午後" and h is not None and h < 12:
        h += 12  # 午後 adds 12 except at 12時 (午後12時 = noon in news usage); 午前0時 stays 0
    if h is None or mi is None or not (0 <= h <= 23 and 0 <= mi <= 59):
        return None  # 二十五時 etc.: keep the date, drop the time
    return time(h, mi)


def _times_ja(g: dict, p: str) -> tuple[time | None, time | None]:
    return _g_time_ja(g, p + "1"), _g_time_ja(g, p + "2")


# --------------------------------------------------------------------------
# Japanese date rules
# --------------------------------------------------------------------------


def _p_ja_ymd(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    r = _resolve_md(c, _g_year(g, "a"), _num(g["am"]), _num(g["ad"]), _g_wd(g, "a"))
    if r is None:
        return None
    t1, t2 = _times_ja(g, "at")
    return _DateRes(r[0], r[0], "day", t1, t2, r[1])


def _range_days(c: _Ctx, ya, ma, da, yb, mb, db, wda=None) -> tuple[date, date, bool] | None:
    """Build a day range; the end inherits year/month from the start when omitted."""
    if ya is None and yb is not None:  # "12月30日~2025年1月2日": year only on the end
        ya = yb - 1 if (mb is not None and ma is not None and mb < ma) else yb
    if ma is None:  # bare "10日~12日"
        start = _resolve_day_only(c, da, wda)
        explicit = False
        if start is None:
            return None
    else:
        r = _resolve_md(c, ya, ma, da, wda)
        if r is None:
            return None
        start, explicit = r
    ey = yb if yb is not None else start.year
    em = mb if mb is not None else start.month
    try:
        end = date(ey, em, db)
    except ValueError:
        end = None
    if end is None or end < start:
        if yb is None and mb is not None:  # 12月30日から1月2日 → next year
            end = date(ey + 1, em, db)
        elif mb is None:  # 30日から2日 → next month
            ny, nm = _shift_month(start.year, start.month, 1)
            end = date(ny, nm, db)
        else:
            return None
    if end < start or (end - start).days > 400:
        return None
    return start, end, explicit


def _p_ja_range(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    bm = _num(g["bm"]) if g.get("bm") else None
    r = _range_days(c, _g_year(g, "a"), _num(g["am"]), _num(g["ad"]), _g_year(g, "b"), bm, _num(g["bd"]), _g_wd(g, "a"))
    if r is None:
        return None
    return _DateRes(r[0], r[1], "day", _g_time_ja(g, "at"), _g_time_ja(g, "bt"), r[2])


def _p_ja_range_compact(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    ma = _num(g["am"]) if g.get("am") else None
    a, b = _num(g["ad"]), _num(g["bd"])
    if a is None or b is None or b <= a:  # 3、4日 / 10~12日: the second day is later
        return None
    r = _range_days(c, _g_year(g, "a"), ma, a, None, None, b)
    if r is None:
        return None
    return _DateRes(r[0], r[1], "day", explicit=r[2])


def _p_ja_range_month(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    ya, yb = _g_year(g, "a"), _g_year(g, "b")
    ma, mb = _num(g["am"]), _num(g["bm"])
    if ya is None and yb is not None:
        ya = yb - 1 if mb < ma else yb
    r = _resolve_month(c, ya, ma)
    if r is None or not 1 <= mb <= 12:
        return None
    start, _, explicit = r
    ey = yb if yb is not None else (start.year if mb >= ma else start.year + 1)
    end = _last_day(ey, mb)
    if end < start or (end - start).days > 800:
        return None
    return _DateRes(start, end, "month", explicit=explicit)


def _p_ja_range_year(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    ya, yb = _g_year(g, "a"), _g_year(g, "b")
    if ya is None or yb is None or yb <= ya:
        return None
    return _DateRes(date(ya, 1, 1), date(yb, 12, 31), "year")


def _p_ja_ym(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    r = _resolve_month(c, _g_year(g, "a"), _num(g["am"]))
    return _DateRes(r[0], r[1], "month", explicit=r[2]) if r else None


def _p_ja_year(m: re.Match, c: _Ctx) -> _DateRes | None:
    y = _g_year(m.groupdict(), "a")
    if y is None:
        return None
    s, e = _year_span(y)
    return _DateRes(s, e, "year")


def _p_ja_day(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    d = int(g["ad"])
    nxt = c.text[m.end("ad") + 1 : m.end("ad") + 3]
    if d == 1 and re.match(r"に ?[\d約一二三四五六七八九十]", nxt):  # 1日に2回 = "twice a day"
        return None
    x = _resolve_day_only(c, d, _g_wd(g, "a"))
    if x is None:
        return None
    t1, t2 = _times_ja(g, "at")
    return _DateRes(x, x, "day", t1, t2, False)


def _p_ja_md_slash(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    r = _resolve_md(c, None, int(g["am"]), int(g["ad"]), _g_wd(g, "a"))
    if r is None:
        return None
    t1, t2 = _times_ja(g, "at")
    return _DateRes(r[0], r[0], "day", t1, t2, False)


_REL_DAY = {"本日": 0, "今日": 0, "きょう": 0, "同日": 0, "昨日": -1, "きのう": -1, "一昨日": -2, "おととい": -2,
            "明日": 1, "あす": 1, "あした": 1, "明後日": 2, "あさって": 2}
_REL_MONTH = {"今月": 0, "先月": -1, "来月": 1}
_REL_YEAR = {"今年": 0, "ことし": 0, "本年": 0, "昨年": -1, "去年": -1, "きょねん": -1, "一昨年": -2, "来年": 1, "らいねん": 1}


def _p_ja_relative(m: re.Match, c: _Ctx) -> _DateRes | None:
    if c.ref is None:
        return None
    g = m.groupdict()
    ref = c.ref
    if g.get("rd"):
        x = ref + timedelta(days=_REL_DAY[g["rd"]])
        t1, t2 = _times_ja(g, "rt")
        return _DateRes(x, x, "day", t1, t2, False)
    if g.get("rm"):
        y, mo = _shift_month(ref.year, ref.month, _REL_MONTH[g["rm"]])
        if g.get("md"):
            x = date(y, mo, _num(g["md"]))
            t1, t2 = _times_ja(g, "mt")
            return _DateRes(x, x, "day", t1, t2, False)
        return _DateRes(date(y, mo, 1), _last_day(y, mo), "month", explicit=False)
    y = ref.year + _REL_YEAR[g["ry"]]
    if g.get("ym"):
        mo = _num(g["ym"])
        if g.get("yd"):
            x = date(y, mo, _num(g["yd"]))
            t1, t2 = _times_ja(g, "yt")
            return _DateRes(x, x, "day", t1, t2, False)
        return _DateRes(date(y, mo, 1), _last_day(y, mo), "month", explicit=False)
    s, e = _year_span(y)
    return _DateRes(s, e, "year", explicit=False)


def _p_num_ymd(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    y = _check_year(int(g["y"]))
    x = date(y, int(g["am"]), int(g["ad"]))
    t = time(int(g["hh"]), int(g["mm"])) if g.get("hh") else None
    return _DateRes(x, x, "day", t)


def _c(p: str, first: str | None = None) -> re.Pattern[str]:
    """Compile a rule.  ``first`` lists every character a match can start with; a
    leading lookahead on it lets the engine skip other positions ~5x faster than
    entering the rule's optional groups and alternations at every character."""
    return re.compile(f"(?=[{first}]){p}" if first else p)


_F_YM = rf"\d{_KN}令平昭大明"  # a Japanese year or month starts with a digit or an era name


# Rules producing dates from Japanese text (order = tie-break priority).
JA_DATE_RULES: list[Rule] = [
    # 12月10日から12日まで / 12月10日~12日 / 2024年12月30日から2025年1月2日まで /
    # 12月10日(火)から同月12日(木)まで (同月 = the same month) /
    # 12月3日・4日 (two named days → a span) / 7月28日午後3時から29日正午まで
    Rule("ja_range", _c(
        rf"{_A}(?: ?{_T('at')})?{_DSEP}(?:(?:{_Y('b')} ?)?{_M('b')} ?|同月 ?)?{_D('b')}{_WD('b')}(?: ?{_T('bt')})?{_END}",
        _F_YM,
    ), _p_ja_range),
    # 12月10~12日, 12月3、4日, 12月3・4日, 7月28、29の両日: the first 日 (or both) elided.
    Rule("ja_range_compact", _c(
        rf"(?:{_Y('a')} ?)?{_LBN}{_M('a')} ?(?P<ad>{_NMD}) ?(?:~|〜|-|–|から|・|、|,) ?(?P<bd>{_NMD})"
        rf"(?: ?日(?!間|目){_WD('b')}{_END}|(?=の両日))",
        _F_YM,
    ), _p_ja_range_compact),
    # Bare day ranges 10日~12日 / 10日から12日まで / 3、4日: month from the reference.
    Rule("ja_range_days", _c(
        rf"{_LBD}(?P<ad>[12]\d|3[01]|0?[1-9])(?:日{_WD('a')}{_DSEP}|{_DSEP}|、|,)(?P<bd>[12]\d|3[01]|0?[1-9])日(?!間|目){_WD('b')}"
        rf"(?:{_END}|{_DAYCTX})",
        r"\d",
    ), _p_ja_range_compact),
    # 2024年12月から2025年1月まで / 4月~6月: month spans.
    Rule("ja_range_month", _c(
        rf"(?:{_Y('a')} ?)?{_LBN}{_M('a')}{_SEP}(?:{_Y('b')} ?)?{_LBN}{_M('b')}(?! ?[\d{_KN}]{{1,3}} ?日){_END}",
        _F_YM,
    ), _p_ja_range_month),
    # 2010年から2015年まで: year spans (a lone 2010年から is open-ended and skipped).
    Rule("ja_range_year", _c(rf"{_Y('a')}{_SEP}{_Y('b')}(?!度|代| ?[\d{_KN}]{{1,3}} ?月){_END}", _F_YM), _p_ja_range_year),
    # 2024年12月27日(金)11時00分 / 令和6(2024)年12月27日 / 十二月二十七日 /
    # 7月28日午後3時15分から午後4時35分まで (a time range on one day)
    Rule("ja_ymd", _c(rf"{_A}(?: ?{_TR('at')})?", _F_YM), _p_ja_ymd),
    # 2024年12月, 2025年1月上旬: month precision (not 2024年12月以降: open-ended).
    Rule("ja_ym", _c(rf"{_Y('a')} ?{_LBN}{_M('a')}{_MONTH_PART}?(?!以降|以来|以後)", _F_YM), _p_ja_ym),
    # 4月の/4月に/4月は/4月、/4月上旬: a month without a year needs a particle or
    # a part-of-month word after it, so 4月 inside a longer word is left alone.
    Rule("ja_month", _c(rf"{_LBN}{_M('a')}(?:{_MONTH_PART}|(?=の|に|は|、|,|から|まで|を|も))", _F_YM), _p_ja_ym),
    # 2024年, 令和6年 (year precision), but not 2010年以降 / 2023年度 / 1990年代.
    Rule("ja_year", _c(rf"{_Y('a')}{_YEAR_EXCL}", _F_YM), _p_ja_year),
    # A bare 28日 that is clearly a date: 28日、/28日に/28日(日)/28日午後3時.
    Rule("ja_day", _c(rf"{_LBD}(?P<ad>[12]\d|3[01]|0?[1-9])日{_DAYCTX}{_WD('a')}(?: ?{_TR('at')})?", r"\d"), _p_ja_day),
    # 12/27(金): month/day with a slash only when a weekday paren confirms it's a date.
    Rule("ja_md_slash", _c(
        rf"(?<![\d/.])(?P<am>1[0-2]|0?[1-9])/(?P<ad>[12]\d|3[01]|0?[1-9]) ?\((?P<awd>[月火水木金土日])(?:曜日?)?(?:[・･]?(?:祝日?|休日?|振休))?\)"
        rf"(?: ?{_TR('at')})?",
        r"\d",
    ), _p_ja_md_slash),
    # Relative words: 本日/今日/同日/昨日/一昨日/明日 (+time), 今月/先月/来月 (+日),
    # 今年/昨年/来年 (+月(+日)).  今年度 etc. are fiscal years; 今日的 is "modern".
    Rule("ja_relative", _c(
        rf"(?:(?P<ry>一昨年|今年|ことし|本年|昨年|去年|きょねん|来年|らいねん)(?!度)(?: ?(?P<ym>{_NMD}) ?月(?: ?(?P<yd>{_NMD}) ?日(?!間|目){_WD('y')}(?: ?{_TR('yt')})?)?)?"
        rf"|(?P<rm>今月|先月|来月)(?!度)(?: ?(?P<md>{_NMD}) ?日(?!間|目){_WD('m')}(?: ?{_TR('mt')})?)?"
        rf"|(?P<rd>本日|今日|きょう|同日|昨日|きのう|一昨日|おととい|明後日|明日|あさって|あした|あす)(?!的|に至)(?: ?{_TR('rt')})?)",
        "一今本昨去来先同明おあきょこら",
    ), _p_ja_relative),
]

# Numeric dates shared by both languages: 2024/12/27, 2024-12-27, 2024.12.27,
# 2025-2-4, optionally with a weekday paren and a clock time.  The year must be
# 19xx/20xx so phone numbers (03-1234-5678) and versions (1.2.3) never match.
NUM_DATE_RULES: list[Rule] = [
    Rule("num_ymd", _c(
        rf"(?<![\d./\-])(?P<y>(?:19|20)\d{{2}})(?P<sep>[-/.])(?P<am>1[0-2]|0?[1-9])(?P=sep)(?P<ad>3[01]|[12]\d|0?[1-9])"
        rf"(?!\d|(?P=sep)\d){_WD('a')}"
        rf"(?:(?:T| )(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?",
        "12",
    ), _p_num_ymd),
]


# --------------------------------------------------------------------------
# English fragments and rules
# --------------------------------------------------------------------------

_S = r"[ \t]{1,3}"  # bounded, so every match stays far shorter than the scan window


def _MON(p: str) -> str:
    # Case-sensitive on purpose: "may be", "troops march" are not months.  A month
    # name alone ("the August meeting") never makes a date: rules need a day or a year.
    return (
        rf"(?P<{p}mon>January|February|March|April|May|June|July|August|September|October|November|December"
        rf"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)(?![A-Za-z])"
    )


def _DAY(p: str) -> str:
    # 1-31, optional ordinal suffix; not part of 1,000 / 3.5 / 10:30 / 5%.
    return rf"(?<![\d.,])(?P<{p}d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:%A-Za-z]|[.,]\d)"


def _YEAR(p: str) -> str:
    return rf"(?P<{p}y>(?:19|20)\d{{2}})(?![\d%]|[.,]\d)"


def _WDN(p: str) -> str:
    return (
        rf"(?P<{p}wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
        rf"|Mon\.|Tues?\.|Wed\.|Thu(?:rs)?\.|Fri\.|Sat\.|Sun\.)(?![A-Za-z])"
    )


def _TEN(p: str) -> str:
    """3:15 p.m., 10 a.m., 10:05 AM, 15:30, noon, midnight."""
    return (
        rf"(?:(?<![\d:.])(?P<{p}h>1[0-2]|0?[1-9])(?::(?P<{p}mi>[0-5]\d))? ?(?P<{p}ap>[ap]\.m\.?|[AP]\.M\.?|[ap]m|[AP]M)(?![A-Za-z])"
        rf"|(?<![\d:.])(?P<{p}hh>[01]?\d|2[0-3]):(?P<{p}mm>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
        rf"|(?P<{p}noon>noon|midnight)(?![A-Za-z]))"
    )


def _g_time_en(g: dict, p: str) -> time | None:
    if g.get(p + "noon"):
        return time(12, 0) if g[p + "noon"] == "noon" else time(0, 0)
    if g.get(p + "hh") is not None:
        return time(int(g[p + "hh"]), int(g[p + "mm"]))
    if g.get(p + "h") is None:
        return None
    h = int(g[p + "h"])
    mi = int(g.get(p + "mi") or 0)
    pm = g[p + "ap"][0] in "pP"
    if pm and h < 12:
        h += 12
    elif not pm and h == 12:
        h = 0
    return time(h, mi)


def _mon(s: str) -> int:
    return _EN_MON[s[:3].lower()]


def _wd_en(s: str | None) -> int | None:
    return _EN_WD[s[:3].lower()] if s else None


def _p_en_mdy(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    y = int(g["ay"]) if g.get("ay") else None
    d = int(g["ad"])
    r = _resolve_md(c, y, _mon(g["amon"]), d, _wd_en(g.get("awd")))
    if r is None:
        return None
    return _DateRes(r[0], r[0], "day", _g_time_en(g, "at"), None, r[1])


def _p_en_dmy(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    if not g.get("ay") and not g.get("awd") and not g.get("the"):
        before = c.text[max(0, m.start() - 3) : m.start()]
        if before.lower() != "on ":
            return None  # "5 May be …": too weak without a year / weekday / "on"
    return _p_en_mdy(m, c)


def _p_en_range(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    if g["conn"] == "and" and not (g.get("frm") or "").lower().startswith("between") \
            and (g.get("bmon") or int(g["bd"]) != int(g["ad"]) + 1):
        return None  # "July 28 and 30" lists two days; "between July 28 and 30" and "June 9 and 10" are spans
    ya = int(g["ay"]) if g.get("ay") else None
    yb = int(g["by"]) if g.get("by") else None
    if ya is None and yb is not None and not g.get("bmon"):
        ya = yb  # March 30-31, 2025
    ma = _mon(g["amon"])
    mb = _mon(g["bmon"]) if g.get("bmon") else None
    if ya is None and yb is not None:
        ya = yb - 1 if (mb is not None and mb < ma) else yb
    r = _range_days(c, ya, ma, int(g["ad"]), yb, mb, int(g["bd"]), _wd_en(g.get("awd")))
    if r is None:
        return None
    return _DateRes(r[0], r[1], "day", explicit=r[2])


def _p_en_range_dmy(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    yb = int(g["by"]) if g.get("by") else None
    mb = _mon(g["bmon"])
    ma = _mon(g["amon"]) if g.get("amon") else mb
    ya = None if yb is None else (yb - 1 if ma > mb else yb)
    r = _range_days(c, ya, ma, int(g["ad"]), yb, mb, int(g["bd"]))
    if r is None:
        return None
    return _DateRes(r[0], r[1], "day", explicit=r[2])


def _p_en_my(m: re.Match, c: _Ctx) -> _DateRes | None:
    g = m.groupdict()
    r = _resolve_month(c, int(g["ay"]), _mon(g["amon"]))
    return _DateRes(r[0], r[1], "month") if r else None


def _p_en_rel_month(m: re.Match, c: _Ctx) -> _DateRes | None:
    if c.ref is None:
        return None
    mo, q = _mon(m.group("amon")), m.group("q").lower()
    y = c.ref.year
    if q == "last":
        y = y if mo < c.ref.month else y - 1
    elif q == "next":
        y = y if mo > c.ref.month else y + 1
    return _DateRes(date(y, mo, 1), _last_day(y, mo), "month", explicit=False)


def _p_en_part_month(m: re.Match, c: _Ctx) -> _DateRes | None:
    r = _resolve_month(c, None, _mon(m.group("amon")))
    return _DateRes(r[0], r[1], "month", explicit=False) if r else None


def _p_en_year(m: re.Match, c: _Ctx) -> _DateRes | None:
    y = _check_year(int(m.group("ay")))
    s, e = _year_span(y)
    return _DateRes(s, e, "year", span=m.span("ay"))


def _p_en_rel(m: re.Match, c: _Ctx) -> _DateRes | None:
    if c.ref is None:
        return None
    w = m.group("w").lower()
    x = c.ref + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(w, 0))
    return _DateRes(x, x, "day", explicit=False)


def _p_en_rel_period(m: re.Match, c: _Ctx) -> _DateRes | None:
    if c.ref is None:
        return None
    k = {"last": -1, "this": 0, "next": 1}[m.group("q").lower()]
    if m.group("u") == "year":
        s, e = _year_span(c.ref.year + k)
        return _DateRes(s, e, "year", explicit=False)
    y, mo = _shift_month(c.ref.year, c.ref.month, k)
    return _DateRes(date(y, mo, 1), _last_day(y, mo), "month", explicit=False)


def _p_en_weekday(m: re.Match, c: _Ctx) -> _DateRes | None:
    if c.ref is None:
        return None
    wd = _wd_en(m.group("awd"))
    q = (m.groupdict().get("q") or "").lower()
    ref = c.ref
    days = [ref + timedelta(days=k) for k in range(-7, 8) if (ref + timedelta(days=k)).weekday() == wd]
    if q == "last":
        x = max(d for d in days if d < ref)
    elif q == "next":
        x = min(d for d in days if d > ref)
    elif c.tense == "past":
        x = max(d for d in days if d <= ref)
    elif c.tense == "future":
        x = min(d for d in days if d >= ref)
    else:
        x = min(days, key=lambda d: (abs((d - ref).days), d))
    return _DateRes(x, x, "day", explicit=False)


_RANGE_CONN = r"[ \t]*(?P<conn>-|–|—|to|through|until|till|and)[ \t]*"

EN_DATE_RULES: list[Rule] = [
    # July 28-30, 2024 / March 30-31, 2025 / from July 28 to 30 / between July 28 and 30 /
    # July 28 to August 2, 2024
    Rule("en_range", _c(
        rf"(?:(?P<frm>[Ff]rom|[Bb]etween){_S})?(?:{_WDN('a')},?{_S})?{_MON('a')}{_S}{_DAY('a')}(?:,?{_S}{_YEAR('a')})?"
        rf"{_RANGE_CONN}(?:(?:{_WDN('b')},?{_S})?{_MON('b')}{_S})?{_DAY('b')}(?:,?{_S}{_YEAR('b')})?",
        "A-Zfb",
    ), _p_en_range),
    # 30-31 March 2025 / 30 March to 2 April 2025
    Rule("en_range_dmy", _c(
        rf"(?<![\d.,])(?P<ad>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?:{_S}{_MON('a')})?[ \t]*(?:-|–|—|to|until){_S}?"
        rf"{_DAY('b')}{_S}{_MON('b')}(?:,?{_S}{_YEAR('b')})?",
        r"\d",
    ), _p_en_range_dmy),
    # Sunday, March 30, 2025 / July 28, 2024 / Jan. 31, 2025 / Sept. 5 / July 28 at 3 p.m.
    Rule("en_mdy", _c(
        rf"(?:{_WDN('a')},?{_S})?{_MON('a')}{_S}{_DAY('a')}(?:,?{_S}{_YEAR('a')})?(?:,?{_S}(?:at{_S})?{_TEN('at')})?",
        "A-Z",
    ), _p_en_mdy),
    # 28 July 2024 / Sunday, 30 March 2025 / on 28 July / the 28th of July
    Rule("en_dmy", _c(
        rf"(?:{_WDN('a')},?{_S})?(?:(?P<the>the){_S})?{_DAY('a')}(?:{_S}of)?{_S}{_MON('a')}(?:,?{_S}{_YEAR('a')})?",
        r"A-Zt\d",
    ), _p_en_dmy),
    # July 2024 / July of 2024 (month precision)
    Rule("en_my", _c(rf"{_MON('a')}(?:{_S}of)?,?{_S}{_YEAR('a')}", "A-Z"), _p_en_my),
    # "last May", "next January", "this April": the month named relative to the page's date
    Rule("en_rel_month", _c(rf"(?<![A-Za-z])(?P<q>[Ll]ast|[Nn]ext|[Tt]his){_S}{_MON('a')}(?![ \t]*\d)", "LlNnTt"),
         _p_en_rel_month),
    # "in late January", "in early March", "mid-May": a part of a month is still that month
    # (month precision, year by tense); a bare month name alone stays no date
    Rule("en_part_month", _c(rf"(?<![A-Za-z])(?:[Ee]arly|[Mm]id|[Ll]ate)[ -]{_MON('a')}(?![ \t]*\d)", "EeMmLl"),
         _p_en_part_month),
    # "in February", "during June": a month of the nearest year the tense allows (month precision);
    # not "since May", nor a name of a month with its day ("in May 23" is not English)
    Rule("en_in_month", _c(rf"(?<![A-Za-z])(?:[Ii]n|[Dd]uring){_S}{_MON('a')}(?![ \t]*\d)(?![A-Za-z])", "IiDd"),
         _p_en_part_month),
    # in 2024 / during 2023 / in early 2025 (year precision; not "since 2010", "fiscal 2024")
    Rule("en_year", _c(
        rf"(?<![A-Za-z])(?:[Ii]n|[Dd]uring){_S}(?:(?:early|late|mid)[ -]?)?{_YEAR('a')}(?![ \t]*[-–/][ \t]*\d)",
        "IiDd",
    ), _p_en_year),
    # today / yesterday / tomorrow
    # (and the parts of today: "this morning", "this afternoon", "tonight")
    Rule("en_rel", _c(r"(?<![A-Za-z])(?P<w>[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]his (?:morning|afternoon|evening)|[Tt]onight)"
                      r"(?![A-Za-z])", "TtYy"), _p_en_rel),
    # last year / this year / next month … but not "earlier this month" (vague).
    Rule("en_rel_period", _c(
        rf"(?<![Ee]arlier )(?<![Ll]ater )(?<![A-Za-z])(?P<q>[Ll]ast|[Tt]his|[Nn]ext){_S}(?P<u>year|month)(?![A-Za-z])",
        "LlTtNn",
    ), _p_en_rel_period),
    # on Tuesday / last Tuesday / next Tuesday
    Rule("en_weekday", _c(rf"(?<![A-Za-z])(?P<q>[Oo]n|[Ll]ast|[Nn]ext|[Tt]his){_S}{_WDN('a')}", "OoLlNnTt"), _p_en_weekday),
    # wire style drops the "on": "agreed Sunday to …", "will meet Friday", "said Tuesday"
    Rule("en_weekday_bare", _c(
        rf"(?<=[a-z][a-z] )(?<!every )(?<!each )(?<!the )(?<!The )(?<!a )(?<!on )(?<!last )(?<!next )(?<!this )"
        rf"(?<!since )(?<!until )(?<!by ){_WDN('a')}", "MTWFS"), _p_en_weekday),
]


# --------------------------------------------------------------------------
# Time rules
# --------------------------------------------------------------------------


def _p_ja_time(m: re.Match, c: _Ctx) -> _TimeRes | None:
    g = m.groupdict()
    a = _g_time_ja(g, "a")
    b = _g_time_ja(g, "b")
    return _TimeRes(a, b) if a is not None else None


def _p_en_time(m: re.Match, c: _Ctx) -> _TimeRes | None:
    g = m.groupdict()
    b = _g_time_en(g, "b")
    if g.get("a0h") is not None:  # "3 to 4 p.m.": the first time borrows the meridiem
        h, mi = int(g["a0h"]), int(g.get("a0mi") or 0)
        if b is None:
            return None
        if b.hour >= 12 and h < 12 and h + 12 <= b.hour:
            h += 12
        a = time(h, mi)
    else:
        a = _g_time_en(g, "a")
    return _TimeRes(a, b) if a is not None else None


_F_T = rf"午\d{_KN}正"  # 午前/午後, a number, 正午

JA_TIME_RULES: list[Rule] = [
    # 08時33分~08時44分 / 午後3時15分から午後4時35分まで
    Rule("ja_time_range", _c(rf"{_T('a')}{_SEP}{_T('b')}(?: ?まで)?", _F_T), _p_ja_time),
    # 午後3時15分 / 午前10時 / 15時15分 / 11時00分 / 3時半 / 正午 / 18:45 (not 1時間20分, 24時間)
    Rule("ja_time", _c(_T("a"), _F_T), _p_ja_time),
]

EN_TIME_RULES: list[Rule] = [
    # 3:15 p.m. to 4:35 p.m. / 3-4 p.m. / 10:00-11:30
    Rule("en_time_range", _c(
        rf"(?:{_TEN('a')}|(?<![\d:.])(?P<a0h>1[0-2]|0?[1-9])(?::(?P<a0mi>[0-5]\d))?)"
        rf"[ \t]*(?:-|–|—|to|until|till)[ \t]*{_TEN('b')}",
        r"\dnm",
    ), _p_en_time),
    Rule("en_time", _c(_TEN("a"), r"\dnm"), _p_en_time),
]


# --------------------------------------------------------------------------
# Duration rules
# --------------------------------------------------------------------------

_KNUM = r"[一二三四五六七八九十]{1,3}"


def _p_ja_dur_h(m: re.Match, c: _Ctx) -> int | None:
    g = m.groupdict()
    hs = g["h"]
    h = float(hs) if hs.replace(".", "", 1).isdigit() else _num(hs)
    if h is None:
        return None
    mi = 30 if g.get("half") else (_num(g["mi"]) if g.get("mi") else 0)
    if mi is None or mi >= 60:
        return None
    return round(h * 60) + mi


def _p_ja_dur_m(m: re.Match, c: _Ctx) -> int | None:
    g = m.groupdict()
    if not g.get("pre") and not g.get("post"):
        return None  # a bare "20分" is ambiguous (clock minute, fraction…)
    return _num(g["mi"])


def _en_n(s: str) -> float | None:
    s = s.lower()
    if s in _EN_NUM:
        return _EN_NUM[s]
    try:
        return float(s)
    except ValueError:
        return None


def _p_en_dur(m: re.Match, c: _Ctx) -> int | None:
    g = m.groupdict()
    if g.get("halfhour"):
        return 30
    total = 0.0
    if g.get("h"):
        h = _en_n(g["h"])
        if h is None:
            return None
        total += h * 60
        if g.get("half"):
            total += 30
    if g.get("mi"):
        mi = _en_n(g["mi"])
        if mi is None:
            return None
        total += mi
    return round(total) if total > 0 else None


_EN_NUMW = (
    r"(?:\d{1,3}(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty-five|forty|fifty|sixty|ninety|an|a)"
)
_EN_QUAL = r"(?:(?:about|around|roughly|approximately|nearly|almost|some|over|more than|less than|under|just over|just under)[ \t]+)?"

_F_DUR = r"約およほ計合\d一二三四五六七八九十"

JA_DURATION_RULES: list[Rule] = [
    # 約1時間20分 (80) / 1時間半 (90) / 約2時間 / 24時間 / 1.5時間.  時間 marks a
    # duration, unlike 時 which is a clock time.
    Rule("ja_dur_hm", _c(
        rf"(?:(?:約|およそ|ほぼ|計|合計) ?)?(?<![\d.])(?P<h>\d{{1,3}}(?:\.\d)?|{_KNUM}) ?時間"
        rf"(?: ?(?P<mi>\d{{1,2}}|{_KNUM}) ?分(?:間)?|(?P<half>半))?",
        _F_DUR,
    ), _p_ja_dur_h),
    # 約40分 / 40分間 / 85分程度: minutes need 約 before or 間/程度/ほど… after; the
    # minutes of a clock time (3時40分) are excluded, and so is 3分の1 (a third).
    Rule("ja_dur_m", _c(
        rf"(?:(?P<pre>約|およそ|ほぼ|計|合計) ?)?(?<![\d.時])(?P<mi>\d{{1,4}}|{_KNUM}) ?分"
        rf"(?P<post>間|程度|ほど|余り|あまり|弱|強|超|近く)?(?!の ?[\d一二三四五六七八九十])",
        _F_DUR,
    ), _p_ja_dur_m),
]

EN_DURATION_RULES: list[Rule] = [
    # half an hour / a half-hour
    Rule("en_dur_halfhour", _c(r"(?<![A-Za-z])(?P<halfhour>half an hour|half-hour)(?![A-Za-z])"), _p_en_dur),
    # an hour and 20 minutes / two hours / 1.5 hours / an hour and a half / two-hour
    Rule("en_dur_hm", _c(
        rf"(?<![A-Za-z\d.]){_EN_QUAL}(?P<h>{_EN_NUMW})[ \t-]+(?:hours?|hrs?)(?![A-Za-z])"
        rf"(?:(?:,?[ \t]+and)[ \t]+(?:(?P<half>a half)|(?P<mi>{_EN_NUMW})[ \t-]+(?:minutes?|mins?))(?![A-Za-z]))?"
    ), _p_en_dur),
    # about 80 minutes / 40 minutes / a 90-minute meeting
    Rule("en_dur_m", _c(rf"(?<![A-Za-z\d.]){_EN_QUAL}(?P<mi>{_EN_NUMW})[ \t-]+(?:minutes?|mins?)(?![A-Za-z])"), _p_en_dur),
]


# --------------------------------------------------------------------------
# Runner
# --------------------------------------------------------------------------


def _lang(lang: str) -> str:
    if lang in ("ja", "en"):
        return lang
    if lang in ("any", "auto", "mixed"):
        return "any"
    raise ValueError(f"lang must be 'ja', 'en' or 'any', not {lang!r}")


def _rules(lang: str, ja: list[Rule], en: list[Rule], common: list[Rule] = ()) -> list[Rule]:
    """The rule list for a normalised language ("ja" | "en" | "any")."""
    if lang == "ja":
        return [*ja, *common]
    if lang == "en":
        return [*en, *common]
    return [*ja, *en, *common]


# Speed: most of a news text holds no date.  A cheap "gate" regex finds the
# places where one may start (a number right before 年/月/日, a month name …);
# the full rules run only in windows of _MARGIN characters around those places.
# Every date match contains a gate hit and is far shorter than _MARGIN, so the
# result is the same as scanning the whole text.
_MARGIN = 96
_GATE_JA = (
    rf"[\d{_KN}元] ?[年月日]|\d[/.\-]\d"
    r"|本日|今日|同日|昨日|明日|明後日|あす|あした|おととい|あさって|今月|先月|来月|今年|本年|昨年|去年|来年"
)
_GATE_EN = (
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun"
    r"|[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]his (?:morning|afternoon|evening)|[Tt]onight|year|month|(?:19|20)\d\d|\d[/.\-]\d"
)
_GATES = {
    "ja": re.compile(_GATE_JA),
    "en": re.compile(_GATE_EN),
    "any": re.compile(f"{_GATE_JA}|{_GATE_EN}"),
}
_TIME_GATES = {
    "ja": re.compile(r"時|\d:\d|正午"),
    "en": re.compile(r"\d:\d|\d ?[apAP]\.?[mM]|noon|midnight"),
}
_TIME_GATES["any"] = re.compile(f"{_TIME_GATES['ja'].pattern}|{_TIME_GATES['en'].pattern}")
_DUR_GATES = {"ja": re.compile(r"時間|分"), "en": re.compile(r"hour|hr|min")}
_DUR_GATES["any"] = re.compile(r"時間|分|hour|hr|min")


# Speed, before any window: most sentences of a news page hold no date, time or duration at all.
# Each pattern below is something every match of the language's rules contains, so a text
# without one is answered at once, with the same (empty) result as running every rule. The
# date gates above are not such a condition (令和6(2024)年 and きょう are dates they miss, which
# only matters for long texts), so dates have their own; the time and duration gates are one
# (ja: 時 / h:mm / 正午, en: h:mm / 3 p.m. / noon, midnight; 時間 / 分, hour / hr / min).
# tests/test_dates.py checks that the quick answer never differs from running the rules.
_DATE_NEEDS_JA = (
    rf"[\d{_KN}元] ?[年月日]"        # every numbered year, month or day: 2024年, 令和元年, 十二月, 28日
    r"|\) ?年"                       # 令和6(2024)年, 2024(令和6)年
    r"|\d[/.\-]\d"                   # 12/27(金), 2024-12-27
    r"|一昨年|今年|ことし|本年|昨年|去年|きょねん|来年|らいねん|今月|先月|来月"
    r"|本日|今日|きょう|同日|昨日|きのう|一昨日|おととい|明後日|明日|あさって|あした|あす"
)
_DATE_NEEDS_EN = (
    r"\d"                             # a day or a year: July 28, 28 July, July 2024, in 2024, 2024-12-27
    r"|[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]his (?:morning|afternoon|evening)|[Tt]onight|year|month"
    r"|Mon|Tue|Wed|Thu|Fri|Sat|Sun"    # on Tuesday, last Fri., said Tuesday
    r"|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"   # last May, in late January
)
# (searched in every sentence: led by the characters a hit can start with, see _c)
_DATE_NEEDS_JA_FIRST = rf"\d{_KN}元)今こ本昨去き来ら先同明おあ"
_DATE_NEEDS_EN_FIRST = "\\dTtYymMWFSJAOND"
_DATE_NEEDS = {
    "ja": _c(f"(?:{_DATE_NEEDS_JA})", _DATE_NEEDS_JA_FIRST),
    "en": _c(f"(?:{_DATE_NEEDS_EN})", _DATE_NEEDS_EN_FIRST),
    "any": _c(f"(?:{_DATE_NEEDS_JA}|{_DATE_NEEDS_EN})", _DATE_NEEDS_JA_FIRST + _DATE_NEEDS_EN_FIRST),
}


def _windows(gate: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    n = len(text)
    if gate is None or n <= 4 * _MARGIN:
        return [(0, n)]
    out: list[list[int]] = []
    for m in gate.finditer(text):
        s, e = max(0, m.start() - _MARGIN), min(n, m.end() + _MARGIN)
        if out and s <= out[-1][1]:
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _run(rules: list[Rule], text: str, ctx: _Ctx, gate: re.Pattern[str] | None = None,
         needs: re.Pattern[str] | None = None) -> list[tuple[int, int, str, object]]:
    """All rule matches (inside the gate's windows), parsed, then overlaps resolved longest-first.
    ``needs``: what every match contains (see _DATE_NEEDS); a text without it has none."""
    if needs is not None and not needs.search(text):
        return []
    cands: list[tuple[int, int, int, str, object]] = []
    windows = _windows(gate, text)
    for prio, rule in enumerate(rules):
        for ws, we in windows:
            for m in rule.pattern.finditer(text, ws, we):
                try:
                    r = rule.parse(m, ctx)
                except (ValueError, OverflowError):
                    r = None
                if r is None:
                    continue
                s, e = getattr(r, "span", None) or m.span()
                if e > s:
                    cands.append((s, e, prio, rule.name, r))
    cands.sort(key=lambda t: (t[0] - t[1], t[0], t[2]))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[tuple[int, int, str, object]] = []
    for s, e, _prio, name, r in cands:
        i = bisect.bisect_left(starts, s)
        if i > 0 and ends[i - 1] > s:
            continue
        if i < len(starts) and starts[i] < e:
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        kept.append((s, e, name, r))
    kept.sort(key=lambda t: t[0])
    return kept


def may_hold_date(text: str, lang: str = "ja") -> bool:
    """False when find_dates(text, lang=lang) finds nothing whatever the reference and tense: the
    text holds nothing that every date of the language contains (_DATE_NEEDS; most sentences)."""
    return _DATE_NEEDS[_lang(lang)].search(text) is not None


def find_dates(text: str, reference: date | None = None, *, tense: str = "past", lang: str = "ja") -> list[DateMatch]:
    """Dates in ``text`` (sorted by offset).

    ``reference`` (usually the document's own date) resolves dates without a year,
    bare days and relative words; without it those are skipped.  ``tense`` picks
    the year for yearless dates: "past" (latest ≤ reference + 3 days), "future"
    (earliest ≥ reference − 3 days) or "nearest".  ``lang``: "ja", "en" or "any".
    """
    if tense not in _TENSES:
        raise ValueError(f"tense must be one of {_TENSES}, not {tense!r}")
    if isinstance(reference, datetime):
        reference = reference.date()
    ctx = _Ctx(text, reference, tense)
    out = []
    lang = _lang(lang)
    rules = _rules(lang, JA_DATE_RULES, EN_DATE_RULES, NUM_DATE_RULES)
    for s, e, name, r in _run(rules, text, ctx, _GATES[lang], _DATE_NEEDS[lang]):
        out.append(DateMatch(s, e, text[s:e], r.start, r.end, r.precision, r.start_time, r.end_time, r.explicit, name))
    return out


def find_times(text: str, *, lang: str = "ja") -> list[TimeMatch]:
    """Clock times and time ranges (not durations: 1時間20分 is not a time)."""
    ctx = _Ctx(text, None, "past")
    lang = _lang(lang)
    return [
        TimeMatch(s, e, text[s:e], r.start, r.end, name)
        for s, e, name, r in _run(_rules(lang, JA_TIME_RULES, EN_TIME_RULES), text, ctx, _TIME_GATES[lang], _TIME_GATES[lang])
    ]


def find_durations(text: str, *, lang: str = "ja") -> list[DurationMatch]:
    """Durations in minutes: 約1時間20分 → 80, 1時間半 → 90, about 80 minutes → 80."""
    ctx = _Ctx(text, None, "past")
    lang = _lang(lang)
    return [
        DurationMatch(s, e, text[s:e], r, name)
        for s, e, name, r in _run(_rules(lang, JA_DURATION_RULES, EN_DURATION_RULES), text, ctx, _DUR_GATES[lang], _DUR_GATES[lang])
    ]


# --------------------------------------------------------------------------
# Publication timestamps
# --------------------------------------------------------------------------

_FIXED = lambda h: timezone(timedelta(hours=h))  # noqa: E731
_TZ_NAMES = {
    "UTC": timezone.utc, "GMT": timezone.utc, "Z": timezone.utc, "JST": JST, "KST": _FIXED(9),
    "ET": ZoneInfo("America/New_York"), "EST": _FIXED(-5), "EDT": _FIXED(-4),
    "CT": ZoneInfo("America/Chicago"), "CST": _FIXED(-6), "CDT": _FIXED(-5),
    "MT": ZoneInfo("America/Denver"), "MST": _FIXED(-7), "MDT": _FIXED(-6),
    "PT": ZoneInfo("America/Los_Angeles"), "PST": _FIXED(-8), "PDT": _FIXED(-7),
    "HST": _FIXED(-10),
}
_TZ = (
    r"(?P<tz>[(\[]?(?:(?P<tzn>UTC|GMT|JST|KST|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|HST|Z)(?![A-Za-z])"
    r"(?P<tzo1>[+-]\d{1,2}(?::?\d{2})?)?|(?P<tzo2>[+-]\d{2}:?\d{2}))[)\]]?)"
)
_WD_ANY = r"(?:[ \t]?\([^()\n]{1,6}\))?"


def _offset(s: str) -> timezone:
    sign = -1 if s[0] == "-" else 1
    body = s[1:].replace(":", "")
    h = int(body[:-2]) if len(body) > 2 else int(body)
    mi = int(body[-2:]) if len(body) > 2 else 0
    return timezone(sign * timedelta(hours=h, minutes=mi))


def _tz(g: dict):
    if g.get("tzo2"):
        return _offset(g["tzo2"])
    if g.get("tzn"):
        if g.get("tzo1"):  # UTC+9, GMT+09:00
            return _offset(g["tzo1"])
        return _TZ_NAMES[g["tzn"]]
    return JST


def _ts_num(m: re.Match, latest: date) -> datetime:
    g = m.groupdict()
    t = (int(g["H"]), int(g["M"]), int(g.get("S") or 0)) if g.get("H") else (0, 0, 0)
    return datetime(int(g["y"]), int(g["m"]), int(g["d"]), *t, tzinfo=_tz(g))


def _ts_mdy(m: re.Match, latest: date) -> datetime:
    g = m.groupdict()
    mo, d = int(g["m"]), int(g["d"])
    if mo > 12:
        mo, d = d, mo
    t = _g_time_en(g, "at") or time(0, 0)
    return datetime(int(g["y"]), mo, d, t.hour, t.minute, tzinfo=_tz(g))


def _ts_ja(m: re.Match, latest: date) -> datetime:
    g = m.groupdict()
    y = _g_year(g, "a")
    t = _g_time_ja(g, "at") or time(0, 0)
    return datetime(y, _num(g["am"]), _num(g["ad"]), t.hour, t.minute, tzinfo=_tz(g))


_WD_KANJI = "月火水木金土日"


def _ts_md_weekday(m: re.Match, latest: date) -> datetime:
    """Portals stamp "10/29(水) 21:14配信" without a year: the weekday names it — the latest year,
    up to `latest` (the day the page was fetched), in which that day fell on that weekday (at most
    seven years back)."""
    g = m.groupdict()
    mo, d, wd = int(g["m"]), int(g["d"]), _WD_KANJI.index(g["wd"])
    for y in range(latest.year, latest.year - 8, -1):
        try:
            day = date(y, mo, d)
        except ValueError:
            continue
        if day.weekday() == wd and day <= latest:
            t = (int(g["H"]), int(g["M"])) if g.get("H") else (0, 0)
            return datetime(y, mo, d, *t, tzinfo=_tz(g))
    raise ValueError("no year fits the weekday")


def _ts_en(m: re.Match, latest: date) -> datetime:
    g = m.groupdict()
    t = _g_time_en(g, "at") or time(0, 0)
    return datetime(int(g["ay"]), _mon(g["amon"]), int(g["ad"]), t.hour, t.minute, tzinfo=_tz(g))


# "March 30, 2025 10:05 AM", "…, at 10:05 a.m. ET", wire headers "Mar 30, 2025 - 18:22"
_TS_TIME_EN = rf"(?:(?:,|{_S}at|,{_S}at|{_S}[-–—|])?{_S}{_TEN('at')})?(?:[ \t]*{_TZ})?"

# each builder gets the match and the latest day the stamp can name (the page's fetch day)
TIMESTAMP_RULES: list[tuple[str, re.Pattern[str], Callable[[re.Match, date], datetime]]] = [
    # 2024-12-29 11:25 / 2025-2-4 09:10 / 公開日:2025/01/26 / 更新日 2025.01.26 /
    # 2025-03-30T10:05:00+09:00
    ("ts_num", _c(
        rf"(?<![\d./\-])(?P<y>(?:19|20)\d{{2}})(?P<sep>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=sep)(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
        rf"{_WD_ANY}(?:(?:T|[ \t]+)(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:\.\d+)?)?)?(?:[ \t]*{_TZ})?"
    ), _ts_num),
    # US order with the year last: DVIDS "Date: 11.01.2024", "Posted: 11.02.2024 09:40", "10/24/2024"
    # (a first number above 12 is a day: "24.10.2024" is read day first)
    ("ts_num_mdy", _c(
        rf"(?<![\d./\-])(?P<m>3[01]|[12]\d|0?[1-9])(?P<sep>[/.])(?P<d>3[01]|[12]\d|0?[1-9])(?P=sep)(?P<y>(?:19|20)\d{{2}})(?![\d.])"
        rf"{_TS_TIME_EN}"
    ), _ts_mdy),
    # 公開日:2025年1月26日 / 令和7年3月30日 / 2025年3月30日 10時05分
    ("ts_ja", _c(rf"{_Y('a')} ?{_M('a')} ?{_D('a')}{_WD_ANY}(?:[ \t]*{_T('at')})?(?:[ \t]*{_TZ})?"), _ts_ja),
    # March 30, 2025 / Sunday, March 30, 2025 / March 30, 2025 10:05 AM / … at 10:05 a.m. ET
    ("ts_en_mdy", _c(rf"(?:{_WDN('a')},?{_S})?{_MON('a')}{_S}{_DAY('a')},?{_S}{_YEAR('a')}{_TS_TIME_EN}"), _ts_en),
    # 10/29(水) 21:14配信 (a portal's stamp: no year, the weekday fixes it)
    ("ts_md_weekday", _c(
        r"(?<![\d/.\-])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])\((?P<wd>[月火水木金土日])\)"
        r"(?:[ \t]*(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d))?"
    ), _ts_md_weekday),
    # 30 March 2025 / Sunday 30 March 2025 10:05
    ("ts_en_dmy", _c(rf"(?:{_WDN('a')},?{_S})?{_DAY('a')}{_S}{_MON('a')},?{_S}{_YEAR('a')}{_TS_TIME_EN}"), _ts_en),
]


def parse_timestamp(text: str, latest: date | None = None) -> tuple[datetime, str] | None:
    """A publication stamp in a short header line → (aware datetime, matched text).

    Japanese forms and bare numeric stamps are Asia/Tokyo; English ones too unless
    an explicit zone or offset is given.  Date-only stamps are local midnight.
    The earliest stamp in the line wins (the longest one at that position).
    `latest` bounds a stamp written without its year (the day the page was fetched; today if not given).
    """
    latest = latest or date.today()
    best: tuple[int, int, datetime, str] | None = None
    for _name, pat, build in TIMESTAMP_RULES:
        for m in pat.finditer(text):
            try:
                dt = build(m, latest)
            except (ValueError, OverflowError):
                continue
            key = (m.start(), -(m.end() - m.start()))
            if best is None or key < best[:2]:
                best = (key[0], key[1], dt, m.group(0))
            break  # later matches of the same rule start later
    return (best[2], best[3]) if best else None
