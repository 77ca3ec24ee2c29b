"""The extractor on phrasing variants: tables of positive cases, a file of text that must yield
nothing, and a property test that it never raises."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.extract import extract
from timeline.ingest import build_article

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
HEADER = "日米関係ニュース\n- 政治\n{stamp}\n"


def _events(body: str, stamp: str = "2025-04-02 09:00") -> list[tuple]:
    article = build_article("case.txt", HEADER.format(stamp=stamp) + body + "\n", NOW)
    return [(m.event_type.value, m.medium.value, m.status.value, m.start_date) for m in extract(article)]


D = date
# (body, [(event_type, medium, status, start_date)]) — written from how such reports are phrased
CASES = [
    ("防衛省は令和7(2025)年4月1日(火)、同日、中谷防衛大臣がヘグセス国防長官と電話会談を行ったことを公表した。",
     [("defense_ministers_meeting", "phone", "held", D(2025, 4, 1))]),
    ("岩屋外務大臣は3月31日、ルビオ国務長官とテレビ会議形式で会談し、日米同盟の強化で一致しました。",
     [("foreign_ministers_meeting", "video", "held", D(2025, 3, 31))]),
    ("石破総理大臣は本日、トランプ大統領と首脳会談を行いました。",
     [("summit", "unknown", "held", D(2025, 4, 2))]),
    ("中谷防衛大臣は4月20日にヘグセス国防長官と会談する予定です。",
     [("defense_ministers_meeting", "unknown", "planned", D(2025, 4, 20))]),
    ("日米両政府は、3月27日から28日まで、東京において、日米拡大抑止協議(EDD)を実施しました。",
     [("working_level_dialogue", "in_person", "held", D(2025, 3, 27))]),
    ("日米安全保障協議委員会(「2+2」)が2025年3月29日にワシントンで開催された。",
     [("ministerial_2plus2", "unknown", "held", D(2025, 3, 29))]),
    ("ヘグセス米国防長官は3月30日、石破首相を表敬訪問した。",
     [("visit", "in_person", "held", D(2025, 3, 30))]),
    ("日米共同統合演習「キーンソード25」が10月23日から実施された。",
     [("exercise", "unknown", "held", D(2024, 10, 23))]),
    ("防衛省と外務省は4月1日、日米の拡大抑止に関するガイドラインを作成したと発表した。",
     [("document_release", "unknown", "held", D(2025, 4, 1))]),
    ("Secretary of Defense Pete Hegseth met with Japanese Minister of Defense Gen Nakatani in Tokyo on March 30, 2025.",
     [("defense_ministers_meeting", "in_person", "held", D(2025, 3, 30))]),
    ("Secretary Rubio held a phone call today with Japanese Foreign Minister Takeshi Iwaya.",
     [("foreign_ministers_meeting", "phone", "held", D(2025, 4, 2))]),
    ("President Trump will meet Prime Minister Shigeru Ishiba at the White House on April 10.",
     [("summit", "in_person", "planned", D(2025, 4, 10))]),
    # a wire lede names the meeting by what the two counterparts did there
    ("TOKYO (Kyodo) -- Japanese Foreign Minister Takeshi Iwaya and U.S. Secretary of State Marco Rubio "
     "agreed Monday to strengthen the alliance's deterrence.",
     [("foreign_ministers_meeting", "unknown", "held", D(2025, 3, 31))]),
    ("Defense Minister Gen Nakatani and Defense Secretary Pete Hegseth vowed on March 30 to speed up missile co-production.",
     [("defense_ministers_meeting", "unknown", "held", D(2025, 3, 30))]),
]

def _people_of(body: str, stamp: str = "2025-04-02 09:00") -> list[tuple[str, list[str]]]:
    article = build_article("case.txt", HEADER.format(stamp=stamp) + body + "\n", NOW)
    return [(m.event_type.value, sorted(p.name_en for p in m.participants)) for m in extract(article)]


# officials outside the registry keep their English name, title and (where written) country
UNREGISTERED_EN = [
    ("Deputy Assistant Secretary of Defense for East Asia Jed Royal said the talks went well.",
     [("Jed Royal", "Deputy Assistant Secretary of Defense for East Asia", None)]),
    ("Japanese Vice Minister of Defense for International Affairs Masami Oka and Principal Deputy Assistant "
     "Secretary of Defense Cara Abercrombie co-chaired the dialogue.",
     [("Masami Oka", "Japanese Vice Minister of Defense for International Affairs", "JP"),
      ("Cara Abercrombie", "Principal Deputy Assistant Secretary of Defense", None)]),
    ("The Minister of Defense said the Ministry of Defense will act.", []),
    ("U.S. Ambassador to Japan Rahm Emanuel attended.", [("Rahm Emanuel", "駐日米国大使", "US")]),
]


@pytest.mark.parametrize("text,expected", UNREGISTERED_EN, ids=[u[0][:28] for u in UNREGISTERED_EN])
def test_english_officials_outside_the_registry(text, expected):
    from timeline.people import find_people
    got = [(f.name_en, f.title, f.country) for f in find_people(text, D(2024, 6, 10))]
    assert got == expected


# English subjects that point back to people named just before ("the two leaders", "He"),
# and bare surnames after a first mention
ANAPHORA = [
    ("President Biden welcomed Prime Minister Kishida to the White House on April 10. "
     "Meeting in the Oval Office, the two leaders affirmed the alliance.",
     [("summit", ["Fumio Kishida", "Joe Biden"])], "2024-04-11 09:00"),
    ("President Joe Biden postponed the Australia leg of his trip. He is set to hold talks with Japanese "
     "Prime Minister Fumio Kishida on Thursday.",
     [("summit", ["Fumio Kishida", "Joe Biden"])], "2023-05-17 09:00"),
    # a joint statement speaks as "we": its authors are the leaders its opening names
    ("Today, President Biden welcomed Prime Minister Kishida to the White House. Tomorrow, we will hold the first "
     "trilateral summit with President Ferdinand R. Marcos Jr. of the Philippines.",
     [("summit", ["Fumio Kishida", "Joe Biden"]), ("summit", ["Ferdinand Marcos", "Fumio Kishida", "Joe Biden"])],
     "2024-04-10 09:00"),
    ("Biden had also planned a May 22 stop in Port Moresby, which would have been the first visit to Papua "
     "New Guinea by a sitting U.S. president.",
     [("visit", ["Joe Biden"])], "2023-05-17 09:00"),
]


def test_a_look_back_keeps_its_own_date_and_does_not_take_the_outcomes_that_follow():
    body = ("Today, President Biden welcomed Prime Minister Kishida to the White House. Since we met in Hiroshima "
            "last May, and together with President Yoon at the Camp David Summit in August 2023, our cooperation "
            "has grown. We reaffirm that the Alliance remains the cornerstone of peace.")
    article = build_article("case.txt", HEADER.format(stamp="2024-04-10 09:00") + body + "\n", NOW)
    got = {(m.start_date, m.date_precision.value): [o.kind.value for o in m.outcomes] for m in extract(article)}
    assert set(got) == {(D(2024, 4, 10), "day"), (D(2023, 5, 1), "month"), (D(2023, 8, 1), "month")}
    assert got[(D(2024, 4, 10), "day")] == ["reaffirmed"]


# news Japanese names a meeting by its pair and what they agreed: "日米防衛相は…で一致した"
PAIRS = [
    ("日米防衛相は3月30日、ミサイルの共同生産を加速することで一致した。",
     [("defense_ministers_meeting", ["Gen Nakatani", "Pete Hegseth"])]),
    ("日米外相は1月21日、同盟の抑止力を強化することで合意した。",
     [("foreign_ministers_meeting", ["Marco Rubio", "Takeshi Iwaya"])]),
    ("日米防衛相会談を来月にも東京で開催する方向で調整している。", [("defense_ministers_meeting", ["Gen Nakatani", "Pete Hegseth"])]),
    ("日米首脳の関係は良好だと官房長官は述べた。", []),
    ("日米外相が並んで写真に納まった。", []),   # the pair without an agreement
]


@pytest.mark.parametrize("body,expected", PAIRS, ids=[p[0][:16] for p in PAIRS])
def test_pair_agreement_sentences(body, expected):
    assert _people_of(body, "2025-04-02 09:00") == expected


@pytest.mark.parametrize("body,expected,stamp", ANAPHORA, ids=[a[0][:30] for a in ANAPHORA])
def test_english_anaphora_and_surnames(body, expected, stamp):
    assert _people_of(body, stamp) == expected


# sentences that point back to a meeting already reported, or name one as a topic: no new event
POINTING_BACK = [
    "石破総理大臣は2月7日、トランプ大統領と首脳会談を行った。石破氏は会談で、対米投資を拡大する考えを伝えた。",
    "石破総理大臣は2月7日、トランプ大統領と首脳会談を行った。トランプ氏は会談後の記者会見で、同盟の重要性を強調した。",
]


@pytest.mark.parametrize("body", POINTING_BACK, ids=[b[-24:] for b in POINTING_BACK])
def test_pointing_back_adds_no_event(body):
    assert [e[0] for e in _events(body, "2025-02-08 09:00")] == ["summit"]


def test_a_meeting_named_as_topic_is_not_an_instance():
    body = "日米の首脳会談をめぐっては、ことし4月に当時の菅総理大臣がワシントンを訪れて行った会談で、共同声明が発表されています。"
    # only the April meeting, dated by its month (not an undated "首脳会談" of its own)
    assert [(e[0], e[3]) for e in _events(body, "2021-10-05 12:00")] == [("summit", D(2021, 4, 1))]


def test_an_exercise_reported_by_its_first_day_takes_the_period_that_follows():
    body = "日米共同訓練「レゾリュート・ドラゴン25」が11日、始まった。期間は9月11日から25日までの15日間で、各地の演習場を使う。"
    article = build_article("case.txt", HEADER.format(stamp="2025-09-11 18:00") + body + "\n", NOW)
    assert [(m.event_type.value, m.start_date, m.end_date) for m in extract(article)] == \
        [("exercise", D(2025, 9, 11), D(2025, 9, 25))]


# English: what the sentence's subject is still on the way to do is planned; wire headlines
EN_STATUS = [
    ("Trump is expected to arrive in Tokyo on Monday after a stop in Kuala Lumpur, and to hold talks with "
     "Prime Minister Sanae Takaichi on Tuesday.", "2025-10-22 17:00", [("summit", "planned", D(2025, 10, 28))]),
    # a comma ends a plan only in a headline; in a sentence it can sit between the meeting and its plan
    ("Foreign Minister Hayashi and Secretary Blinken discussed a trilateral summit, to be held at Camp David on August 18.",
     "2023-08-10 09:00", [("summit", "planned", D(2023, 8, 18))]),
    ("Defense Minister Kihara and Secretary Austin agreed on Wednesday to speed up the upgrade.", "2023-10-05 09:00",
     [("defense_ministers_meeting", "held", D(2023, 10, 4))]),
    # the passive future: "will be held", "will take place"
    ("The next Extended Deterrence Dialogue will be held in Washington, officials said.", "2024-12-20 09:00",
     [("working_level_dialogue", "planned", None)]),
]


@pytest.mark.parametrize("body,stamp,expected", EN_STATUS, ids=[e[0][:24] for e in EN_STATUS])
def test_english_status_and_headlines(body, stamp, expected):
    assert [(e[0], e[2], e[3]) for e in _events(body, stamp)] == expected


def test_what_the_two_agreed_about_a_later_meeting_belongs_to_their_meeting():
    body = ("岸防衛大臣は1月24日、オースティン国防長官と電話会談を行いました。"
            "両閣僚は、日米安全保障協議委員会（「2+2」）を適切な時期に開催できるよう、事務レベルで調整を進めることで一致しました。")
    article = build_article("case.txt", HEADER.format(stamp="2021-01-24 12:00") + body + "\n", NOW)
    got = {m.event_type.value: (m.status.value, [o.kind.value for o in m.outcomes]) for m in extract(article)}
    assert got == {"defense_ministers_meeting": ("held", ["agreed"]), "ministerial_2plus2": ("planned", [])}


def test_delegations_citing_an_older_summit_speak_of_their_own_meeting():
    body = ("１　6月10日及び11日、米国ワシントンDCにおいて、日米拡大抑止協議が開催されました。\n"
            "２　両国代表団は、本年4月10日にワシントンDCで行われた日米首脳会談において協議を深化させることが確認されたことを踏まえ、"
            "拡大抑止が日本の防衛を支えていることを再確認しました。\n"
            "３　両国代表団は、ロシアによる核兵器使用の威嚇について、強い懸念を共有しました。\n")
    article = build_article("case.txt", HEADER.format(stamp="2024-06-12 09:00") + body, NOW)
    got = {m.event_type.value: sorted(o.kind.value for o in m.outcomes) for m in extract(article)}
    assert {"concerned", "reaffirmed"} <= set(got["working_level_dialogue"])
    assert "summit" not in got or got["summit"] == []


def test_a_post_reporting_meetings_in_turn_gives_each_its_outcomes():
    body = ("木原稔防衛大臣は10月4日、国防総省でオースティン国防長官と会談しました。オースティン長官はこれを歓迎し、"
            "両者は指揮・統制の枠組みの向上に向けた議論を加速させることで一致しました。\n\n"
            "上川陽子外務大臣は11月7日、ブリンケン国務長官と東京で会談しました。両者は北朝鮮とロシアの軍事協力に深刻な懸念を共有しました。\n")
    article = build_article("case.txt", HEADER.format(stamp="2023-11-12 09:00") + body, NOW)
    got = {m.event_type.value: sorted(o.kind.value for o in m.outcomes) for m in extract(article)}
    assert got == {"defense_ministers_meeting": ["agreed", "welcomed"], "foreign_ministers_meeting": ["concerned"]}


def test_an_english_outcome_is_not_cut_inside_its_object():
    body = ("Defense Minister Gen Nakatani and Defense Secretary Pete Hegseth agreed on Monday to accelerate discussions "
            "on how Japanese and American forces are commanded and controlled.")
    assert [t for _, t in _outcomes(body)] == [body.rstrip(".")]


def test_a_quoted_principal_and_the_meeting_his_words_name():
    body = ("岸田総理大臣は10月5日、バイデン大統領と電話会談を行いました。日米の首脳会談をめぐっては、ことし4月に当時の菅総理大臣が"
            "ワシントンを訪れて行った会談で、共同声明が発表されています。岸田総理大臣は、電話会談のあと記者団に対し、"
            "「日米同盟を一層強化していくことで一致した」と述べました。")
    article = build_article("case.txt", HEADER.format(stamp="2021-10-05 12:00") + body + "\n", NOW)
    by_month = {m.start_date.month: [o.span.text for o in m.outcomes] for m in extract(article)}
    assert any("日米同盟を一層強化していくことで一致した" in t for t in by_month[10])
    assert not any("一層強化" in t for t in by_month[4])


def test_multilateral_formats_of_one_day_stay_apart():
    body = ("浜田防衛大臣は6月3日、シンガポールにおいて、初となる日米豪比防衛相会談を実施した。"
            "同日、浜田防衛大臣は、オースティン米国防長官及びマールズ豪国防大臣との間で日米豪防衛相会談を実施した。")
    article = build_article("case.txt", HEADER.format(stamp="2023-06-03 20:00") + body + "\n", NOW)
    assert sorted(m.series for m in extract(article)) == ["multi_au_jp_ph_us", "multi_au_jp_us"]


def test_a_chronology_dates_rows_by_the_year_above_them():
    body = "■日米の主な会談\n【2022年】\n1月7日　2+2をテレビ会議で開催\n【2023年】\n1月12日　浜田防衛相とオースティン国防長官が国防総省で会談\n"
    article = build_article("case.txt", HEADER.format(stamp="2025-01-22 09:00") + body, NOW)
    assert sorted(m.start_date for m in extract(article)) == [D(2022, 1, 7), D(2023, 1, 12)]


def test_a_president_elect_counts_in_his_coming_office():
    assert _events("11月7日、石破首相がトランプ次期大統領と電話で約5分間会談した。", "2024-11-08 09:00") == \
        [("summit", "phone", "held", D(2024, 11, 7))]


def test_the_visit_that_is_a_meetings_occasion_does_not_hold_the_subject():
    assert _people_of("昨年5月23日には、岸田首相が来日したバイデン大統領と東京で会談し、防衛費の増額を約束した。", "2023-01-12 09:00") == \
        [("summit", ["Fumio Kishida", "Joe Biden"])]


def test_schedule_rows_and_captions_take_the_page_day():
    body = "午前　日米首脳会談（少人数会合・拡大会合）\n\n[写真]会談を前に握手する岩屋毅外相（左）とルビオ米国務長官＝21日、米国務省\n"
    got = sorted((e[0], e[3]) for e in _events(body, "2025-01-21 09:00"))
    assert got == [("foreign_ministers_meeting", D(2025, 1, 21)), ("summit", D(2025, 1, 21))]


def test_the_one_asked_a_question_is_not_a_participant():
    body = "QUESTION: (Through interpreter) Minister Nakatani, Secretary Hegseth will meet Prime Minister Ishiba on Friday."
    assert all("Gen Nakatani" not in names for _, names in _people_of(body))


def test_a_series_that_has_met_since_a_year_is_background():
    assert _events("Third, whether the Extended Deterrence Dialogue, which has met regularly since 2010, will survive.") == []


def test_an_incoming_official_is_read_in_his_coming_office():
    body = "UPDATE: Ishiba spoke with Trump by phone for about five minutes on Thursday, and the two agreed to work closely."
    assert _people_of(body, "2024-11-07 12:00") == [("summit", ["Donald Trump", "Shigeru Ishiba"])]


def test_a_byline_date_after_a_label_is_the_page_date():
    article = build_article("wire.txt", "KANTO MORNING WIRE\n\nIshiba, Trump hold first phone talks\n\nBy Kenji Moriyama\n"
                            "Published: Nov 7, 2024 7:05 AM JST | Updated: Nov 7, 2024 11:48 AM JST\n\n"
                            "Prime Minister Shigeru Ishiba spoke with Donald Trump by phone on Thursday morning.\n", NOW)
    assert article.published_at is not None and (article.published_at.date(), article.published_at.hour) == (D(2024, 11, 7), 7)


def test_a_stamp_between_separators_on_a_long_byline_line():
    article = build_article("embassy.txt", "U.S. Embassy & Consulates in Japan\n\nPresident Biden's Visit to Japan\n\n"
                            "By U.S. Embassy Tokyo | 24 May, 2022 | Topics: News, Press Releases, U.S. & Japan\n\n"
                            "President Biden met Prime Minister Kishida at the Akasaka Palace on Monday.\n", NOW)
    assert article.published_at is not None and article.published_at.date() == D(2022, 5, 24)


def test_he_is_the_president_the_previous_sentence_was_about():
    body = ("On Monday, May 23, the President was received at the Imperial Palace. "
            "He then held a bilateral meeting with Prime Minister Kishida at the Akasaka Palace.")
    assert ("summit", ["Fumio Kishida", "Joe Biden"]) in _people_of(body, "2022-05-24 09:00")


def test_a_trip_made_for_a_meeting_is_that_meeting():
    assert _people_of("石破首相は、2月上旬にも訪米してトランプ氏と会談する方向で調整している。", "2025-01-22 09:00") == \
        [("summit", ["Donald Trump", "Shigeru Ishiba"])]


def test_a_2plus2_without_names_is_the_four_ministers_of_its_day():
    assert _people_of("日米安全保障協議委員会（「2+2」）が2024年7月28日に東京で開催された。", "2024-07-29 09:00") == \
        [("ministerial_2plus2", ["Antony Blinken", "Lloyd Austin", "Minoru Kihara", "Yoko Kamikawa"])]


def test_source_citations_in_footnotes_are_not_reports():
    body = ('Analysts expect more from the alliance.\n\n[1] Ministry of Foreign Affairs of Japan, "Japan-U.S. Security '
            'Consultative Committee (2+2) (video conference)," January 7, 2022.\n')
    assert _events(body, "2024-11-20 09:00") == []


def test_the_president_elect_is_who_takes_office_next():
    assert _people_of("Prime Minister Shigeru Ishiba spoke with the president-elect by phone on the morning of November 7.",
                      "2024-11-20 09:00") == [("summit", ["Donald Trump", "Shigeru Ishiba"])]


def test_whom_someone_accompanies_is_not_at_the_meeting():
    body = "中谷防衛大臣は4月1日、トランプ大統領に同行しているヘグセス国防長官と防衛省で会談した。"
    assert _people_of(body) == [("defense_ministers_meeting", ["Gen Nakatani", "Pete Hegseth"])]


def test_an_earlier_meeting_with_a_predecessor_stays_apart():
    body = ("Defense Minister Minoru Kihara and Defense Secretary Lloyd Austin held talks at the Pentagon on Wednesday. "
            "Austin last met Kihara's predecessor, Yasukazu Hamada, during a visit to Tokyo in June.")
    got = _people_of(body, "2023-10-05 09:00")
    assert ("defense_ministers_meeting", ["Lloyd Austin", "Minoru Kihara"]) in got
    assert all("Yasukazu Hamada" not in names or "Minoru Kihara" not in names for _, names in got)


def test_a_date_in_another_zone_does_not_replace_the_venue_date():
    body = "木原稔防衛大臣は10月4日（日本時間5日未明）、ワシントン近郊の国防総省でオースティン国防長官と会談しました。"
    assert [e[3] for e in _events(body, "2023-11-12 09:00")] == [D(2023, 10, 4)]


def test_the_pair_just_named_points_back():
    body = "小泉進次郎防衛相は29日、来日中のヘグセス米国防長官と防衛省で会談した。両氏の対面での会談は、21日の小泉氏の防衛相就任後初めて。"
    assert [(e[0], e[3]) for e in _events(body, "2025-10-29 21:00")] == [("defense_ministers_meeting", D(2025, 10, 29))]


def test_blog_tags_name_topics_not_events_and_the_date_line_keeps_its_labels():
    article = build_article("blog.txt", "安全保障ノート\n\n秋の会談を整理してみた\n\n2023.11.12（日）　カテゴリー：日米関係　タグ：#防衛相会談 #外相会談\n\n"
                            "上川陽子外務大臣は11月7日、ブリンケン国務長官と東京で会談しました。\n", NOW)
    assert article.published_at is not None and article.published_at.date() == D(2023, 11, 12)
    assert [(m.event_type.value, m.start_date) for m in extract(article)] == [("foreign_ministers_meeting", D(2023, 11, 7))]


def test_a_standfirst_above_the_byline_does_not_hide_the_date():
    article = build_article("analysis.txt", "THE HARBOR POST\nWorld | Asia\n\nKoizumi's first sit-down with Hegseth\n\n"
                            "Japan's new defense chief arrived at the table with a spending promise. The meetings before it "
                            "show how much the agenda has shifted.\n\nBy Rachel Imamura\nOctober 30, 2025 at 6:00 a.m. EDT\n\n"
                            "Gen Nakatani hosted Hegseth in Tokyo on March 30 of this year.\n", NOW)
    assert article.published_at is not None and article.published_at.date() == D(2025, 10, 30)
    assert [(m.start_date, sorted(p.name_en for p in m.participants)) for m in extract(article)
            if m.start_date] == [(D(2025, 3, 30), ["Gen Nakatani", "Pete Hegseth"])]


def test_a_portal_stamp_without_a_year_is_dated_by_its_weekday():
    from timeline.dates import parse_timestamp
    got, text = parse_timestamp("10/29(水) 21:14配信", D(2026, 1, 1))
    assert (got.year, got.month, got.day, got.hour, got.minute, text) == (2025, 10, 29, 21, 14, "10/29(水) 21:14")
    # the year is bounded by the day the page was fetched, not by the clock of whoever reads it
    assert parse_timestamp("10/29(木)", D(2026, 11, 1))[0].year == 2026
    assert parse_timestamp("10/29(木)", D(2026, 10, 28))[0].year == 2020   # 2026's is after the fetch


def test_reader_comments_and_related_lists_are_not_events():
    body = ("小泉防衛大臣は10月29日、ヘグセス国防長官と会談した。\n\nｋｏｕ＊＊＊＊\n2時間前\n"
            "去年の2+2でも同じような約束をしていた気がする。\n返信 42\n\nRelated\n"
            "Readout of Secretary of Defense Lloyd J. Austin III's Call With NATO Secretary General Jens Stoltenberg\n")
    assert [e[0] for e in _events(body, "2025-10-29 18:00")] == ["defense_ministers_meeting"]


def test_reference_links_at_the_end_of_a_release_are_not_events():
    body = ("岩屋外務大臣は1月21日、ルビオ国務長官と日米外相会談を行った。\n\n（参考）\n"
            "・日米豪印外相会合（令和7年1月21日）\n・日米関係（基礎データ）\n")
    assert [e[0] for e in _events(body, "2025-01-22 09:00")] == ["foreign_ministers_meeting"]


# "X and Y agreed" is a meeting only when X and Y are a Japanese and a US counterpart
JOINT_ACTION_NEGATIVES = [
    "Japan and the United States agreed Monday to expand joint production of missiles.",
    "Prime Minister Anthony Albanese and President Joe Biden agreed on Monday to deepen cooperation.",
    "Defense Secretary Pete Hegseth agreed Monday with lawmakers to review the budget.",
    "Prime Minister Shigeru Ishiba and Defense Secretary Pete Hegseth agreed Sunday to keep in close touch.",
    "President Joe Biden signed the defense bill on Monday.",
    "Japan and the United States signed a memorandum on Monday.",
]


def test_counterparts_who_signed_together_met():
    body = ("Defense Secretary Lloyd Austin and his Japanese counterpart, Minoru Kihara, on Sunday signed an "
            "arrangement on missile co-production in Tokyo.")
    assert _events(body, "2024-07-28 19:00") == [("defense_ministers_meeting", "in_person", "held", D(2024, 7, 28))]


@pytest.mark.parametrize("body", JOINT_ACTION_NEGATIVES, ids=[b[:30] for b in JOINT_ACTION_NEGATIVES])
def test_agreement_without_two_counterparts_is_no_meeting(body):
    assert _events(body) == []


def _outcomes(body: str) -> list[tuple[str, str]]:
    article = build_article("case.txt", HEADER.format(stamp="2025-04-02 09:00") + body + "\n", NOW)
    return [(o.kind.value, o.span.text) for m in extract(article) for o in m.outcomes]


# (sentences, [(kind, a fragment of the outcome's text)]): predicates of what a meeting produced
OUTCOMES = [
    ("岩屋外務大臣は4月1日、ルビオ国務長官と会談した。岩屋大臣は、日本の取組を説明し、ルビオ長官から支持を得ました。",
     [("other", "支持を得ました")]),
    ("石破総理大臣は4月1日、トランプ大統領と会談した。会談後の共同声明には、尖閣諸島への第5条の適用が明記された。",
     [("other", "明記された")]),
    ("中谷防衛大臣は4月1日、ヘグセス国防長官と会談した。会談では、在日米軍を統合軍司令部に再編する方針が示された。",
     [("announced", "方針が示された")]),
    ("Secretary of Defense Pete Hegseth met Minister of Defense Gen Nakatani in Tokyo on March 30. "
     "The United States restated its commitment to the defense of Japan under Article V.",
     [("reaffirmed", "restated its commitment")]),
    ("President Biden met Prime Minister Kishida at the White House on April 10. The leaders launched a new "
     "partnership on critical minerals.",
     [("announced", "launched a new partnership")]),
    # "affirmed" (not re-): a confirmation; 決めた: a decision; a welcomed determination is an outcome,
    # not a host welcoming his guest
    ("Secretary Austin met Minister Hamada at the Pentagon on January 12. The two affirmed that attacks in space "
     "could trigger Article 5.", [("confirmed", "affirmed that attacks in space")]),
    ("浜田防衛大臣は1月12日、オースティン国防長官と会談した。両氏は、沖縄の海兵隊連隊を改編すると決めた。",
     [("decided", "改編すると決めた")]),
    ("President Biden met Prime Minister Kishida in Tokyo on May 23. The President welcomed Prime Minister Kishida's "
     "determination to reinforce Japan's defense capabilities.", [("welcomed", "welcomed Prime Minister Kishida's determination")]),
    # predicates a reporter uses for the same outcomes
    ("菅総理大臣は1月28日、バイデン大統領と電話会談を行った。両首脳は、尖閣諸島に第5条が適用されることを確かめ合った。",
     [("confirmed", "確かめ合った")]),
    ("林外務大臣は2月11日、ブリンケン国務長官と会談した。両氏は、日米韓で緊密に連携していくことを申し合わせた。",
     [("agreed", "申し合わせた")]),
    ("岩屋外務大臣は1月21日、ルビオ国務長官と会談した。ルビオ長官は、尖閣諸島に第5条が適用されると明言した。",
     [("confirmed", "明言した")]),
    ("岸田総理大臣は4月10日、バイデン大統領と会談した。バイデン大統領は、第5条の適用を改めて明言しました。",
     [("reaffirmed", "改めて明言")]),
    ("President Biden met Prime Minister Kishida at the White House on January 13. Biden praised Tokyo's plan to "
     "raise defense spending. The leaders criticized China's coercion.",
     [("other", "praised Tokyo's plan"), ("condemned", "criticized China's coercion")]),
    ("President Biden met Prime Minister Kishida at the White House on January 13. Biden repeated that Washington "
     "would defend Japan with all its capabilities.", [("reaffirmed", "repeated that Washington")]),
]


@pytest.mark.parametrize("body,expected", OUTCOMES, ids=[o[0][:24] for o in OUTCOMES])
def test_outcome_predicates(body, expected):
    got = _outcomes(body)
    for kind, fragment in expected:
        assert any(k == kind and fragment in text for k, text in got), got


@pytest.mark.parametrize("body,expected", CASES, ids=[c[0][:30] for c in CASES])
def test_events_read_from_phrasing_variants(body, expected):
    stamp = "2024-10-30 09:00" if "キーンソード" in body else "2025-04-02 09:00"
    assert _events(body, stamp) == expected


PEOPLE = [
    ("木原稔(きはら・みのる)防衛大臣とオースティン国防長官は7月28日、東京で会談した。", {"木原稔", "ロイド・オースティン"}),
    ("中谷大臣は同日、ヘグセス長官と電話会談を行った。", {"中谷元", "ピート・ヘグセス"}),
    ("防衛大臣は2024年7月28日、米国防長官と会談した。", {"木原稔", "ロイド・オースティン"}),
    ("Minister Nakatani and Secretary Hegseth met in Tokyo on March 30, 2025.", {"中谷元", "ピート・ヘグセス"}),
    ("岸田総理は2023年1月13日、バイデン大統領と首脳会談を行った。", {"岸田文雄", "ジョー・バイデン"}),
]


@pytest.mark.parametrize("body,names", PEOPLE, ids=[p[0][:24] for p in PEOPLE])
def test_people_resolved_to_registry_names(body, names):
    article = build_article("case.txt", HEADER.format(stamp="2025-04-02 09:00") + body + "\n", NOW)
    got = {p.name_ja for m in extract(article) for p in m.participants}
    assert got == names


NEGATIVE = Path(__file__).parent / "fixtures" / "negative"


@pytest.mark.parametrize("path", sorted(NEGATIVE.glob("*.txt")), ids=lambda p: p.stem)
def test_text_that_must_yield_nothing(path):
    article = build_article(path.name, path.read_text(encoding="utf-8"), NOW)
    assert extract(article) == []


_ROW_2023 = "2023年1月11日\t浜田防衛大臣、林外務大臣がワシントンで"
_ROW_2024 = "2024年7月28日\t木原防衛大臣、上川外務大臣が東京で"


def _paragraphs(n: int) -> str:
    return "".join(f"本文の第{i}段落です。\n" for i in range(n))


_2P2 = "ministerial_2plus2"
# (body, expected): a chronology table's rows under a heading that names a series
TABLES = [
    ("■これまでの日米2+2\n" + _ROW_2023 + "\n" + _ROW_2024,
     [(_2P2, "unknown", "held", D(2023, 1, 11)), (_2P2, "unknown", "held", D(2024, 7, 28))]),
    ("■これまでの日米2+2\n日付\t出席者|会場\n" + _ROW_2023, [(_2P2, "unknown", "held", D(2023, 1, 11))]),  # header line
    ("■これまでの日米2+2\n" + _paragraphs(11) + _ROW_2023, [(_2P2, "unknown", "held", D(2023, 1, 11))]),
    ("■これまでの日米2+2\n" + _paragraphs(12) + _ROW_2023, []),      # too far below its heading
    ("■これまでの日米2+2\n■参考\n" + _ROW_2023, []),                  # another heading ends the table
    (_ROW_2023, []),                                                  # no heading
]


@pytest.mark.parametrize("body,expected", TABLES, ids=[str(i) for i in range(len(TABLES))])
def test_table_rows_under_a_series_heading(body, expected):
    assert _events(body) == expected


def test_every_span_is_a_slice_of_the_article():
    body = "\n".join(c[0] for c in CASES)
    article = build_article("all.txt", HEADER.format(stamp="2025-04-02 09:00") + body, NOW)
    for m in extract(article):
        for span in [m.evidence, *m.supporting] + [p.span for p in m.participants] + [o.span for o in m.outcomes]:
            assert article.text[span.char_start:span.char_end] == span.text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("日米防衛相会談電話首脳2+年月日の、。予定(「」)\nMet with Secretary 0123456789ヘグセス中谷氏大臣")),
               min_size=1, max_size=300))
def test_extractor_never_raises_on_arbitrary_text(text):
    if not text.strip():
        return
    article = build_article("fuzz.txt", text, NOW)
    for m in extract(article):
        assert article.text[m.evidence.char_start:m.evidence.char_end] == m.evidence.text
        assert m.start_date is None or m.start_date <= m.end_date


# --- formats, editions and calls on a minister (phrasings of English readouts and wires) ---------

def _mentions(body: str, stamp: str):
    return extract(build_article("case.txt", HEADER.format(stamp=stamp) + body + "\n", NOW))


def test_a_ministry_page_titled_telephone_talk_is_the_call_it_reports():
    body = ("Japan-U.S. Foreign Ministers' Telephone Talk\n\n"
            "On November 12, commencing at 9:30 a.m. for approximately 20 minutes, Mr. MOTEGI Toshimitsu, Minister "
            "for Foreign Affairs of Japan, held a telephone talk with the Honorable Marco Rubio, Secretary of State.")
    got = [(m.event_type.value, m.medium.value, m.status.value, m.start_date, sorted(p.name_en for p in m.participants))
           for m in _mentions(body, "2025-11-12 18:00")]
    assert got == [("foreign_ministers_meeting", "phone", "held", D(2025, 11, 12), ["Marco Rubio", "Toshimitsu Motegi"])]


def test_a_g7_gathering_of_foreign_ministers_is_not_a_japan_us_meeting():
    body = "Secretary Rubio arrived in Ottawa for the G7 Foreign Ministers' Meeting on November 11."
    assert [m.event_type.value for m in _mentions(body, "2025-11-11 09:00")
            if m.event_type.value == "foreign_ministers_meeting"] == []


def test_a_summit_of_three_and_the_bilateral_before_it_stay_apart():
    body = ("President Joe Biden hosted Prime Minister Fumio Kishida and Philippine President Ferdinand Marcos at the "
            "White House on Thursday for the first summit of the three countries. The leaders agreed to expand joint "
            "naval patrols in the South China Sea.\n"
            "Earlier in the day, in a short meeting in the Oval Office, Biden and Kishida reaffirmed that the security "
            "treaty covers the Senkaku Islands.")
    by_series = {m.series: (m.start_date, sorted(p.name_en for p in m.participants), [o.kind.value for o in m.outcomes])
                 for m in _mentions(body, "2024-04-12 09:00") if m.event_type.value == "summit"}
    assert by_series["multi_jp_ph_us"] == (D(2024, 4, 11), ["Ferdinand Marcos", "Fumio Kishida", "Joe Biden"], ["agreed"])
    assert by_series[None] == (D(2024, 4, 11), ["Fumio Kishida", "Joe Biden"], ["reaffirmed"])


def test_a_japanese_report_of_three_leaders_and_a_separate_pair():
    body = ("岸田文雄首相は11日午後（日本時間12日未明）、バイデン米大統領、フィリピンのマルコス大統領とホワイトハウスで会談した。"
            "岸田首相はこれに先立ち、同日午前（同11日深夜）、バイデン氏と個別に会談した。")
    got = sorted((m.series or "", m.start_date, len(m.participants)) for m in _mentions(body, "2024-04-12 09:00")
                 if m.event_type.value == "summit")
    assert got == [("", D(2024, 4, 11), 2), ("multi_jp_ph_us", D(2024, 4, 11), 3)]


TOPIC_NOT_PARTICIPANTS = [
    # what two ministers talked about is not a meeting they attend
    ("Foreign Minister Kamikawa and Secretary Blinken exchanged views on the upcoming Japan-U.S. summit in April.",
     "2024-03-20 09:00"),
    ("上川外務大臣とブリンケン国務長官は、4月の日米首脳会談について意見交換した。", "2024-03-20 09:00"),
]


@pytest.mark.parametrize("body,stamp", TOPIC_NOT_PARTICIPANTS, ids=[t[0][:20] for t in TOPIC_NOT_PARTICIPANTS])
def test_a_meeting_talked_about_does_not_take_the_talkers(body, stamp):
    summits = [m for m in _mentions(body, stamp) if m.event_type.value == "summit"]
    assert summits and all(not {p.name_en for p in m.participants} & {"Yoko Kamikawa", "Antony Blinken"} for m in summits)


RECURRING = [
    # a meeting at a frequency is the series the leaders agreed on, not an instance
    ("The three leaders agreed to hold a trilateral summit every year and to set up a hotline.", "2023-08-19 09:00"),
    ("3カ国の首脳は、少なくとも年1回、首脳会談を開催することで合意した。", "2023-08-19 09:00"),
    ("The allies will hold the dialogue annually, officials said.", "2024-06-12 09:00"),
]


@pytest.mark.parametrize("body,stamp", RECURRING, ids=[t[0][:20] for t in RECURRING])
def test_a_meeting_held_at_a_frequency_is_no_event(body, stamp):
    assert _events(body, stamp) == []


def test_a_long_noun_phrase_keeps_its_own_to_be_held():
    body = ("The two ministers exchanged views on the upcoming summit among Japan, the United States and the Philippines "
            "to be held at the White House on April 11.")
    got = [(m.event_type.value, m.status.value, m.start_date, m.series) for m in _mentions(body, "2024-03-25 09:00")]
    assert got == [("summit", "planned", D(2024, 4, 11), "multi_jp_ph_us")]


EXERCISES = [
    # a known exercise by its name and edition, its span from the verbs of its start and end
    ("Resolute Dragon 25 wrapped up Sept. 25 after two weeks of training that began Sept. 11 in Okinawa.",
     "2025-09-26 09:00", [(D(2025, 9, 11), D(2025, 9, 25))]),
    ("Soldiers opened Orient Shield 25 with a ceremony July 20, beginning training that runs through Aug. 3.",
     "2025-07-21 09:00", [(D(2025, 7, 20), D(2025, 8, 3))]),
    # two editions of one series are two events; the series itself is none
    ("Keen Sword 25 began Oct. 23. The previous edition, Keen Sword 23, took place in November 2022. "
     "The Keen Sword series began in 1986.",
     "2024-10-24 09:00", [(D(2022, 11, 1), D(2022, 11, 30)), (D(2024, 10, 23), D(2024, 10, 23))]),
    # a photo of a later day of the exercise is that exercise
    ("日米共同統合演習「キーン・ソード25」が23日、始まった。\n【写真】キーン・ソード25で上陸訓練を行う隊員ら＝25日",
     "2024-10-25 09:00", [(D(2024, 10, 23), D(2024, 10, 23))]),
    # the start in one sentence, the end in a later one; the year a series started is no event
    ("The annual Talisman Sabre exercise got going on Monday near Townsville. Ships from seven navies joined. "
     "The land phase is to stress amphibious landings, and the whole thing runs through July 28. "
     "Talisman Sabre started in 2005 as a U.S.-Australia drill.",
     "2025-07-16 09:00", [(D(2025, 7, 14), D(2025, 7, 28))]),
]


def test_an_exercise_announced_in_an_apposition_is_planned():
    body = "Orient Shield 25, the Army's largest bilateral field drill in Japan, is due to start Sept. 2."
    assert _events(body, "2025-08-20 09:00") == [("exercise", "unknown", "planned", D(2025, 9, 2))]
    body = "Defense Secretary Hegseth is planning to go to Manila in April for a meeting with Defense Minister Nakatani."
    assert _events(body, "2025-02-20 09:00") == [("defense_ministers_meeting", "unknown", "planned", D(2025, 4, 1))]


def test_a_commander_paying_a_courtesy_call_takes_what_follows():
    body = ("On Monday, Adm. Samuel Paparo, the commander of U.S. Indo-Pacific Command, paid a courtesy call on "
            "Defense Minister Nakatani. Nakatani told the admiral he wanted to strengthen the alliance further.")
    article = build_article("case.txt", HEADER.format(stamp="2024-10-09 09:00") + body + "\n", NOW)
    got = [(m.event_type.value, m.start_date, len(m.outcomes)) for m in extract(article)]
    assert got == [("visit", D(2024, 10, 7), 1)]


@pytest.mark.parametrize("body,stamp,expected", EXERCISES, ids=[e[0][:24] for e in EXERCISES])
def test_named_exercises_and_their_editions(body, stamp, expected):
    got = sorted((m.start_date, m.end_date) for m in _mentions(body, stamp) if m.event_type.value == "exercise")
    assert got == expected


def test_a_commander_meeting_a_minister_is_a_call_on_him():
    body = "On Nov. 5, Lt. Gen. Stephen Jost, commander of U.S. Forces Japan, met Defense Minister Gen Nakatani in Tokyo."
    assert [(e[0], e[3]) for e in _events(body, "2024-11-06 09:00")] == [("visit", D(2024, 11, 5))]


def test_a_date_opening_a_relative_clause_does_not_date_the_sentence():
    body = "中谷元防衛相は5日、防衛省で、今月着任したスティーブン・ジョスト在日米軍司令官の表敬を受けた。"
    assert [(e[0], e[3]) for e in _events(body, "2024-11-06 09:00")] == [("visit", D(2024, 11, 5))]


def test_a_call_announced_then_reported_on_an_updated_page_is_one_call():
    body = ("Prime Minister Shigeru Ishiba is expected to hold telephone talks with President-elect Donald Trump "
            "on Thursday morning.\n"
            "UPDATE (10:30 a.m.): Ishiba spoke with Trump by phone for about five minutes.")
    got = [(m.event_type.value, m.medium.value, m.status.value, m.start_date) for m in _mentions(body, "2024-11-07 07:00")]
    assert got == [("summit", "phone", "held", D(2024, 11, 7))]


def test_a_read_next_list_is_other_stories():
    body = ("The defense chiefs met in Manila on Friday.\n\nREAD NEXT\n• Balikatan 2025 ends with record number of troops\n"
            "• Resolute Dragon 24 begins in Okinawa")
    assert [e[0] for e in _events(body, "2025-04-12 09:00") if e[0] == "exercise"] == []


# --- transcripts, occasions and dates counted from ------------------------------------------

def test_a_transcript_speaker_is_the_i_of_his_turn():
    body = ("REMARKS\nMARCH 16, 2021\n\n"
            "DEFENSE MINISTER KISHI: (Via interpreter) Secretary Austin and I held a Japan-U.S. Defense Ministerial "
            "Meeting this morning.\n\n"
            "SECRETARY BLINKEN: Thank you. Earlier today I held my first in-person foreign ministers' meeting with "
            "Foreign Minister Motegi.")
    got = sorted((m.event_type.value, m.start_date, sorted(p.name_en for p in m.participants))
                 for m in _mentions(body, "2021-03-16 18:00"))
    assert got == [("defense_ministers_meeting", D(2021, 3, 16), ["Lloyd Austin", "Nobuo Kishi"]),
                   ("foreign_ministers_meeting", D(2021, 3, 16), ["Antony Blinken", "Toshimitsu Motegi"])]


def test_a_date_counted_from_is_the_earlier_events():
    body = "The four ministers held the 2+2 in Tokyo on Tuesday, their first such gathering since April 2019."
    assert [(e[0], e[3]) for e in _events(body, "2021-03-17 09:00")] == [("ministerial_2plus2", D(2021, 3, 16))]


def test_what_a_press_conference_follows_has_taken_place():
    body = "We will now begin the joint press conference following the Japan-U.S. Security Consultative Committee."
    assert [e[2] for e in _events(body, "2021-03-16 18:00")] == ["held"]


def test_meeting_again_is_a_plan():
    body = "The ministers issued a joint statement and agreed to convene the 2+2 again within this year."
    assert [(e[0], e[2]) for e in _events(body, "2021-03-16 18:00")] == [("ministerial_2plus2", "planned")]


def test_then_keeps_the_day_of_the_sentence_before():
    body = ("On Monday, May 23, the President was received at the Imperial Palace. "
            "He then held a bilateral meeting with Prime Minister Kishida at the Akasaka Palace.")
    assert [(e[0], e[3]) for e in _events(body, "2022-05-24 09:00") if e[0] == "summit"] == [("summit", D(2022, 5, 23))]


def test_a_serial_comma_in_a_list_of_leaders_does_not_end_the_clause():
    body = ("On Tuesday, May 24, President Biden joined Prime Minister Kishida, Australian Prime Minister Anthony "
            "Albanese, and Indian Prime Minister Narendra Modi for the Quad Leaders' Summit at the Kantei.")
    got = [(m.event_type.value, m.start_date, m.series) for m in _mentions(body, "2022-05-24 18:00")]
    assert got == [("summit", D(2022, 5, 24), "multi_au_in_jp_us")]


def test_a_visit_named_with_its_visitor_is_the_visitors():
    body = ("岸大臣は4日、オースティン国防長官と会談した。また、岸大臣から、今月下旬に予定されるバイデン大統領の訪日を"
            "同盟の強さを示す機会としたい旨述べ、オースティン長官も賛意を示した。")
    visits = [m for m in _mentions(body, "2022-05-05 09:00") if m.event_type.value == "visit"]
    assert [(m.status.value, [p.name_en for p in m.participants]) for m in visits] == [("planned", ["Joe Biden"])]


def test_a_meeting_proposed_at_the_reported_one_does_not_take_its_outcomes():
    body = ("岸田総理は21日、バイデン大統領とテレビ会議形式で首脳会談を行いました。"
            "その上で、本年前半に日米豪印首脳会合を日本で開催したいとお伝えし、大統領から支持をいただきました。"
            "両首脳は、同盟の抑止力を一層強化していくことで一致しました。")
    got = {(m.series or m.event_type.value): (m.status.value, len(m.outcomes)) for m in _mentions(body, "2022-01-22 09:00")}
    assert got["summit"][0] == "held" and got["summit"][1] >= 1
    assert got["multi_au_in_jp_us"] == ("planned", 0)


def test_a_four_way_meeting_and_the_bilateral_named_in_one_sentence():
    body = ("日本時間2月11日、日米豪印外相会合に出席するためメルボルンを訪問中の林外務大臣は、"
            "ブリンケン国務長官と日米外相会談を行いました。")
    got = sorted((m.series or "", m.start_date) for m in _mentions(body, "2022-02-11 18:00"))
    assert got == [("", D(2022, 2, 11)), ("multi_au_in_jp_us", D(2022, 2, 11))]


def test_partners_joining_for_a_four_way_meeting():
    body = ("Defense Minister Gen Nakatani and Secretary Pete Hegseth met in Singapore on Saturday. Later in the afternoon, "
            "Nakatani and Hegseth were joined by Australia's Defense Minister Richard Marles and Philippine Defense "
            "Secretary Gilberto Teodoro for a four-way meeting.")
    got = sorted((m.series or "", m.start_date) for m in _mentions(body, "2025-05-31 21:00"))
    assert got == [("", D(2025, 5, 31)), ("multi_au_jp_ph_us", D(2025, 5, 31))]


NOT_A_MEETING_EN = [
    "They said they remain open to meeting with Pyongyang without preconditions.",
    "Secretary Blinken and Secretary Austin met with Admiral John Aquilino to discuss the region.",
]


@pytest.mark.parametrize("body", NOT_A_MEETING_EN, ids=[b[:24] for b in NOT_A_MEETING_EN])
def test_sentences_that_are_no_japan_us_meeting(body):
    assert _events(body, "2022-02-12 09:00") == []


def test_same_day_does_not_point_at_a_coming_day():
    body = ("林外務大臣は11日、ブリンケン国務長官と日米外相会談を行った。翌12日にホノルルで開かれる予定の日米韓外相会合も活用し、"
            "連携していくことを申し合わせた。両外相は、同日開催された日米豪印外相会合の成果を歓迎した。")
    got = sorted((m.series or "", m.status.value, m.start_date) for m in _mentions(body, "2022-02-11 18:00"))
    assert got == [("", "held", D(2022, 2, 11)), ("multi_au_in_jp_us", "held", D(2022, 2, 11)),
                   ("multi_jp_kr_us", "planned", D(2022, 2, 12))]


def test_a_capitalised_date_line_with_its_section_after_a_bullet():
    article = build_article("wh.txt", "The White House\n\nBRIEFING ROOM\n\nReadout of President Biden's Virtual Meeting with "
                            "Prime Minister Kishida Fumio of Japan\n\nJANUARY 21, 2022 • STATEMENTS AND RELEASES\n\n"
                            "This morning, President Joseph R. Biden, Jr. met by video with Prime Minister Kishida Fumio of Japan.\n", NOW)
    assert article.published_at is not None and article.published_at.date() == D(2022, 1, 21)
    assert [(m.event_type.value, m.medium.value, m.start_date) for m in extract(article)] == \
        [("summit", "video", D(2022, 1, 21))]


def test_partner_ministers_by_surname_and_title_and_besides_at_that_occasion():
    body = ("中谷防衛大臣は31日、シンガポールでヘグセス国防長官と会談した。中谷大臣とヘグセス長官は、このほか、"
            "オーストラリアのマールズ副首相兼国防相、フィリピンのテオドロ国防相とともに、4か国の防衛相会談に臨んだ。")
    got = {m.series or "": (m.start_date, sorted(p.name_en for p in m.participants)) for m in _mentions(body, "2025-05-31 20:00")}
    assert got["multi_au_jp_ph_us"] == (D(2025, 5, 31), ["Gen Nakatani", "Gilberto Teodoro", "Pete Hegseth", "Richard Marles"])


NO_NEW_EVENT = [
    # a reporter's question asks about a visit; it reports none
    ("（記者）大統領の訪日の時期について、具体的なめどはついたのでしょうか。", "2022-01-22 09:00"),
    # a meeting of two other countries written with の
    ("今回の会議には中国の国防相が出席しておらず、米中の国防相会談は開かれない見通しです。", "2025-05-31 19:00"),
    # "this visit" points back at the trip already reported
    ("今回の訪問には、統合幕僚長も同行しています。", "2025-05-31 19:00"),
    # a summit of other leaders
    ("Leaders will gather in Kuala Lumpur next week for a summit of Southeast Asian leaders.", "2025-10-22 09:00"),
]


@pytest.mark.parametrize("body,stamp", NO_NEW_EVENT, ids=[b[0][:16] for b in NO_NEW_EVENT])
def test_sentences_that_add_no_event(body, stamp):
    assert _events(body, stamp) == []


def test_a_photo_taken_before_the_meeting_is_of_the_held_meeting():
    body = "【写真】会談を前に言葉を交わす石破首相（左）とトランプ米大統領＝16日、カナダ西部カナナスキス（代表撮影・共同）"
    assert [(e[0], e[2], e[3]) for e in _events(body, "2025-06-17 07:12")] == [("summit", "held", D(2025, 6, 16))]


def test_a_leaders_video_talk_named_with_one_leader_is_a_summit():
    body = "岸田総理は21日夜、首相官邸でバイデン大統領とテレビ会談を行った。\n［写真］テレビ会談に臨む岸田総理"
    assert [(e[0], e[1]) for e in _events(body, "2022-01-22 09:00")] == [("summit", "video")]


def test_two_events_in_one_sentence_each_have_their_own_part_as_evidence():
    body = ("日本時間2月11日、日米豪印外相会合に出席するためメルボルンを訪問中の林外務大臣は、"
            "ブリンケン国務長官と日米外相会談を行いました。")
    article = build_article("case.txt", HEADER.format(stamp="2022-02-11 18:00") + body + "\n", NOW)
    ev = {m.series or "": m.evidence.text for m in extract(article)}
    assert "日米豪印外相会合" in ev["multi_au_in_jp_us"] and "日米外相会談" not in ev["multi_au_in_jp_us"]
    assert "日米外相会談" in ev[""] and "日米豪印" not in ev[""]


def test_an_undated_coming_pair_meeting_is_between_the_holders_of_the_day_last_named():
    # an aggregator card without a date of its own: the month it names places the office holders
    body = ("まとめ\n\n2023年10月、木原防衛相がオースティン国防長官と会談し、同盟の抑止力強化で一致。"
            "次の日米防衛相会談にも注目が集まる。\n")
    article = build_article("card.txt", body, NOW)
    planned = [m for m in extract(article) if m.status.value == "planned"]
    assert [sorted(p.name_en for p in m.participants) for m in planned] == [["Lloyd Austin", "Minoru Kihara"]]


def test_the_venue_day_given_later_dates_a_meeting_first_dated_in_japan_time():
    body = ("岸田総理大臣は、日本時間のきょう未明、ホワイトハウスでバイデン大統領と首脳会談を行いました。\n"
            "首脳会談は、現地時間の10日午前に始まり、およそ2時間にわたって行われました。")
    assert [(e[0], e[3]) for e in _events(body, "2024-04-11 11:20")] == [("summit", D(2024, 4, 10))]


def test_a_hard_wrapped_release_is_read_across_its_line_breaks():
    body = ("　防衛装備庁は、６月９日から１０日にかけて、防衛省において、日米防衛産業協力\n"
            "・取得・維持整備定期協議（ＤＩＣＡＳ：Forum on Defense Industrial Cooperation,\n"
            "Acquisition and Sustainment）の第１回会合を開催した。\n")
    article = build_article("release.txt", HEADER.format(stamp="2024-06-10 09:00") + body, NOW)
    got = [(m.event_type.value, m.start_date, m.end_date) for m in extract(article)]
    assert got == [("working_level_dialogue", D(2024, 6, 9), D(2024, 6, 10))]
    for m in extract(article):   # the evidence is still a slice of the stored text
        assert article.text[m.evidence.char_start:m.evidence.char_end] == m.evidence.text


def test_a_pluperfect_look_back_does_not_take_the_outcomes_that_follow():
    body = ("防衛装備庁は、６月９日から１０日にかけて、日米防衛産業協力・取得・維持整備定期協議の第１回会合を開催した。"
            "６月２日の日米防衛相会談においても、早期の開催に向けて調整していくことが確認されていた。\n"
            "（１）日米双方は、共同生産の機会の具体化を加速させていくことで一致した。")
    got = {m.event_type.value: [o.kind.value for o in m.outcomes] for m in _mentions(body, "2024-06-10 09:00")}
    assert got["working_level_dialogue"] == ["agreed"]


def test_the_year_a_series_was_set_up_and_the_date_after_its_verb():
    body = ("The EDD, the working-level channel on the US nuclear umbrella that Tokyo and Washington set up back in 2010, "
            "met at Whiteman Air Force Base in Missouri on June 26 and 27.")
    got = [(e[0], e[3]) for e in _events(body, "2023-07-03 09:00")]
    assert got == [("working_level_dialogue", D(2023, 6, 26))]


def test_a_blog_stamp_with_its_author():
    article = build_article("blog.txt", "Tin Roof Notebook\n\nJune 2023 for the alliance\n\n"
                            "Posted on July 3, 2023 by kev_in_kanagawa | 4 Comments\n\nHousekeeping first.\n", NOW)
    assert article.published_at is not None and article.published_at.date() == D(2023, 7, 3)


def test_a_meeting_welcomed_by_another_takes_neither_its_date_nor_its_people():
    body = ("When the ministers met in Tokyo on July 28 for the Security Consultative Committee, the four ministers "
            "welcomed the inaugural DICAS meeting and endorsed two priority projects.")
    got = {m.event_type.value: (m.start_date, len(m.participants)) for m in _mentions(body, "2024-09-09 09:00")}
    assert got["ministerial_2plus2"][0] == D(2024, 7, 28)
    assert got["working_level_dialogue"] == (None, 0)


def test_the_same_day_in_japanese_words():
    body = "日米韓の防衛相は28日、東京で会談した。同じ日には東京で日米の「2+2」も開かれていて、同盟の指揮統制の向上で一致した。"
    got = sorted((e[0], e[3]) for e in _events(body, "2024-07-29 09:00"))
    assert ("ministerial_2plus2", D(2024, 7, 28)) in got


def test_a_transcript_host_and_we_talked_are_the_meeting():
    body = ("June 1, 2023\n\nMODERATOR: Good afternoon.\n\n"
            "MINISTER OF DEFENSE HAMADA YASUKAZU (THROUGH INTERPRETER): Thank you. This morning we talked for about an "
            "hour. Together we strongly condemned North Korea's launch.\n")
    got = [(m.event_type.value, m.start_date, sorted(p.name_en for p in m.participants), [o.kind.value for o in m.outcomes])
           for m in _mentions(body, "2023-06-01 18:00")]
    assert got == [("defense_ministers_meeting", D(2023, 6, 1), ["Yasukazu Hamada"], ["condemned"])]


def test_the_creation_of_a_forum_is_no_meeting_of_it():
    body = ("President Biden and Prime Minister Kishida announced the creation of DICAS when they met at the White House "
            "on April 10.")
    assert [(e[0], e[3]) for e in _events(body, "2024-06-12 09:00")] == [("summit", D(2024, 4, 10))]


def test_a_listing_sets_a_space_between_an_unlisted_officials_name_and_title():
    from timeline.people import find_people
    from timeline.registry import load_registry
    got = find_people("日本側 深澤雅貴 防衛装備庁長官(共同議長)", D(2024, 6, 10), load_registry())
    assert [(p.name_ja, p.title) for p in got] == [("深澤雅貴", "防衛装備庁長官")]


def test_an_exercise_dated_only_by_its_period_sentence():
    body = ("米軍が主催する大規模演習「バリアント・シールド24」の一環として、日米の戦闘機が展開訓練を始めた。\n"
            "防衛省によると、演習は7日に始まり、18日まで行われている。")
    got = [(m.event_type.value, m.start_date, m.end_date) for m in _mentions(body, "2024-06-11 05:00")]
    assert got == [("exercise", D(2024, 6, 7), D(2024, 6, 18))]


def test_the_series_a_verb_of_meeting_names_takes_what_that_sentence_says_came_out():
    # the series named in the clause of "met" is what "met" reports: its outcomes are its own, not
    # those of the meeting the previous sentence reported
    body = ("Defense ministers Hamada and Austin met in Singapore on June 3 to prepare the agenda.\n\n"
            "When Foreign Minister Hayashi, Defense Minister Hamada, Secretary Blinken and Secretary Austin met in "
            "Washington on Jan. 11 for the Security Consultative Committee, the four ministers agreed to upgrade "
            "the Marine regiment in Okinawa.\n")
    article = build_article("case.txt", HEADER.format(stamp="2023-08-01 09:00") + body, NOW)
    got = {m.event_type.value: [o.kind.value for o in m.outcomes] for m in extract(article)}
    assert got == {"defense_ministers_meeting": [], "ministerial_2plus2": ["agreed"]}


HELD_ANAPHORS = [
    ("The Extended Deterrence Dialogue brings together officials of both governments. The latest round took place "
     "at Whiteman Air Force Base on June 26 and 27, the State Department said.", "2023-07-01 09:00",
     ("working_level_dialogue", D(2023, 6, 26), D(2023, 6, 27))),
    ("日米拡大抑止協議(EDD)は、両政府の審議官級が定期的に話し合う枠組みだ。今回の協議は、12月10日から12日まで米国で行われた。",
     "2024-12-20 09:00", ("working_level_dialogue", D(2024, 12, 10), D(2024, 12, 12))),
]


@pytest.mark.parametrize("body,stamp,expected", HELD_ANAPHORS, ids=["en", "ja"])
def test_the_meeting_named_again_by_its_noun_is_dated_by_that_sentence(body, stamp, expected):
    article = build_article("case.txt", HEADER.format(stamp=stamp) + body + "\n", NOW)
    got = [(m.event_type.value, m.start_date, m.end_date) for m in extract(article)]
    assert got == [expected]
    # the date's sentence is part of the record's evidence
    assert any(sp.rule == "date:period" for m in extract(article) for sp in m.supporting)


def test_a_coming_round_named_by_its_noun_gives_no_date():
    body = "The Extended Deterrence Dialogue brings together officials of both governments. The next round will be held in Tokyo on June 26."
    article = build_article("case.txt", HEADER.format(stamp="2023-06-01 09:00") + body + "\n", NOW)
    assert [m.start_date for m in extract(article)] == [None]


def test_the_last_meeting_written_with_its_day_is_that_meeting_in_passing():
    body = ("Defense Minister Kihara, Secretary Austin and South Korean Defense Minister Shin Won-sik met in Tokyo on "
            "Sunday.\nThe three ministers last met in Singapore on June 2 on the sidelines of the Shangri-La Dialogue.\n")
    article = build_article("case.txt", HEADER.format(stamp="2024-07-28 19:00") + body, NOW)
    got = sorted((m.start_date, len(m.participants)) for m in extract(article))
    assert got == [(D(2024, 6, 2), 3), (D(2024, 7, 28), 3)]
    # without a day the look back stays background
    body = ("Defense Minister Kihara and Secretary Austin met in Tokyo on Sunday.\n"
            "The two ministers last met in Singapore during the Shangri-La Dialogue.\n")
    article = build_article("case.txt", HEADER.format(stamp="2024-07-28 19:00") + body, NOW)
    assert [m.start_date for m in extract(article)] == [D(2024, 7, 28)]


def test_a_headline_meeting_is_dated_by_the_lead_sentence_that_names_its_people():
    body = ("日米首脳、同盟強化で一致　石破首相がトランプ氏と初の対面会談\n"
            "ワシントン支局\n"
            "石破茂首相は7日（日本時間8日未明）、ホワイトハウスでトランプ米大統領と向き合った。\n")
    article = build_article("case.txt", HEADER.format(stamp="2025-02-08 07:05") + body, NOW)
    got = [(m.event_type.value, m.start_date, m.date_rule) for m in extract(article)]
    assert got == [("summit", D(2025, 2, 7), "period_sentence")]
    # a lead naming someone else dates nothing: the page's day stands in, marked as such
    body = body.replace("トランプ米大統領と", "林官房長官と")
    article = build_article("case.txt", HEADER.format(stamp="2025-02-08 07:05") + body, NOW)
    assert [(m.start_date, m.date_rule) for m in extract(article)] == [(D(2025, 2, 8), "publication_date")]


def test_a_meeting_named_in_a_modifier_does_not_take_the_reported_meetings_outcomes():
    body = ("岩屋外務大臣は15日、ルビオ国務長官と会談した。両外相は、石破首相とトランプ大統領が2月7日に会談した際の"
            "成果を土台に、協力を進めていくと述べた。両者は、北朝鮮の非核化に向けて緊密に連携することで一致した。")
    article = build_article("case.txt", HEADER.format(stamp="2025-02-16 09:00") + body + "\n", NOW)
    got = {m.event_type.value: sorted(o.kind.value for o in m.outcomes) for m in extract(article)}
    assert got["foreign_ministers_meeting"] == ["agreed"]
    assert got.get("summit", []) == []


RIVAL_MEETINGS = [
    "トランプ大統領は高市首相に、前日に行ったロシアのプーチン大統領との電話会談について説明した。",
    "Trump told Takaichi about his phone conversation with Chinese President Xi Jinping on Monday.",
    # a reported question names a meeting that is not reported
    "Asked on Friday whether he would meet Defense Minister Nakatani in Manila, Hegseth said nothing had been arranged.",
]


@pytest.mark.parametrize("body", RIVAL_MEETINGS, ids=["ja", "en", "asked"])
def test_a_meeting_with_a_rival_states_leader_is_no_japan_us_meeting(body):
    assert _events(body, "2025-11-26 09:00") == []


def test_chiefs_of_defence_meeting_is_an_other_event():
    body = ("Gen. Yoshihide Yoshida, chief of staff of the Joint Staff, hosted Gen. Charles Q. Brown Jr., chairman of "
            "the Joint Chiefs of Staff, in Tokyo on Thursday.")
    assert _events(body, "2024-07-19 09:00") == [("other", "in_person", "held", D(2024, 7, 18))]


def test_a_release_dates_its_exercise_by_the_line_under_its_period_heading():
    body = ("令和６年度日米共同統合演習（キーン・ソード２５）について\n"
            "１　目的\n　自衛隊の統合運用能力の維持・向上を図る。\n"
            "２　実施期間\n　令和６年１０月２３日（水）～１１月１日（金）\n"
            "３　その他\n　前回の演習「キーン・ソード２３」は、令和４年１１月１０日から１９日まで実施した。\n")
    article = build_article("case.txt", HEADER.format(stamp="2024-10-18 09:00") + body, NOW)
    got = sorted((m.start_date, m.end_date, m.status.value) for m in extract(article))
    assert got == [(D(2022, 11, 10), D(2022, 11, 19), "held"), (D(2024, 10, 23), D(2024, 11, 1), "planned")]


def test_the_minister_answering_at_his_press_conference_is_the_one_who_met():
    body = ("防衛大臣臨時記者会見\n日時：令和7年3月31日（月）10時00分～10時15分\n"
            "記者：昨日、米国防長官と会談されたと伺っています。\n"
            "大臣：昨日、ヘグセス長官と防衛省で会談いたしました。\n")
    article = build_article("case.txt", HEADER.format(stamp="2025-03-31 10:00") + body, NOW)
    names = sorted(p.name_ja for m in extract(article) for p in m.participants)
    assert names == ["ピート・ヘグセス", "中谷元"]
    # a reporter's turn speaks for no one
    body = body.replace("大臣：昨日、ヘグセス長官と防衛省で会談いたしました。\n", "")
    article = build_article("case.txt", HEADER.format(stamp="2025-03-31 10:00") + body, NOW)
    assert "中谷元" not in [p.name_ja for m in extract(article) for p in m.participants]


def test_leaders_who_used_their_first_face_to_face_meeting_met():
    body = ("Prime Minister Fumio Kishida and President Joe Biden on Friday used their first face-to-face meeting "
            "to show a united front.")
    assert _events(body, "2022-05-24 09:00") == [("summit", "in_person", "held", D(2022, 5, 20))]


def test_a_date_of_the_verb_counted_from_does_not_date_the_meeting():
    body = "菅首相は16日、バイデン大統領と会談する。バイデン氏が1月に就任してから、対面で会談する外国首脳は菅首相が初めてとなる。"
    days = [d for *_, d in _events(body, "2021-04-16 07:00")]
    assert D(2021, 4, 16) in days and not any(d and d.month == 1 for d in days)


def test_the_same_day_of_a_plan_is_the_coming_day_just_named():
    body = ("両国の間では、来週10日に東京で外相会談が予定されている。"
            "同じ日には日米の外務・防衛の閣僚による「2+2」も開かれる予定だ。")
    got = sorted((t, s, d) for t, _, s, d in _events(body, "2025-04-02 09:00"))
    assert got == [("foreign_ministers_meeting", "planned", D(2025, 4, 10)),
                   ("ministerial_2plus2", "planned", D(2025, 4, 10))]


def test_a_meeting_reported_without_names_takes_the_attendance_list_that_follows():
    body = ("自衛隊と米軍の制服組トップがきょう、防衛省で会談しました。初めての会談です。"
            "会談には、吉田圭秀統合幕僚長とブラウン統合参謀本部議長が出席しました。"
            "両氏は連携の強化で一致しました。")
    article = build_article("case.txt", HEADER.format(stamp="2024-07-18 18:00") + body + "\n", NOW)
    got = [(m.event_type.value, m.start_date, sorted(p.name_ja for p in m.participants), len(m.outcomes))
           for m in extract(article)]
    assert got == [("other", D(2024, 7, 18), ["チャールズ・ブラウン", "吉田圭秀"], 1)]
    # without the list the meeting names no one it could be typed by: no event
    article = build_article("case.txt", HEADER.format(stamp="2024-07-18 18:00") + body.split("会談には")[0] + "\n", NOW)
    assert extract(article) == []


def test_a_meeting_named_later_in_the_text_does_not_take_earlier_outcomes():
    # "会談で" points back at the meeting read so far (with Hegseth), not at the later one with Paparo
    body = ("小泉防衛相は15日、ヘグセス国防長官と会談した。小泉氏が防衛相として訪米するのは就任後初めて。"
            "小泉氏は会談で、日本の取り組みを説明した。両氏は共同訓練を拡大していくことで一致した。"
            "小泉氏は12日、ハワイでパパロ米インド太平洋軍司令官と会談した。")
    article = build_article("case.txt", HEADER.format(stamp="2026-01-16 10:00") + body + "\n", NOW)
    by_type = {m.event_type.value: m for m in extract(article)}
    assert len(by_type["defense_ministers_meeting"].outcomes) == 2
    assert by_type["visit"].outcomes == []
    assert "サミュエル・パパロ" in [p.name_ja for p in by_type["visit"].participants]


JA_TITLED_SURNAMES = [
    # a surname followed by its office written in full
    ("ブラウン統合参謀本部議長が出席した。", [("チャールズ・ブラウン", "US")]),
    ("パパロ米インド太平洋軍司令官が表敬に訪れた。", [("サミュエル・パパロ", "US")]),
    # an official outside the registry takes the country written before the name
    ("韓国軍のパク・ソンジュン作戦本部長が出席した。", [("パク・ソンジュン", "KR")]),
    ("フィリピンのマリア・サントス国防次官が出席した。", [("マリア・サントス", "PH")]),
    # (and without one, a katakana official is read as American, as before)
    ("ジョン・スミス国防次官補が出席した。", [("ジョン・スミス", "US")]),
]


@pytest.mark.parametrize("text,expected", JA_TITLED_SURNAMES, ids=[u[0][:16] for u in JA_TITLED_SURNAMES])
def test_japanese_surnames_with_full_titles_and_countries_of_unlisted_officials(text, expected):
    from timeline.people import find_people
    assert [(f.name_ja, f.country) for f in find_people(text, D(2024, 7, 18))] == expected


def test_a_host_who_received_his_guest_met_him_on_the_day_that_opens_the_sentence():
    body = ("WASHINGTON, Jan 13 - President Joe Biden received Fumio Kishida, Japan's prime minister, at the White "
            "House on Friday and praised Tokyo's plan.\n"
            "On Wednesday, Secretary of State Antony Blinken and Defense Secretary Lloyd Austin hosted their Japanese "
            "counterparts, Yasukazu Hamada of the Defense Ministry and Yoshimasa Hayashi of the Foreign Ministry, "
            "for \"2+2\" talks.")
    got = sorted((t, d) for t, _, _, d in _events(body, "2023-01-13 16:51"))
    assert got == [("ministerial_2plus2", D(2023, 1, 11)), ("summit", D(2023, 1, 13))]
    # "received" a report, a call or an award is no meeting
    assert _events("Prime Minister Fumio Kishida received the report on Friday.", "2023-01-13 16:51") == []


def test_counterparts_named_by_their_countries_are_the_office_holders_of_the_day():
    body = ("SINGAPORE - Philippine Defense Secretary Gilberto Teodoro sat down on Saturday with his counterparts from "
            "the United States, Japan and Australia on the sidelines of the Shangri-La Dialogue.")
    got = _people_of(body, "2024-06-02 09:00")
    assert got == [("defense_ministers_meeting", ["Gilberto Teodoro", "Lloyd Austin", "Minoru Kihara", "Richard Marles"])]
    # a speaker's "our counterparts" names no one the sentence has read
    body = ("Later today I'll call on Prime Minister Kishida, and the Minister and I will meet again with our "
            "Australian and Philippine counterparts.")
    assert all("Anthony Albanese" not in names for _, names in _people_of(body, "2023-06-01 09:00"))


def test_a_meeting_declined_or_refused_is_no_event():
    assert _events("China's defense minister, who declined a meeting with Austin at the forum, spoke on Sunday.",
                   "2023-06-04 09:00") == []
    assert _events("中国側は、中谷防衛大臣との会談の申し入れを断った。", "2025-06-01 09:00") == []


def test_an_attribution_to_a_readout_is_not_the_outcome_kind():
    body = ("Secretary Austin met Minister Kihara in Singapore on June 2. According to a joint readout released after "
            "the meeting, the ministers expressed serious concern over coercive actions at sea.")
    assert [k for k, _ in _outcomes(body)] == ["concerned"]


def test_a_meeting_named_in_a_quoted_remark_is_not_dated_by_the_remark_nor_attended_by_its_speaker():
    body = ("岸田総理大臣は、日本時間の12日未明、ホワイトハウスでバイデン大統領、フィリピンのマルコス大統領と首脳会談を行いました。\n"
            "林官房長官は12日午前の記者会見で「初めての日米比首脳会談が開かれ、大きな意義がある」と述べました。")
    got = [(m.start_date, sorted(p.name_ja for p in m.participants)) for m in _mentions(body, "2024-04-12 09:00")]
    assert all(day != D(2024, 4, 12) for day, _ in got if day)
    assert all("林芳正" not in names for _, names in got)


def test_the_day_someone_took_office_and_a_rivals_leader_met_in_passing():
    body = ("首相は15日、バイデン氏と約30分間、個別に会談した。首相とバイデン氏の対面での会談は、10月の首相就任後初めて。"
            "首相は同日、中国の習近平(シー・ジンピン)国家主席とも初めて会談した。")
    got = [(m.event_type.value, m.start_date) for m in _mentions(body, "2024-11-16 10:48")]
    assert got == [("summit", D(2024, 11, 15))]


def test_a_photo_caption_shows_a_meeting_held_on_the_day_in_its_closing_parenthetical():
    body = "［写真］会談に先立ち握手する木原防衛大臣（右）とオースティン米国防長官（5月2日、キャンプ・H.M.・スミス）"
    got = [(m.event_type.value, m.status.value, m.start_date) for m in _mentions(body, "2024-05-03 09:00")]
    assert got == [("defense_ministers_meeting", "held", D(2024, 5, 2))]


def test_the_small_hours_in_japan_are_the_day_before_at_the_white_house():
    body = "岸田総理大臣は、日本時間の12日未明、ホワイトハウスでバイデン大統領と首脳会談を行いました。"
    assert [(t, d) for t, _, _, d in _events(body, "2024-04-12 09:00")] == [("summit", D(2024, 4, 11))]
    # (and at home the day stays)
    body = "岸田総理大臣は、日本時間の12日未明、首相官邸でバイデン大統領と電話会談を行いました。"
    assert [(t, d) for t, _, _, d in _events(body, "2024-04-12 09:00")] == [("summit", D(2024, 4, 12))]
