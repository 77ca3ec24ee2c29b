"""Reference data (seeds/reference) and its loader timeline.registry."""

from __future__ import annotations

import copy
import re
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from timeline.registry import DEFAULT_DIRECTORY, Registry, load_registry

D = date.fromisoformat


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


# ---------------------------------------------------------------------------- holders


@pytest.mark.parametrize(
    "office, on, expected",
    [
        ("jp_minister_of_defense", "2024-07-28", ["kihara-minoru"]),
        ("jp_minister_of_defense", "2024-12-01", ["nakatani-gen"]),
        ("jp_minister_of_defense", "2015-06-01", ["nakatani-gen"]),
        ("jp_minister_of_defense", "2022-01-15", ["kishi-nobuo"]),
        ("jp_minister_of_defense", "2023-01-15", ["hamada-yasukazu"]),
        ("jp_minister_of_defense", "2025-11-01", ["koizumi-shinjiro"]),
        ("jp_minister_of_defense", "2025-10-21", ["nakatani-gen", "koizumi-shinjiro"]),  # handover day
        ("jp_prime_minister", "2021-06-01", ["suga-yoshihide"]),
        ("jp_prime_minister", "2024-07-28", ["kishida-fumio"]),
        ("jp_prime_minister", "2025-02-07", ["ishiba-shigeru"]),
        ("jp_prime_minister", "2025-11-01", ["takaichi-sanae"]),
        ("jp_minister_of_foreign_affairs", "2020-06-01", ["motegi-toshimitsu"]),
        ("jp_minister_of_foreign_affairs", "2021-11-07", ["kishida-fumio"]),
        ("jp_minister_of_foreign_affairs", "2022-05-01", ["hayashi-yoshimasa"]),
        ("jp_minister_of_foreign_affairs", "2024-07-28", ["kamikawa-yoko"]),
        ("jp_minister_of_foreign_affairs", "2025-01-01", ["iwaya-takeshi"]),
        ("jp_minister_of_foreign_affairs", "2026-03-01", ["motegi-toshimitsu"]),
        ("jp_chief_cabinet_secretary", "2021-03-01", ["kato-katsunobu"]),
        ("jp_chief_cabinet_secretary", "2023-01-01", ["matsuno-hirokazu"]),
        ("jp_chief_cabinet_secretary", "2024-01-15", ["hayashi-yoshimasa"]),
        ("jp_chief_cabinet_secretary", "2025-12-01", ["kihara-minoru"]),
        ("jp_chief_of_staff_joint_staff", "2022-06-01", ["yamazaki-koji"]),
        ("jp_chief_of_staff_joint_staff", "2024-06-01", ["yoshida-yoshihide"]),
        ("jp_ambassador_to_us", "2022-06-01", ["tomita-koji"]),
        ("us_president", "2024-12-01", ["joe-biden"]),
        ("us_president", "2025-06-01", ["donald-trump"]),
        ("us_president", "2019-06-01", ["donald-trump"]),
        ("us_secretary_of_defense", "2024-07-28", ["lloyd-austin"]),
        ("us_secretary_of_defense", "2025-02-01", ["pete-hegseth"]),
        ("us_secretary_of_defense", "2025-10-01", ["pete-hegseth"]),  # "Secretary of War" period
        ("us_secretary_of_state", "2024-07-28", ["antony-blinken"]),
        ("us_secretary_of_state", "2025-03-01", ["marco-rubio"]),
        ("us_national_security_advisor", "2023-01-01", ["jake-sullivan"]),
        ("us_national_security_advisor", "2025-03-01", ["mike-waltz"]),
        ("us_national_security_advisor", "2025-06-01", ["marco-rubio"]),
        ("us_ambassador_to_japan", "2023-06-01", ["rahm-emanuel"]),
        ("us_ambassador_to_japan", "2025-06-01", ["george-glass"]),
        ("us_commander_indopacom", "2023-01-01", ["john-aquilino"]),
        ("us_commander_indopacom", "2025-01-01", ["samuel-paparo"]),
        ("us_commander_usfj", "2023-01-01", ["ricky-rupp"]),
        ("us_chairman_joint_chiefs", "2022-01-01", ["mark-milley"]),
        ("us_chairman_joint_chiefs", "2024-01-01", ["charles-brown"]),
        ("us_chairman_joint_chiefs", "2025-06-01", ["dan-caine"]),
        ("us_deputy_secretary_of_state", "2024-06-01", ["kurt-campbell"]),
        ("us_assistant_secretary_of_defense_indo_pacific", "2023-01-01", ["ely-ratner"]),
    ],
)
def test_holders_on_a_day(reg: Registry, office: str, on: str, expected: list[str]) -> None:
    assert [p.person_id for p in reg.holders(office, D(on))] == expected


@pytest.mark.parametrize(
    "office, on",
    [
        ("jp_prime_minister", "1990-01-01"),  # before any recorded term
        ("jp_commander_joint_operations_command", "2025-03-23"),  # command created 2025-03-24
        ("us_assistant_secretary_of_defense_indo_pacific", "2025-06-01"),  # no holder recorded
        ("us_ambassador_to_japan", "2025-02-15"),  # between Emanuel and Glass
    ],
)
def test_holders_none(reg: Registry, office: str, on: str) -> None:
    assert reg.holders(office, D(on)) == []


@pytest.mark.parametrize(
    "office, expected",
    [
        ("jp_prime_minister", ["suga-yoshihide", "kishida-fumio", "ishiba-shigeru", "takaichi-sanae"]),
        (
            "jp_minister_of_defense",
            ["kishi-nobuo", "hamada-yasukazu", "kihara-minoru", "nakatani-gen", "koizumi-shinjiro"],
        ),
        (
            "jp_minister_of_foreign_affairs",
            ["motegi-toshimitsu", "kishida-fumio", "hayashi-yoshimasa", "kamikawa-yoko", "iwaya-takeshi"],
        ),
        ("us_secretary_of_defense", ["lloyd-austin", "pete-hegseth"]),
        ("us_president", ["donald-trump", "joe-biden"]),
    ],
)
def test_holders_without_date_lists_the_covered_period(reg: Registry, office: str, expected: list[str]) -> None:
    assert [p.person_id for p in reg.holders(office, None)] == expected


def test_holders_unknown_office_raises(reg: Registry) -> None:
    with pytest.raises(KeyError, match="jp_shogun"):
        reg.holders("jp_shogun", D("2024-01-01"))


# ---------------------------------------------------------------------------- offices_of


@pytest.mark.parametrize(
    "person_id, on, expected",
    [
        ("hayashi-yoshimasa", "2022-06-01", ["jp_minister_of_foreign_affairs"]),
        ("hayashi-yoshimasa", "2024-01-15", ["jp_chief_cabinet_secretary"]),
        (
            "hayashi-yoshimasa",
            None,
            ["jp_minister_of_defense", "jp_minister_of_foreign_affairs", "jp_chief_cabinet_secretary"],
        ),
        ("kihara-minoru", "2024-07-28", ["jp_minister_of_defense"]),
        ("kihara-minoru", "2025-11-01", ["jp_chief_cabinet_secretary"]),
        ("kishida-fumio", "2017-08-01", ["jp_minister_of_foreign_affairs", "jp_minister_of_defense"]),
        ("marco-rubio", "2025-06-01", ["us_secretary_of_state", "us_national_security_advisor"]),
        ("motegi-toshimitsu", None, ["jp_minister_of_foreign_affairs"]),
        ("nakatani-gen", "2020-01-01", []),
        ("kurt-campbell", "2025-06-01", []),
    ],
)
def test_offices_of(reg: Registry, person_id: str, on: str | None, expected: list[str]) -> None:
    day = D(on) if on else None
    assert [o.key for o in reg.offices_of(reg.person(person_id), day)] == expected


def test_person_unknown_raises(reg: Registry) -> None:
    with pytest.raises(KeyError, match="no-such-person"):
        reg.person("no-such-person")


# ---------------------------------------------------------------------------- title_offices


@pytest.mark.parametrize(
    "title, country, expected",
    [
        ("防衛大臣", None, ["jp_minister_of_defense"]),
        ("防衛相", None, ["jp_minister_of_defense"]),
        ("防衛省大臣", "JP", ["jp_minister_of_defense"]),
        ("首相", "JP", ["jp_prime_minister"]),
        ("首相", "AU", ["au_prime_minister"]),
        ("大統領", "KR", ["kr_president"]),
        ("総理", "JP", ["jp_prime_minister"]),
        ("官房長官", None, ["jp_chief_cabinet_secretary"]),
        ("国防長官", "US", ["us_secretary_of_defense"]),
        ("米国防長官", None, ["us_secretary_of_defense"]),
        ("国防相", "US", ["us_secretary_of_defense"]),
        ("国防相", "AU", ["au_minister_for_defence"]),
        ("国務長官", None, ["us_secretary_of_state"]),
        ("駐日米国大使", None, ["us_ambassador_to_japan"]),
        ("Secretary of Defense", None, ["us_secretary_of_defense"]),
        ("secretary of war", None, ["us_secretary_of_defense"]),
        ("Defense Minister", "JP", ["jp_minister_of_defense"]),
        ("Defense Secretary", "US", ["us_secretary_of_defense"]),
        ("Chief of Staff, Joint Staff", None, ["jp_chief_of_staff_joint_staff"]),
        ("National Security Adviser", "JP", ["jp_nss_secretary_general"]),
        ("National Security Adviser", "US", ["us_national_security_advisor"]),
        # negatives
        ("陸軍長官", None, []),
        ("戦争長官", None, []),
        ("防衛大臣", "US", []),
        ("防衛", None, []),
        ("Secretary", None, []),
    ],
)
def test_title_offices(reg: Registry, title: str, country: str | None, expected: list[str]) -> None:
    assert [o.key for o in reg.title_offices(title, country)] == expected


def test_ambiguous_title_spans_countries(reg: Registry) -> None:
    countries = {o.country for o in reg.title_offices("国防相")}
    assert {"US", "GB", "AU", "PH"} <= countries
    assert "JP" not in countries


# ---------------------------------------------------------------------------- people_by_alias


@pytest.mark.parametrize(
    "alias, expected",
    [
        ("Austin", ["lloyd-austin"]),
        ("austin", ["lloyd-austin"]),
        ("Lloyd J. Austin III", ["lloyd-austin"]),
        ("オースティン", ["lloyd-austin"]),
        ("ロイド・オースティン", ["lloyd-austin"]),
        ("ロイドオースティン", ["lloyd-austin"]),  # ・ ignored
        ("ロイド･オースティン", ["lloyd-austin"]),  # half-width ･
        ("ヘグセス", ["pete-hegseth"]),
        ("Pete Hegseth", ["pete-hegseth"]),
        ("中谷元", ["nakatani-gen"]),
        ("中谷 元", ["nakatani-gen"]),  # space ignored
        ("中谷\u3000元", ["nakatani-gen"]),  # ideographic space ignored
        ("中谷", ["nakatani-gen"]),
        ("Gen Nakatani", ["nakatani-gen"]),
        ("茂木敏充", ["motegi-toshimitsu"]),
        ("濱田靖一", ["hamada-yasukazu"]),
        ("ブリンケン", ["antony-blinken"]),
        ("高市早苗", ["takaichi-sanae"]),
        ("バンス", ["jd-vance"]),
        ("山田", ["yamada-kenji", "yamada-shigeo"]),  # ambiguous surname: both, file order
        # negatives
        ("Napoleon", []),
        ("", []),
        ("中", []),
        ("Aust", []),
        ("防衛大臣", []),
    ],
)
def test_people_by_alias(reg: Registry, alias: str, expected: list[str]) -> None:
    assert [p.person_id for p in reg.people_by_alias(alias)] == expected


# ---------------------------------------------------------------------------- organization_by_alias


@pytest.mark.parametrize(
    "alias, expected",
    [
        ("防衛省", "jp_mod"),
        ("MOD", "jp_mod"),
        ("Ministry of Defense", "jp_mod"),
        ("Japan Ministry of Defense", "jp_mod"),
        ("外務省", "jp_mofa"),
        ("MOFA", "jp_mofa"),
        ("首相官邸", "jp_kantei"),
        ("内閣官房", "jp_cabinet_secretariat"),
        ("統合幕僚監部", "jp_joint_staff"),
        ("陸自", "jp_gsdf"),
        ("防衛装備庁", "jp_atla"),
        ("国務省", "us_dos"),
        ("State Department", "us_dos"),
        ("国防総省", "us_dod"),
        ("国防省", "us_dod"),
        ("米国防総省", "us_dod"),
        ("Pentagon", "us_dod"),
        ("Department of War", "us_dod"),
        ("ペンタゴン", "us_dod"),
        ("ホワイトハウス", "us_white_house"),
        ("INDOPACOM", "us_indopacom"),
        ("米インド太平洋軍", "us_indopacom"),
        ("在日米軍", "us_usfj"),
        ("usfj", "us_usfj"),
        ("米戦略軍", "us_stratcom"),
        ("在日米国大使館", "us_embassy_japan"),
        ("NATO", "nato"),
        ("英国防省", "gb_mod"),
        ("韓国国防部", "kr_mnd"),
        ("フィリピン国防省", "ph_dnd"),
        # negatives
        ("Ministry of Magic", None),
        ("", None),
        ("防衛", None),
    ],
)
def test_organization_by_alias(reg: Registry, alias: str, expected: str | None) -> None:
    org = reg.organization_by_alias(alias)
    assert (org.org_id if org else None) == expected


# ---------------------------------------------------------------------------- the data itself

MULTI_SEAT_OFFICES = {"jp_state_minister_for_foreign_affairs"}  # two 外務副大臣 at a time


def _raw(name: str) -> list[dict]:
    return yaml.safe_load((DEFAULT_DIRECTORY / name).read_text(encoding="utf-8"))


def test_default_registry_is_cached() -> None:
    assert load_registry() is load_registry()


def test_counts(reg: Registry) -> None:
    assert len(reg.people) >= 60
    assert len(reg.offices) >= 20
    assert len(reg.organizations) >= 25


def test_single_seat_offices_never_have_two_holders_beyond_a_handover_day(reg: Registry) -> None:
    by_office: dict[str, list[tuple[str, date, date]]] = {}
    for person in reg.people:
        for term in person.terms:
            end = term.end or date.max
            by_office.setdefault(term.office, []).append((person.person_id, term.start, end))
    problems = []
    for office, terms in by_office.items():
        if office in MULTI_SEAT_OFFICES:
            continue
        for (a, a_start, a_end), (b, b_start, b_end) in combinations(terms, 2):
            overlap_start, overlap_end = max(a_start, b_start), min(a_end, b_end)
            if overlap_start < overlap_end:  # more than one shared day
                problems.append(f"{office}: {a} and {b} overlap {overlap_start}..{overlap_end}")
    assert problems == []


def test_people_conventions(reg: Registry) -> None:
    for p in reg.people:
        if p.country == "JP":
            assert p.reading, p.person_id
        else:
            assert p.reading is None, p.person_id
            if p.country not in ("KR", "CN"):  # Korean and Chinese names are written in kanji
                assert "・" in p.name_ja, p.person_id
        assert p.terms, p.person_id


def test_every_source_key_is_documented() -> None:
    readme = (DEFAULT_DIRECTORY.parent / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", readme, flags=re.MULTILINE))
    used = {entry["source"] for entry in _raw("officials.yaml")}
    assert used <= documented, used - documented


def test_approx_and_acting_flags_are_booleans() -> None:
    for entry in _raw("officials.yaml"):
        for term in entry["offices"]:
            for flag in ("approx", "acting"):
                assert term.get(flag, False) in (True, False), (entry["id"], term)


def test_event_types_match_the_record_enum(reg: Registry) -> None:
    from models.records import EventType

    assert [e["id"] for e in reg.event_types] == [t.value for t in EventType]
    for e in reg.event_types:
        assert e["label_ja"] and e["label_en"] and e["description"]


REQUIRED_TOPICS = """china north_korea russia ukraine taiwan senkaku east_china_sea south_china_sea
article5 extended_deterrence nuclear arms_control command_and_control defense_industry force_posture
okinawa isr cyber space counterstrike standoff missile_defense training exercise foip alliance
deterrence quad_and_partners economic_security abduction host_nation_support joint_statement""".split()


def test_topics_cover_the_required_list(reg: Registry) -> None:
    ids = [t["id"] for t in reg.topics]
    assert set(REQUIRED_TOPICS) <= set(ids)
    for t in reg.topics:
        assert t["keywords_ja"] and t["keywords_en"], t["id"]


@pytest.mark.parametrize(
    "text, topic, expected",
    [
        ("日米拡大抑止協議（EDD）を実施", "extended_deterrence", True),
        ("尖閣諸島への日米安保条約第5条の適用", "article5", True),
        ("ガイドラインの核心は", "nuclear", False),  # 核心 is not 核
        ("自由で開かれたインド太平洋", "quad_and_partners", False),  # インド太平洋 is not India
        ("Israel and the region", "isr", False),
    ],
)
def test_topic_keywords_behave_as_substrings(reg: Registry, text: str, topic: str, expected: bool) -> None:
    t = next(t for t in reg.topics if t["id"] == topic)
    lowered = text.casefold()
    hit = any(k in text for k in t["keywords_ja"]) or any(k.casefold() in lowered for k in t["keywords_en"])
    assert hit is expected


# ---------------------------------------------------------------------------- validation

BASE: dict[str, list[dict]] = {
    "organizations.yaml": [
        {"id": "jp_mod", "name_ja": "防衛省", "name_en": "Ministry of Defense", "country": "JP",
         "aliases_ja": [], "aliases_en": ["MOD"]},
        {"id": "nato", "name_ja": "北大西洋条約機構", "name_en": "NATO", "country": None,
         "aliases_ja": [], "aliases_en": []},
    ],
    "offices.yaml": [
        {"key": "jp_minister_of_defense", "title_ja": "防衛大臣", "titles_ja": ["防衛相"],
         "title_en": "Minister of Defense", "titles_en": [], "organization": "jp_mod", "country": "JP"},
    ],
    "officials.yaml": [
        {"id": "nakatani-gen", "name_ja": "中谷元", "name_en": "Gen Nakatani", "reading": "なかたに げん",
         "country": "JP", "aliases_ja": ["中谷"], "aliases_en": ["Nakatani"], "source": "jp_mod_ministers",
         "offices": [{"office": "jp_minister_of_defense", "start": date(2024, 10, 1), "end": date(2025, 10, 21)}]},
    ],
    "topics.yaml": [
        {"id": "china", "label_ja": "中国", "label_en": "China", "keywords_ja": ["中国"], "keywords_en": ["China"]},
    ],
    "event_types.yaml": [
        {"id": "summit", "label_ja": "首脳会談", "label_en": "Summit", "description": "leaders"},
    ],
}


def _write(directory: Path, files: dict[str, list[dict]]) -> None:
    for name, entries in files.items():
        (directory / name).write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_minimal_fixture_loads(tmp_path: Path) -> None:
    _write(tmp_path, BASE)
    reg = load_registry(tmp_path)
    assert [p.person_id for p in reg.holders("jp_minister_of_defense", D("2025-01-01"))] == ["nakatani-gen"]
    assert reg.offices["jp_minister_of_defense"].titles_ja == ("防衛大臣", "防衛相")  # canonical added
    assert reg.organizations["nato"].country is None


def _person(files):
    return files["officials.yaml"][0]


def _term(files):
    return _person(files)["offices"][0]


BROKEN = [
    ("duplicate person id", lambda f: f["officials.yaml"].append(copy.deepcopy(_person(f))), "duplicate id 'nakatani-gen'"),
    ("unknown office", lambda f: _term(f).update(office="jp_shogun"), "'jp_shogun' is not in offices.yaml"),
    ("start after end", lambda f: _term(f).update(start=date(2026, 1, 1)), "start 2026-01-01 is after end 2025-10-21"),
    ("bad date", lambda f: _term(f).update(start="October 2024"), "is not a date"),
    ("lowercase country", lambda f: _person(f).update(country="jp"), "two uppercase letters"),
    ("three-letter office country", lambda f: f["offices.yaml"][0].update(country="JPN"), "two uppercase letters"),
    ("unknown organization", lambda f: f["offices.yaml"][0].update(organization="jp_bakufu"), "'jp_bakufu' is not in organizations.yaml"),
    ("duplicate office key", lambda f: f["offices.yaml"].append(copy.deepcopy(f["offices.yaml"][0])), "duplicate id 'jp_minister_of_defense'"),
    ("duplicate org id", lambda f: f["organizations.yaml"].append(copy.deepcopy(f["organizations.yaml"][0])), "duplicate id 'jp_mod'"),
    ("missing name_en", lambda f: _person(f).pop("name_en"), "'name_en' must be a non-empty string"),
    ("missing source", lambda f: _person(f).pop("source"), "'source' must be a non-empty string"),
    ("no terms", lambda f: _person(f).update(offices=[]), "non-empty list of terms"),
    ("bad person id", lambda f: _person(f).update(id="Nakatani Gen"), "must match"),
    ("space in name_ja", lambda f: _person(f).update(name_ja="中谷 元"), "must not contain spaces"),
    ("katakana reading", lambda f: _person(f).update(reading="ナカタニ ゲン"), "must be hiragana"),
    ("typo field", lambda f: _person(f).update(alias_ja=["中谷"]), "unknown field"),
    ("typo term field", lambda f: _term(f).update(ends=None), "unknown field"),
    ("org alias collision", lambda f: f["organizations.yaml"][1]["aliases_en"].append("mod"), "used by both 'jp_mod' and 'nato'"),
    ("duplicate topic", lambda f: f["topics.yaml"].append(copy.deepcopy(f["topics.yaml"][0])), "topics.yaml: duplicate id 'china'"),
    ("event type without description", lambda f: f["event_types.yaml"][0].pop("description"), "'description' must be a non-empty string"),
    ("not a list", lambda f: f.update({"topics.yaml": {"china": "中国"}}), "topics.yaml: expected a list of mappings"),
]


@pytest.mark.parametrize("mutate, message", [(m, msg) for _, m, msg in BROKEN], ids=[name for name, _, _ in BROKEN])
def test_broken_reference_data_raises(tmp_path: Path, mutate, message: str) -> None:
    files = copy.deepcopy(BASE)
    mutate(files)
    _write(tmp_path, files)
    with pytest.raises(ValueError, match=re.escape(message)):
        load_registry(tmp_path)


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("officials.yaml", "- id: [unclosed\n", "officials.yaml: not valid YAML"),
        ("topics.yaml", "- keywords_en: [percent, % of GDP]\n", "topics.yaml: not valid YAML"),
    ],
)
def test_invalid_yaml_raises(tmp_path: Path, name: str, text: str, message: str) -> None:
    _write(tmp_path, BASE)
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_registry(tmp_path)


def test_missing_file_raises(tmp_path: Path) -> None:
    _write(tmp_path, {k: v for k, v in BASE.items() if k != "offices.yaml"})
    with pytest.raises(ValueError, match="offices.yaml: missing"):
        load_registry(tmp_path)
