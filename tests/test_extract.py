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
     [("summit", "unknown", "planned", D(2025, 4, 10))]),
]


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
