"""Tests for timeline.dates: dates, times, durations and timestamps in ja/en news text."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.dates import (
    DateMatch,
    find_dates,
    find_durations,
    find_times,
    parse_timestamp,
)

D = date


def _only(text: str, ref: date | None, tense: str = "past", lang: str = "ja") -> DateMatch:
    found = find_dates(text, ref, tense=tense, lang=lang)
    assert len(found) == 1, [(m.text, m.rule) for m in found]
    return found[0]


# ---------------------------------------------------------------------------
# Positive table: (text, reference, tense, lang, (start, end, precision, explicit_year))
# ---------------------------------------------------------------------------

R24 = D(2024, 12, 29)
R25 = D(2025, 3, 31)

POSITIVE = [
    # --- Japanese, absolute ---
    ("防衛省は2024年12月27日、ガイドラインを公表した。", None, "past", "ja", (D(2024, 12, 27), D(2024, 12, 27), "day", True)),
    ("外務省は令和6年12月27日に概要を発表した。", None, "past", "ja", (D(2024, 12, 27), D(2024, 12, 27), "day", True)),
    ("令和6(2024)年12月27日、両政府は会合を開いた。", None, "past", "ja", (D(2024, 12, 27), D(2024, 12, 27), "day", True)),
    ("令和7年(2025年)2月7日に首脳会談が行われた。", None, "past", "ja", (D(2025, 2, 7), D(2025, 2, 7), "day", True)),
    ("平成31年4月30日をもって退位された。", None, "past", "ja", (D(2019, 4, 30), D(2019, 4, 30), "day", True)),
    ("令和元年5月1日に改元された。", None, "past", "ja", (D(2019, 5, 1), D(2019, 5, 1), "day", True)),
    ("二〇二四年十二月二十七日付の文書", None, "past", "ja", (D(2024, 12, 27), D(2024, 12, 27), "day", True)),
    ("令和六年十二月二十七日に公表された。", None, "past", "ja", (D(2024, 12, 27), D(2024, 12, 27), "day", True)),
    ("資料は2021/03/16に公開された。", None, "past", "ja", (D(2021, 3, 16), D(2021, 3, 16), "day", True)),
    ("会合は2023-11-08に行われた。", None, "past", "ja", (D(2023, 11, 8), D(2023, 11, 8), "day", True)),
    ("統合幕僚監部は2022.05.24に発表した。", None, "past", "ja", (D(2022, 5, 24), D(2022, 5, 24), "day", True)),
    ("2025年1月に電話会談が行われた。", None, "past", "ja", (D(2025, 1, 1), D(2025, 1, 31), "month", True)),
    ("2026年2月下旬に訓練を実施する。", None, "past", "ja", (D(2026, 2, 1), D(2026, 2, 28), "month", True)),
    ("政府は2022年に安保3文書を改定した。", None, "past", "ja", (D(2022, 1, 1), D(2022, 12, 31), "year", True)),
    ("平成元年の日米関係を振り返る。", None, "past", "ja", (D(1989, 1, 1), D(1989, 12, 31), "year", True)),
    # --- Japanese, without a year (reference + tense) ---
    ("防衛省は12月27日(金)に発表した。", R24, "past", "ja", (D(2024, 12, 27), D(2024, 12, 27), "day", False)),
    ("4月の首相訪米を受けて協議した。", D(2024, 7, 31), "past", "ja", (D(2024, 4, 1), D(2024, 4, 30), "month", False)),
    ("1月上旬に訪日する予定だ。", D(2024, 12, 20), "future", "ja", (D(2025, 1, 1), D(2025, 1, 31), "month", False)),
    ("演習は12月10日に始まる予定だ。", R24, "future", "ja", (D(2025, 12, 10), D(2025, 12, 10), "day", False)),
    ("会談は1月5日に開かれる。", R24, "nearest", "ja", (D(2025, 1, 5), D(2025, 1, 5), "day", False)),
    ("会談は1月5日に開かれた。", R24, "past", "ja", (D(2024, 1, 5), D(2024, 1, 5), "day", False)),
    ("1月1日付で着任した。", D(2024, 12, 30), "past", "ja", (D(2025, 1, 1), D(2025, 1, 1), "day", False)),  # 3-day slack
    ("3月30日(土)に実施された。", D(2025, 3, 28), "past", "ja", (D(2024, 3, 30), D(2024, 3, 30), "day", False)),  # weekday picks the year
    ("12/27(金)に公開", R24, "past", "ja", (D(2024, 12, 27), D(2024, 12, 27), "day", False)),
    ("28日、防衛相は記者会見した。", D(2024, 7, 31), "past", "ja", (D(2024, 7, 28), D(2024, 7, 28), "day", False)),
    ("28日(日)に開催された。", D(2024, 7, 31), "past", "ja", (D(2024, 7, 28), D(2024, 7, 28), "day", False)),
    ("30日に発表した。", D(2025, 1, 3), "past", "ja", (D(2024, 12, 30), D(2024, 12, 30), "day", False)),
    # --- Japanese ranges ---
    ("12月10日から12日まで、都内で協議が行われた。", D(2024, 12, 16), "past", "ja", (D(2024, 12, 10), D(2024, 12, 12), "day", False)),
    ("12月10日~12日に開催された。", D(2024, 12, 16), "past", "ja", (D(2024, 12, 10), D(2024, 12, 12), "day", False)),
    ("12月10日〜12日に開催された。", D(2024, 12, 16), "past", "ja", (D(2024, 12, 10), D(2024, 12, 12), "day", False)),
    ("12月10日-12日に開催された。", D(2024, 12, 16), "past", "ja", (D(2024, 12, 10), D(2024, 12, 12), "day", False)),
    ("10日~12日に開催された。", D(2024, 12, 16), "past", "ja", (D(2024, 12, 10), D(2024, 12, 12), "day", False)),
    ("11月9日・10日の両日、視察した。", D(2024, 12, 16), "past", "ja", (D(2024, 11, 9), D(2024, 11, 10), "day", False)),
    ("3月3、4日に実施した。", D(2025, 3, 10), "past", "ja", (D(2025, 3, 3), D(2025, 3, 4), "day", False)),
    ("6月10~12日に開催する。", D(2025, 6, 1), "future", "ja", (D(2025, 6, 10), D(2025, 6, 12), "day", False)),
    ("12月10日(火)から同月12日(木)まで協議した。", D(2024, 12, 16), "past", "ja", (D(2024, 12, 10), D(2024, 12, 12), "day", False)),
    ("7月28、29の両日、訓練を実施した。", D(2024, 8, 1), "past", "ja", (D(2024, 7, 28), D(2024, 7, 29), "day", False)),
    ("2024年12月30日から2025年1月2日まで休庁する。", None, "past", "ja", (D(2024, 12, 30), D(2025, 1, 2), "day", True)),
    ("12月30日から1月2日まで休庁した。", D(2025, 1, 6), "past", "ja", (D(2024, 12, 30), D(2025, 1, 2), "day", False)),
    ("2024年12月から2025年2月まで派遣する。", None, "past", "ja", (D(2024, 12, 1), D(2025, 2, 28), "month", True)),
    ("2010年から2015年まで駐留した。", None, "past", "ja", (D(2010, 1, 1), D(2015, 12, 31), "year", True)),
    # --- Japanese relative ---
    ("本日、防衛省は発表した。", R25, "past", "ja", (R25, R25, "day", False)),
    ("今日の閣議で決定した。", R25, "past", "ja", (R25, R25, "day", False)),
    ("昨日の会談で確認した。", R25, "past", "ja", (D(2025, 3, 30), D(2025, 3, 30), "day", False)),
    ("一昨日に到着した。", R25, "past", "ja", (D(2025, 3, 29), D(2025, 3, 29), "day", False)),
    ("明日、来日する。", R25, "past", "ja", (D(2025, 4, 1), D(2025, 4, 1), "day", False)),
    ("同日、記者会見を開いた。", R25, "past", "ja", (R25, R25, "day", False)),
    ("今月の協議で合意した。", R25, "past", "ja", (D(2025, 3, 1), D(2025, 3, 31), "month", False)),
    ("先月に署名された。", R25, "past", "ja", (D(2025, 2, 1), D(2025, 2, 28), "month", False)),
    ("来月に訪米する。", R25, "past", "ja", (D(2025, 4, 1), D(2025, 4, 30), "month", False)),
    ("今年は戦後80年にあたる。", R25, "past", "ja", (D(2025, 1, 1), D(2025, 12, 31), "year", False)),
    ("本年も協力を続ける。", R25, "past", "ja", (D(2025, 1, 1), D(2025, 12, 31), "year", False)),
    ("昨年に続き参加した。", R25, "past", "ja", (D(2024, 1, 1), D(2024, 12, 31), "year", False)),
    ("去年に比べ増加した。", R25, "past", "ja", (D(2024, 1, 1), D(2024, 12, 31), "year", False)),
    ("来年にも開催する。", R25, "past", "ja", (D(2026, 1, 1), D(2026, 12, 31), "year", False)),
    ("昨年12月27日にガイドラインを作成した。", R25, "past", "ja", (D(2024, 12, 27), D(2024, 12, 27), "day", False)),
    ("今年4月に改編する。", R25, "past", "ja", (D(2025, 4, 1), D(2025, 4, 30), "month", False)),
    # --- English ---
    ("The ministers met on July 28, 2024 in Tokyo.", None, "past", "en", (D(2024, 7, 28), D(2024, 7, 28), "day", True)),
    ("The talks on July 28 in Tokyo were cordial.", D(2024, 7, 31), "past", "en", (D(2024, 7, 28), D(2024, 7, 28), "day", False)),
    ("The accord was signed on 28 July 2024.", None, "past", "en", (D(2024, 7, 28), D(2024, 7, 28), "day", True)),
    ("In July 2024, the two sides upgraded command ties.", None, "past", "en", (D(2024, 7, 1), D(2024, 7, 31), "month", True)),
    ("Tokyo, Sunday, March 30, 2025 - Secretary Hegseth arrived.", None, "past", "en", (D(2025, 3, 30), D(2025, 3, 30), "day", True)),
    ("Exercises ran March 30-31, 2025 near Okinawa.", None, "past", "en", (D(2025, 3, 30), D(2025, 3, 31), "day", True)),
    ("The call took place Jan. 31, 2025.", None, "past", "en", (D(2025, 1, 31), D(2025, 1, 31), "day", True)),
    ("Officials met Sept. 5 in Honolulu.", D(2024, 9, 10), "past", "en", (D(2024, 9, 5), D(2024, 9, 5), "day", False)),
    ("Posted 2024-07-28 by the Pentagon.", None, "past", "en", (D(2024, 7, 28), D(2024, 7, 28), "day", True)),
    ("The minister said yesterday that talks would continue.", R25, "past", "en", (D(2025, 3, 30), D(2025, 3, 30), "day", False)),
    ("Talks resume tomorrow in Washington.", R25, "past", "en", (D(2025, 4, 1), D(2025, 4, 1), "day", False)),
    ("The drills ran from July 28 to 30 off Kyushu.", D(2024, 8, 5), "past", "en", (D(2024, 7, 28), D(2024, 7, 30), "day", False)),
    ("The meeting was held between Feb. 3 and 5, 2022.", None, "past", "en", (D(2022, 2, 3), D(2022, 2, 5), "day", True)),
    ("The plenary sat on Nov. 14 and 15 in Washington.", D(2023, 12, 1), "past", "en", (D(2023, 11, 14), D(2023, 11, 15), "day", False)),
    ("Envoys met on March 3 and 7 in Seoul.", D(2024, 4, 1), "past", "en", (D(2024, 3, 3), D(2024, 3, 3), "day", False)),  # two days
    ("The deployment lasts from July 28 to August 2, 2024.", None, "past", "en", (D(2024, 7, 28), D(2024, 8, 2), "day", True)),
    ("The forum runs 30 March to 2 April 2025.", None, "past", "en", (D(2025, 3, 30), D(2025, 4, 2), "day", True)),
    ("They first met on the 28th of July in Manila.", D(2024, 8, 5), "past", "en", (D(2024, 7, 28), D(2024, 7, 28), "day", False)),
    ("Offices close Dec. 30 to Jan. 2 for the holidays.", D(2025, 1, 5), "past", "en", (D(2024, 12, 30), D(2025, 1, 2), "day", False)),
    ("Defense spending rose sharply in 2023, officials said.", None, "past", "en", (D(2023, 1, 1), D(2023, 12, 31), "year", True)),
    ("The guidelines agreed last year remain in force.", R25, "past", "en", (D(2024, 1, 1), D(2024, 12, 31), "year", False)),
    ("The ministers spoke by phone on Tuesday.", D(2025, 3, 30), "past", "en", (D(2025, 3, 25), D(2025, 3, 25), "day", False)),
    ("The ministers will meet on Tuesday.", D(2025, 3, 30), "future", "en", (D(2025, 4, 1), D(2025, 4, 1), "day", False)),
    ("Austin visited Tokyo on Wednesday, Nov. 6, 2024.", None, "past", "en", (D(2024, 11, 6), D(2024, 11, 6), "day", True)),
    # wire style: the weekday without "on"
    ("The two ministers agreed Sunday to speed up co-production.", D(2025, 3, 31), "past", "en",
     (D(2025, 3, 30), D(2025, 3, 30), "day", False)),
    ("Hegseth will meet Nakatani Friday in Tokyo.", D(2025, 3, 26), "future", "en", (D(2025, 3, 28), D(2025, 3, 28), "day", False)),
    ("日米両政府は、6月10日及び11日の2日間、協議を実施しました。", D(2024, 6, 12), "past", "ja",
     (D(2024, 6, 10), D(2024, 6, 11), "day", False)),
    # a month named relative to the page's date
    ("Since we met in Hiroshima last May, cooperation has grown.", D(2024, 4, 10), "past", "en",
     (D(2023, 5, 1), D(2023, 5, 31), "month", False)),
    ("The allies will hold drills next January.", D(2024, 4, 10), "future", "en", (D(2025, 1, 1), D(2025, 1, 31), "month", False)),
    # a part of a month is that month
    ("The talks followed a phone call in late January.", D(2025, 3, 30), "past", "en",
     (D(2025, 1, 1), D(2025, 1, 31), "month", False)),
    ("The drills are planned for mid-November.", D(2025, 9, 1), "future", "en", (D(2025, 11, 1), D(2025, 11, 30), "month", False)),
    # "in" or "during" a month: that month of the nearest year the tense allows
    ("Both ministers last met in person in May.", D(2023, 8, 18), "past", "en", (D(2023, 5, 1), D(2023, 5, 31), "month", False)),
    ("The command-post drill ran during February.", D(2024, 7, 29), "past", "en",
     (D(2024, 2, 1), D(2024, 2, 29), "month", False)),
    ("The ministers will meet again in October.", D(2024, 7, 29), "future", "en",
     (D(2024, 10, 1), D(2024, 10, 31), "month", False)),
]


@pytest.mark.parametrize("text,ref,tense,lang,expected", POSITIVE, ids=[c[0][:24] for c in POSITIVE])
def test_positive(text, ref, tense, lang, expected):
    m = _only(text, ref, tense, lang)
    assert (m.start_date, m.end_date, m.precision, m.explicit_year) == expected
    assert text[m.start : m.end] == m.text
    assert m.rule


def test_positive_table_size():
    assert len(POSITIVE) >= 40


# ---------------------------------------------------------------------------
# Negative table: text → no date, even with a reference available
# ---------------------------------------------------------------------------

NEG_JA = [
    "2+2",
    "2プラス2",
    "日米「2+2」を開催",
    "ヤマサクラ87",
    "YS-87",
    "キーンソード25",
    "木原稔防衛大臣",
    "約1時間20分",
    "約85分間",
    "40分間",
    "第5条",
    "12式地対艦誘導弾",
    "1佐職人事(陸自9名)",
    "3名",
    "PAC-3MSE",
    "F-35",
    "2010年以降、協議を重ねてきた",
    "2010年から協議を重ねてきた",
    "2023年度",
    "令和6年度予算",
    "今年度の計画",
    "1990年代",
    "G7",
    "100周年",
    "電話03-1234-5678",
    "1,000人",
    "3日間の訓練",
    "5日後に再開",
    "毎月1日",
    "3か月",
    "1日に2回",
    "24時間",
    "3分の1",
    "版1.2.3",
]

NEG_EN = [
    "Section 5 of the treaty",
    "It may be too early.",
    "The troops march to the base.",
    "Since August, officials have said nothing.",
    "The talks at the Mayfair hotel ended.",
    "The August meeting was postponed.",
    "Officials met earlier this month.",
    "Talks continue this week.",
    "1,000 troops were deployed",
    "Call 03-1234-5678",
    "F-35 jets",
    "Budget for fiscal 2024 rose.",
    "since 2010 the allies have met",
    "5 May be ready",
    "Patriot PAC-3 MSE",
    "the G7 summit",
    "The office is closed every Monday.",
    "The Monday meeting was postponed.",
]


@pytest.mark.parametrize("text", NEG_JA)
def test_negative_ja(text):
    assert find_dates(text, R25, lang="ja") == []


@pytest.mark.parametrize("text", NEG_EN)
def test_negative_en(text):
    assert find_dates(text, R25, lang="en") == []


def test_negative_table_size():
    assert len(NEG_JA) + len(NEG_EN) >= 20


def test_no_reference_skips_inferred_dates():
    assert find_dates("12月27日に発表した", None) == []
    assert find_dates("28日、発表した", None) == []
    assert find_dates("本日、昨日、今年", None) == []
    assert find_dates("4月の訪問", None) == []
    assert find_dates("on July 28 and yesterday", None, lang="en") == []
    # explicit years still work
    assert [m.text for m in find_dates("2024年12月27日に発表", None)] == ["2024年12月27日"]


# ---------------------------------------------------------------------------
# Times attached to dates
# ---------------------------------------------------------------------------

DATE_TIMES = [
    ("防衛省は令和6(2024)年12月12日(木)20時30分、発表した。", "令和6(2024)年12月12日(木)20時30分", time(20, 30), None),
    ("7月28日午後3時15分から約1時間20分、会合が開催され", "7月28日午後3時15分", time(15, 15), None),
    ("7月28日午後3時15分から午後4時35分まで会談した", "7月28日午後3時15分から午後4時35分まで", time(15, 15), time(16, 35)),
    ("12月27日(金)11時00分、", "12月27日(金)11時00分", time(11, 0), None),
    ("28日午前0時に発効", "28日午前0時", time(0, 0), None),
    ("2024-12-29 11:25", "2024-12-29 11:25", time(11, 25), None),
]


@pytest.mark.parametrize("text,span,start_time,end_time", DATE_TIMES)
def test_date_with_time(text, span, start_time, end_time):
    m = _only(text, D(2024, 12, 30))
    assert m.text == span
    assert (m.start_time, m.end_time) == (start_time, end_time)


def test_english_date_with_time():
    m = _only("The call began on July 28, 2024 at 3 p.m. Tokyo time.", None, lang="en")
    assert m.start_date == D(2024, 7, 28) and m.start_time == time(15, 0)


def test_weekday_paren_consumed():
    m = _only("12月27日(金)に発表", R24)
    assert m.text == "12月27日(金)"
    m = _only("5月6日(月・祝)に実施", D(2024, 5, 10))
    assert m.text == "5月6日(月・祝)" and m.start_date == D(2024, 5, 6)


# ---------------------------------------------------------------------------
# find_times
# ---------------------------------------------------------------------------

TIMES = [
    ("午後3時15分に始まった", "ja", [(time(15, 15), None)]),
    ("午前10時に到着", "ja", [(time(10, 0), None)]),
    ("15時15分に開始", "ja", [(time(15, 15), None)]),
    ("20時30分、発表", "ja", [(time(20, 30), None)]),
    ("18:45に公表", "ja", [(time(18, 45), None)]),
    ("11時00分、", "ja", [(time(11, 0), None)]),
    ("午前0時に発効", "ja", [(time(0, 0), None)]),
    ("午後12時に再開", "ja", [(time(12, 0), None)]),
    ("3時半ごろ", "ja", [(time(3, 30), None)]),
    ("正午に会見", "ja", [(time(12, 0), None)]),
    ("午後三時に開始", "ja", [(time(15, 0), None)]),
    ("08時33分~08時44分", "ja", [(time(8, 33), time(8, 44))]),
    ("午後3時15分から午後4時35分まで", "ja", [(time(15, 15), time(16, 35))]),
    ("10:00〜11:30に実施", "ja", [(time(10, 0), time(11, 30))]),
    ("The call began at 3:15 p.m.", "en", [(time(15, 15), None)]),
    ("at 10 a.m. local time", "en", [(time(10, 0), None)]),
    ("10:05 AM", "en", [(time(10, 5), None)]),
    ("from 3 to 4 p.m.", "en", [(time(15, 0), time(16, 0))]),
    ("9:30 a.m. to 11 a.m.", "en", [(time(9, 30), time(11, 0))]),
    ("shortly after noon", "en", [(time(12, 0), None)]),
    ("12:30 a.m.", "en", [(time(0, 30), None)]),
]


@pytest.mark.parametrize("text,lang,expected", TIMES)
def test_times(text, lang, expected):
    found = find_times(text, lang=lang)
    assert [(t.start_time, t.end_time) for t in found] == expected
    for t in found:
        assert text[t.start : t.end] == t.text


@pytest.mark.parametrize(
    "text,lang",
    [("約1時間20分", "ja"), ("24時間", "ja"), ("約40分間", "ja"), ("3分の1", "ja"), ("F-35", "ja"),
     ("2+2", "ja"), ("現時点で", "ja"), ("Section 5", "en"), ("1,000 troops", "en"), ("I am here", "en")],
)
def test_not_times(text, lang):
    assert find_times(text, lang=lang) == []


# ---------------------------------------------------------------------------
# find_durations
# ---------------------------------------------------------------------------

DURATIONS = [
    ("約1時間20分、会談した", "ja", 80),
    ("約40分間の電話会談", "ja", 40),
    ("約85分間にわたり", "ja", 85),
    ("1時間半の協議", "ja", 90),
    ("約2時間の会談", "ja", 120),
    ("40分間の会談", "ja", 40),
    ("約30分の会談", "ja", 30),
    ("二時間にわたり", "ja", 120),
    ("24時間", "ja", 1440),
    ("talks lasted about 80 minutes", "en", 80),
    ("an hour and 20 minutes", "en", 80),
    ("spoke for 40 minutes", "en", 40),
    ("two hours of talks", "en", 120),
    ("an hour and a half", "en", 90),
    ("half an hour", "en", 30),
    ("1.5 hours", "en", 90),
    ("a 90-minute meeting", "en", 90),
]


@pytest.mark.parametrize("text,lang,minutes", DURATIONS)
def test_durations(text, lang, minutes):
    found = find_durations(text, lang=lang)
    assert [d.minutes for d in found] == [minutes]
    assert text[found[0].start : found[0].end] == found[0].text


@pytest.mark.parametrize(
    "text,lang",
    [("午後3時40分に", "ja"), ("3分の1", "ja"), ("約3分の1", "ja"), ("20分", "ja"), ("7月28日", "ja"),
     ("40 troops", "en"), ("hours of talks", "en")],
)
def test_not_durations(text, lang):
    assert find_durations(text, lang=lang) == []


def test_meeting_sentence_time_and_duration():
    s = "7月28日午後3時15分から約1時間20分、日米安全保障協議委員会が開催され"
    assert [t.start_time for t in find_times(s)] == [time(15, 15)]
    assert [d.minutes for d in find_durations(s)] == [80]
    [m] = find_dates(s, D(2024, 7, 31))
    assert m.start_date == D(2024, 7, 28) and m.start_time == time(15, 15)


# ---------------------------------------------------------------------------
# parse_timestamp
# ---------------------------------------------------------------------------

JST = timezone(timedelta(hours=9))
ET = timezone(timedelta(hours=-4))  # New York on 2025-03-30 (DST)

TIMESTAMPS = [
    ("2024-12-29 11:25", datetime(2024, 12, 29, 11, 25, tzinfo=JST), "2024-12-29 11:25"),
    ("- 日本の防衛\n2025-2-4 09:10", datetime(2025, 2, 4, 9, 10, tzinfo=JST), "2025-2-4 09:10"),
    ("公開日:2025/01/26", datetime(2025, 1, 26, tzinfo=JST), "2025/01/26"),
    ("公開日:2025年1月26日", datetime(2025, 1, 26, tzinfo=JST), "2025年1月26日"),
    ("更新日 2025.01.26", datetime(2025, 1, 26, tzinfo=JST), "2025.01.26"),
    ("令和7年3月30日", datetime(2025, 3, 30, tzinfo=JST), "令和7年3月30日"),
    ("2025年3月30日 10時05分", datetime(2025, 3, 30, 10, 5, tzinfo=JST), "2025年3月30日 10時05分"),
    ("2025年3月30日(日) 10:05", datetime(2025, 3, 30, 10, 5, tzinfo=JST), "2025年3月30日(日) 10:05"),
    ("March 30, 2025", datetime(2025, 3, 30, tzinfo=JST), "March 30, 2025"),
    ("Sunday, March 30, 2025", datetime(2025, 3, 30, tzinfo=JST), "Sunday, March 30, 2025"),
    ("March 30, 2025 10:05 AM", datetime(2025, 3, 30, 10, 5, tzinfo=JST), "March 30, 2025 10:05 AM"),
    ("2025-03-30T10:05:00+09:00", datetime(2025, 3, 30, 10, 5, tzinfo=JST), "2025-03-30T10:05:00+09:00"),
    ("2025-03-30T01:05:00Z", datetime(2025, 3, 30, 1, 5, tzinfo=timezone.utc), "2025-03-30T01:05:00Z"),
    ("March 30, 2025 at 10:05 a.m. ET", datetime(2025, 3, 30, 10, 5, tzinfo=ET), "March 30, 2025 at 10:05 a.m. ET"),
    ("March 30, 2025 10:05 PM EST", datetime(2025, 3, 30, 22, 5, tzinfo=timezone(timedelta(hours=-5))), "March 30, 2025 10:05 PM EST"),
    ("Published 30 March 2025 01:05 UTC", datetime(2025, 3, 30, 1, 5, tzinfo=timezone.utc), "30 March 2025 01:05 UTC"),
    ("Updated: Jan. 6, 2025, 8:00 p.m. (JST)", datetime(2025, 1, 6, 20, 0, tzinfo=JST), "Jan. 6, 2025, 8:00 p.m. (JST)"),
    # US order, year last (DVIDS "Date: 11.01.2024", "10/24/2024 5:00 PM"); a first number above 12 is the day
    ("Date: 11.01.2024", datetime(2024, 11, 1, tzinfo=JST), "11.01.2024"),
    ("Posted: 11.02.2024 09:40", datetime(2024, 11, 2, 9, 40, tzinfo=JST), "11.02.2024 09:40"),
    ("10/24/2024 5:00 PM", datetime(2024, 10, 24, 17, 0, tzinfo=JST), "10/24/2024 5:00 PM"),
    ("24.10.2024", datetime(2024, 10, 24, tzinfo=JST), "24.10.2024"),
]


@pytest.mark.parametrize("text,expected,matched", TIMESTAMPS)
def test_parse_timestamp(text, expected, matched):
    got = parse_timestamp(text)
    assert got is not None
    dt, sub = got
    assert dt.tzinfo is not None
    assert dt == expected and dt.utcoffset() == expected.utcoffset()
    assert sub == matched and sub in text


def test_parse_timestamp_japan_zone_name():
    dt, _ = parse_timestamp("2024-12-29 11:25")
    assert str(dt.tzinfo) == "Asia/Tokyo"


@pytest.mark.parametrize("text", ["", "日米同盟の強化", "F-35 and 2+2", "Section 5", "2024年度", "03-1234-5678", "Tel 03.5253.2111", "v1.2.3"])
def test_parse_timestamp_none(text):
    assert parse_timestamp(text) is None


# ---------------------------------------------------------------------------
# Offsets, ordering, arguments
# ---------------------------------------------------------------------------

DOC = (
    "日米安全保障協議委員会(「2+2」)を実施(7月28日)\n- 防衛省関連\n2024-7-31 10:10\n"
    "防衛省は令和6(2024)年7月28日(日)18時45分、同日、木原稔防衛大臣らが協議したことを公表した。\n"
    "7月28日午後3時15分から約1時間20分、会合が開催された。4月の首相訪米を受け、2010年以降の協議を総括。"
    "キーンソード25は10月23日から11月1日まで実施。"
)


def test_document_offsets_and_values():
    ref = D(2024, 7, 31)
    found = find_dates(DOC, ref)
    assert [m.text for m in found] == [
        "7月28日",
        "2024-7-31 10:10",
        "令和6(2024)年7月28日(日)18時45分",
        "同日",
        "7月28日午後3時15分",
        "4月",
        "10月23日から11月1日まで",
    ]
    for m in found:
        assert DOC[m.start : m.end] == m.text
        assert m.start_date <= m.end_date
    assert found[-1].start_date == D(2023, 10, 23) and found[-1].end_date == D(2023, 11, 1)
    assert [m.start for m in found] == sorted(m.start for m in found)
    for t in find_times(DOC):
        assert DOC[t.start : t.end] == t.text
    for d in find_durations(DOC):
        assert DOC[d.start : d.end] == d.text
    assert [d.minutes for d in find_durations(DOC)] == [80]


def test_mixed_lang_any():
    text = "会談は2024年7月28日に行われた。The meeting on July 28, 2024 was cordial."
    found = find_dates(text, None, lang="any")
    assert [m.text for m in found] == ["2024年7月28日", "July 28, 2024"]
    assert {m.start_date for m in found} == {D(2024, 7, 28)}


def test_datetime_reference_accepted():
    m = _only("昨日の会談", datetime(2025, 3, 31, 23, 0))
    assert m.start_date == D(2025, 3, 30)


def test_bad_arguments():
    with pytest.raises(ValueError):
        find_dates("12月27日", R24, tense="sometime")
    with pytest.raises(ValueError):
        find_dates("12月27日", R24, lang="fr")


def test_long_text_matches_short_text():
    """The windowed scan over a long text finds exactly what per-paragraph scans find."""
    paras = [DOC, "The ministers met on Sunday, March 30, 2025 in Tokyo for about 80 minutes.", "日米" * 300]
    big = "\n".join(paras * 20)
    ref = D(2025, 4, 1)
    got = [(m.start, m.text, m.start_date) for m in find_dates(big, ref, lang="any")]
    expect = []
    offset = 0
    for p in paras * 20:
        expect += [(offset + m.start, m.text, m.start_date) for m in find_dates(p, ref, lang="any")]
        offset += len(p) + 1
    assert got == expect


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------

TOKENS = [
    "令和", "平成", "元", "年", "月", "日", "時", "分", "間", "半", "約", "午前", "午後", "から", "まで", "~", "〜",
    "-", "・", "、", "(", ")", "金", "木", "曜", "度", "以降", "本日", "昨日", "同日", "今年", "上旬", "の", "に",
    "十", "二", "〇", "一", "0", "1", "2", "3", "9", "12", "24", "28", "31", "2024", "2025", "/", ".", ":", " ",
    "July", "March", "May", "Sept.", "Sunday", "on", "to", "from", "between", "and", "a.m.", "p.m.", "hour",
    "minutes", "about", "an", "today", "last", "year", "ET", "UTC", "+09:00", "T", ",",
]

texts = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
refs = st.one_of(st.none(), st.dates(), st.sampled_from([D(1, 1, 1), D(9999, 12, 31), R24, R25]))


@settings(max_examples=300, deadline=None)
@given(text=texts, ref=refs, tense=st.sampled_from(["past", "future", "nearest"]),
       lang=st.sampled_from(["ja", "en", "any"]))
def test_property_never_raises_and_spans_valid(text, ref, tense, lang):
    for m in find_dates(text, ref, tense=tense, lang=lang):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start_date <= m.end_date
        assert m.precision in ("day", "month", "year")
    tl = "en" if lang == "en" else "ja"
    for t in find_times(text, lang=tl):
        assert 0 <= t.start < t.end <= len(text) and text[t.start : t.end] == t.text
    for d in find_durations(text, lang=tl):
        assert 0 <= d.start < d.end <= len(text) and text[d.start : d.end] == d.text
        assert d.minutes > 0
    got = parse_timestamp(text)
    if got is not None:
        assert got[0].tzinfo is not None and got[1] in text


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_property_matches_do_not_overlap(a, b):
    text = a + b
    found = find_dates(text, R25, lang="any")
    for x, y in zip(found, found[1:]):
        assert x.end <= y.start


# Words the quick rejection (dates._DATE_NEEDS, the time and duration gates) must know about
QUICK_TOKENS = TOKENS + [
    "きょう", "きのう", "ことし", "きょねん", "らいねん", "あす", "あした", "あさって", "おととい", "一昨日", "明後日",
    "先月", "来月", "西暦", "(2024)", "(令和6)", "Tuesday", "Fri.", "Thurs.", "yesterday", "Tomorrow", "this", "next",
    "month", "in", "during", "early", "half an hour", "hrs", "noon", "midnight", "正午", "時間", "分間", "程度", "同月",
    " ", "morning", "afternoon", "tonight", "Tonight", "翌", "February",
]


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(texts, st.lists(st.sampled_from(QUICK_TOKENS), max_size=30).map("".join)), ref=refs,
       tense=st.sampled_from(["past", "future", "nearest"]), lang=st.sampled_from(["ja", "en", "any"]))
def test_property_quick_rejection_changes_nothing(text, ref, tense, lang):
    """A text without what every match of the rules contains is answered without running them:
    the answer is the same as running them."""
    from timeline import dates

    ctx = dates._Ctx(text, ref, tense)
    lang = dates._lang(lang)
    for rules, gate, needs in (
        (dates._rules(lang, dates.JA_DATE_RULES, dates.EN_DATE_RULES, dates.NUM_DATE_RULES),
         dates._GATES[lang], dates._DATE_NEEDS[lang]),
        (dates._rules(lang, dates.JA_TIME_RULES, dates.EN_TIME_RULES), dates._TIME_GATES[lang], dates._TIME_GATES[lang]),
        (dates._rules(lang, dates.JA_DURATION_RULES, dates.EN_DURATION_RULES), dates._DUR_GATES[lang],
         dates._DUR_GATES[lang]),
    ):
        assert dates._run(rules, text, ctx, gate, needs) == dates._run(rules, text, ctx, gate)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(texts, st.lists(st.sampled_from(QUICK_TOKENS), max_size=30).map("".join)), ref=refs,
       tense=st.sampled_from(["past", "future", "nearest"]), lang=st.sampled_from(["ja", "en", "any"]))
def test_property_may_hold_date(text, ref, tense, lang):
    """may_hold_date is False only where find_dates finds nothing (extract skips such sentences)."""
    from timeline.dates import may_hold_date

    assert may_hold_date(text, lang) or find_dates(text, ref, tense=tense, lang=lang) == []


def _rule_needs():
    """(rule, what every match of it must contain) for every date, time and duration rule."""
    from timeline import dates

    out = []
    for lang, rules in (("ja", dates.JA_DATE_RULES), ("en", dates.EN_DATE_RULES), ("any", dates.NUM_DATE_RULES)):
        out += [(r, dates._DATE_NEEDS[lang]) for r in rules]
    for lang, rules in (("ja", dates.JA_TIME_RULES), ("en", dates.EN_TIME_RULES)):
        out += [(r, dates._TIME_GATES[lang]) for r in rules]
    for lang, rules in (("ja", dates.JA_DURATION_RULES), ("en", dates.EN_DURATION_RULES)):
        out += [(r, dates._DUR_GATES[lang]) for r in rules]
    return out


def test_every_rule_match_holds_what_the_quick_rejection_looks_for():
    """Each rule's matches in the tables above and in every line of the development corpora
    contain a hit of its language's quick-rejection pattern (a new rule that matches without one
    must extend dates._DATE_NEEDS)."""
    import unicodedata
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    texts = [t for t, *_ in POSITIVE + DATE_TIMES + TIMES + DURATIONS]
    for path in sorted(fixtures.glob("*/articles/*.txt")) + sorted((fixtures.parent.parent / "seeds" / "articles").glob("*.txt")):
        texts += [unicodedata.normalize("NFKC", line) for line in path.read_text(encoding="utf-8").splitlines()]
    matched = set()
    for rule, needs in _rule_needs():
        for text in texts:
            for m in rule.pattern.finditer(text):
                matched.add(rule.name)
                assert needs.search(m.group(0)), (rule.name, m.group(0), text)
    assert len(matched) >= 0.8 * len(_rule_needs())   # the texts exercise most rules
