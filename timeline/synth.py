"""Synthetic Japan–US defence news corpus with ground truth, for measuring dedup at scale.

``generate(n_events, seed, out_dir)`` draws ``n_events`` true events (2021-02 … 2026-10) whose
participants held their offices on the event date according to the officials registry, writes
1–5 article files per event under ``out_dir/articles/`` in several page styles (Japanese
ministry release, Japanese news-site reprint, Japanese newspaper, aggregator page with cards,
English DoD / State / White House readout), and writes ``out_dir/truth.json`` saying which true
events every article reports. The same ``(n_events, seed, options)`` gives byte-identical files:
all randomness comes from one ``random.Random(seed)`` and nothing iterates over a set.

Hard cases for dedup are planted on purpose (``TrueEvent.cases``):

* ``phone_then_in_person`` – the same pair talks by phone and meets in person 2–5 days apart;
* ``same_day_2plus2``      – a 2+2, a defence ministers' and a foreign ministers' meeting (and
  sometimes a courtesy call on the prime minister) on one day with the same people; some
  articles report two of them;
* series rounds            – every 2+2 is a round of series ``ssc``, EDD / DICAS rounds,
  exercises named by year (Keen Sword 25, …); reports sometimes refer back to the last round;
* ``planned_then_held``    – one source is an announcement published before the event;
* ``us_venue_jst``         – a meeting in Washington / Honolulu / New York that a Japanese report
  dates in Japan time (one day later);
* ``us_date_readout``      – a call dated in Japan time that the English readout dates one day
  earlier (US Eastern time).

Truth format (``truth.json``, ``format: timeline-synth/1``)::

    {"format": "timeline-synth/1", "seed": 7, "params": {...},
     "events": [{"event_id": "E00001", "event_type": "defense_ministers_meeting",
                 "medium": "phone", "status": "held", "start_date": "2021-02-03",
                 "end_date": "2021-02-03", "participants": ["kishi-nobuo", "lloyd-austin"],
                 "others": [], "location": null, "series": null, "round": null,
                 "title_ja": "日米防衛相電話会談", "title_en": "...", "cases": [...]}, ...],
     "articles": {"00001_ja_news.txt": ["E00017", "E00003"], ...},      # main event first
     "article_meta": {"00001_ja_news.txt": {"kind": "ja_news", "lang": "ja", "site": "毎日新聞",
                      "published": "2021-02-04", "bytes": 4711,
                      "views": {"E00017": {"role": "main", "status": "held", "shift": 1}, ...}}}}

``views`` says how the article presents each event: ``role`` main (its own report), bundle (a
second event of the same day reported alongside), card (an aggregator card about an earlier
related event) or reference (a passing mention of an earlier round or call); ``status`` planned
for an announcement; ``shift`` the days the article's date differs from the truth (+1 Japan time
for a US venue, −1 US date for a call).

Event dates are local at the venue; calls and video meetings are dated in Japan time (the
warehouse convention). ``participants`` holds registry person ids only; unregistered officials
(EDD / DICAS co-chairs) are listed by their written Japanese name in ``others``.

Scoring: :func:`pairwise_scores` (definition in its docstring), :func:`align_rows`,
:func:`assignment_from_warehouse`, :func:`assignment_from_records` and :func:`score_warehouse`.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import sys
import time as _time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Mapping

from timeline.registry import Person, Registry, load_registry

__all__ = [
    "FORMAT", "TrueEvent", "Truth", "generate", "pairwise_scores", "align_rows",
    "assignment_from_warehouse", "assignment_from_records", "score_warehouse", "score_stages", "main",
]

FORMAT = "timeline-synth/1"
FIRST_DAY = date(2021, 2, 1)
LAST_DAY = date(2026, 10, 31)

SUMMIT = "summit"
TWO_PLUS_TWO = "ministerial_2plus2"
DMM = "defense_ministers_meeting"
FMM = "foreign_ministers_meeting"
WLD = "working_level_dialogue"
VISIT = "visit"
EXERCISE = "exercise"
DOC = "document_release"
_MEETINGS = (SUMMIT, DMM, FMM)

# ---------------------------------------------------------------------------------------------
# Truth
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrueEvent:
    event_id: str
    event_type: str
    medium: str                       # in_person | phone | video | unknown
    status: str                       # always "held": announcements report the event they announce
    start_date: date
    end_date: date
    participants: tuple[str, ...]     # registry person ids, Japan first
    others: tuple[str, ...] = ()      # unregistered participants as written (Japanese)
    location: str | None = None       # English place name
    series: str | None = None         # ssc | edd | dicas | exercise key | doc key
    round: int | None = None          # 1-based order inside the series in this corpus (exercise: its number)
    title_ja: str = ""
    title_en: str = ""
    cases: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "event_id": self.event_id, "event_type": self.event_type, "medium": self.medium,
            "status": self.status, "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(), "participants": list(self.participants),
            "others": list(self.others), "location": self.location, "series": self.series,
            "round": self.round, "title_ja": self.title_ja, "title_en": self.title_en,
            "cases": list(self.cases),
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> TrueEvent:
        return cls(
            event_id=d["event_id"], event_type=d["event_type"], medium=d["medium"], status=d["status"],
            start_date=date.fromisoformat(d["start_date"]), end_date=date.fromisoformat(d["end_date"]),
            participants=tuple(d["participants"]), others=tuple(d.get("others", ())),
            location=d.get("location"), series=d.get("series"), round=d.get("round"),
            title_ja=d.get("title_ja", ""), title_en=d.get("title_en", ""), cases=tuple(d.get("cases", ())),
        )


@dataclass
class Truth:
    seed: int
    params: dict
    events: dict[str, TrueEvent]
    articles: dict[str, list[str]]            # article file name → true event ids it reports (main first)
    article_meta: dict[str, dict] = field(default_factory=dict)
    articles_dir: Path | None = None

    def to_json(self) -> str:
        doc = {
            "format": FORMAT, "seed": self.seed, "params": self.params,
            "events": [self.events[k].to_dict() for k in sorted(self.events)],
            "articles": {k: self.articles[k] for k in sorted(self.articles)},
            "article_meta": {k: self.article_meta[k] for k in sorted(self.article_meta)},
        }
        return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, articles_dir: Path | None = None) -> Truth:
        doc = json.loads(text)
        if doc.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} truth file (format={doc.get('format')!r})")
        events = {d["event_id"]: TrueEvent.from_dict(d) for d in doc["events"]}
        return cls(doc["seed"], doc.get("params", {}), events, {k: list(v) for k, v in doc["articles"].items()},
                   doc.get("article_meta", {}), articles_dir)

    @classmethod
    def load(cls, path: str | Path) -> Truth:
        """Read ``truth.json`` (or the directory holding it and ``articles/``)."""
        path = Path(path)
        if path.is_dir():
            path = path / "truth.json"
        return cls.from_json(path.read_text(encoding="utf-8"), path.parent / "articles")

    def units(self) -> list[tuple[str, str]]:
        """Every (article file, true event id) mention unit, in a stable order."""
        return [(a, e) for a in sorted(self.articles) for e in self.articles[a]]


# ---------------------------------------------------------------------------------------------
# Fixed vocabularies
# ---------------------------------------------------------------------------------------------

_WD_JA = "月火水木金土日"
_WD_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MON_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# place key → (Japanese, English, in the US: Japan time is one day later for a daytime meeting)
_PLACES = {
    "Tokyo": ("東京", False), "Washington": ("ワシントン", True), "Honolulu": ("ホノルル", True),
    "New York": ("ニューヨーク", True), "Singapore": ("シンガポール", False), "Manila": ("マニラ", False),
}
_VENUE_JA = {  # Tokyo venues by the Japanese host
    SUMMIT: ["首相官邸", "東京"], DMM: ["防衛省", "東京"], FMM: ["外務省", "飯倉公館", "東京"],
    TWO_PLUS_TWO: ["東京", "外務省"], VISIT: ["首相官邸", "防衛省", "外務省"],
}

_OFFICES = {
    SUMMIT: ("jp_prime_minister", "us_president"),
    TWO_PLUS_TWO: ("jp_minister_of_foreign_affairs", "jp_minister_of_defense",
                   "us_secretary_of_state", "us_secretary_of_defense"),
    DMM: ("jp_minister_of_defense", "us_secretary_of_defense"),
    FMM: ("jp_minister_of_foreign_affairs", "us_secretary_of_state"),
}
# courtesy calls: (visitor office, host office, weight)
_CALLS = (
    ("us_secretary_of_defense", "jp_prime_minister", 3), ("us_secretary_of_state", "jp_prime_minister", 3),
    ("us_commander_indopacom", "jp_minister_of_defense", 3), ("us_commander_usfj", "jp_minister_of_defense", 2),
    ("us_chairman_joint_chiefs", "jp_minister_of_defense", 2), ("us_ambassador_to_japan", "jp_minister_of_defense", 2),
    ("us_ambassador_to_japan", "jp_minister_of_foreign_affairs", 2), ("us_ambassador_to_japan", "jp_prime_minister", 1),
    ("us_deputy_secretary_of_state", "jp_minister_of_foreign_affairs", 2),
    ("us_deputy_secretary_of_defense", "jp_minister_of_defense", 1),
    ("us_commander_indopacom", "jp_chief_of_staff_joint_staff", 1),
)

# Titles: Japanese long / short (after a surname), English long / short.
_T_JA = {
    "jp_prime_minister": (["内閣総理大臣", "総理大臣"], ["首相", "総理"]),
    "jp_minister_of_defense": (["防衛大臣"], ["防衛相", "防衛大臣", "大臣"]),
    "jp_minister_of_foreign_affairs": (["外務大臣"], ["外相", "外務大臣", "大臣"]),
    "jp_chief_of_staff_joint_staff": (["統合幕僚長"], ["統合幕僚長", "統幕長"]),
    "us_president": (["米国大統領", "米大統領", "アメリカ合衆国大統領"], ["大統領", "米大統領"]),
    "us_secretary_of_state": (["米国国務長官", "国務長官", "米国務長官"], ["国務長官", "米国務長官", "長官"]),
    "us_secretary_of_defense": (["米国国防長官", "国防長官", "米国防長官"], ["国防長官", "米国防長官", "長官"]),
    "us_deputy_secretary_of_state": (["米国務副長官"], ["国務副長官"]),
    "us_deputy_secretary_of_defense": (["米国防副長官"], ["国防副長官"]),
    "us_commander_indopacom": (["米インド太平洋軍司令官"], ["インド太平洋軍司令官", "司令官"]),
    "us_commander_usfj": (["在日米軍司令官"], ["在日米軍司令官", "司令官"]),
    "us_chairman_joint_chiefs": (["米統合参謀本部議長"], ["統合参謀本部議長", "議長"]),
    "us_ambassador_to_japan": (["駐日米国大使", "駐日米大使"], ["駐日大使", "大使"]),
}
_T_EN = {
    "jp_prime_minister": (["Prime Minister"], "Prime Minister"),
    "jp_minister_of_defense": (["Minister of Defense", "Defense Minister"], "Minister"),
    "jp_minister_of_foreign_affairs": (["Foreign Minister", "Minister for Foreign Affairs"], "Minister"),
    "jp_chief_of_staff_joint_staff": (["Chief of Staff, Joint Staff"], "General"),
    "us_president": (["President"], "President"),
    "us_secretary_of_state": (["Secretary of State"], "Secretary"),
    "us_secretary_of_defense": (["Secretary of Defense"], "Secretary"),
    "us_deputy_secretary_of_state": (["Deputy Secretary of State"], "Deputy Secretary"),
    "us_deputy_secretary_of_defense": (["Deputy Secretary of Defense"], "Deputy Secretary"),
    "us_commander_indopacom": (["Commander of U.S. Indo-Pacific Command"], "Admiral"),
    "us_commander_usfj": (["Commander of U.S. Forces Japan"], "Lt. Gen."),
    "us_chairman_joint_chiefs": (["Chairman of the Joint Chiefs of Staff"], "Chairman"),
    "us_ambassador_to_japan": (["U.S. Ambassador to Japan"], "Ambassador"),
}
_WAR_TITLE_FROM = date(2025, 9, 5)    # "Secretary of War" / "Department of War" as a secondary style

# Exercises: key, Japanese kind, Japanese name, English name, months, numbering
_EXERCISES = (
    ("keen_sword", "日米共同統合演習", "キーン・ソード", "Keen Sword", (10, 11), "fy_even"),
    ("keen_edge", "日米共同統合指揮所演習", "キーン・エッジ", "Keen Edge", (1, 2), "fy_odd"),
    ("resolute_dragon", "日米共同訓練", "レゾリュート・ドラゴン", "Resolute Dragon", (7, 8, 9), "year"),
    ("orient_shield", "日米共同訓練", "オリエント・シールド", "Orient Shield", (6, 7, 8), "year"),
    ("yama_sakura", "日米共同方面隊指揮所演習", "ヤマサクラ", "Yama Sakura", (12, 1, 2), "ys"),
    ("iron_fist", "日米共同訓練", "アイアン・フィスト", "Iron Fist", (2, 3), "year"),
    ("cope_north", "日米共同訓練", "コープ・ノース", "Cope North", (2,), "year"),
    ("forest_light", "日米共同訓練", "フォレスト・ライト", "Forest Light", (1, 9), "year"),
    ("noble_fusion", "日米共同訓練", "ノーブル・フュージョン", "Noble Fusion", (2, 3), "year"),
    ("southern_beach", "日米共同訓練", "サザン・ビーチ", "Southern Beach", (11,), "year"),
)
_EX_AREAS = (("沖縄県及び九州各地", "Okinawa and Kyushu"), ("北海道", "Hokkaido"), ("日本各地", "locations across Japan"),
             ("南西諸島", "the Nansei Islands"), ("東富士演習場", "the East Fuji Maneuver Area"),
             ("三沢基地及び周辺空域", "Misawa Air Base and its airspace"))

# Document releases: key, Japanese title (ends in a document word), English object, weight
_DOCS = (
    ("ed_guidelines", "日米政府間の拡大抑止に関するガイドライン", "guidelines on extended deterrence"),
    ("dte_statement", "日米防衛装備・技術協力に関する共同声明", "joint statement on defense equipment and technology cooperation"),
    ("c2_factsheet", "日米同盟の指揮・統制の向上に関するファクトシート", "fact sheet on upgrading Alliance command and control"),
    ("space_statement", "日米宇宙協力に関する共同声明", "joint statement on space cooperation"),
    ("cyber_statement", "日米サイバー協力に関する共同文書", "joint statement on cyber cooperation"),
    ("industry_factsheet", "日米防衛産業協力に関するファクトシート", "fact sheet on defense industrial cooperation"),
    ("maritime_statement", "日米海洋安全保障協力に関する共同声明", "joint statement on maritime security cooperation"),
    ("tech_guidelines", "日米重要技術協力に関する指針", "guidelines on critical technology cooperation"),
)

# Invented unregistered officials (checked against the registry's aliases at load time)
_JA_SURNAMES = ("佐藤", "高橋", "伊藤", "渡辺", "中村", "松本", "井上", "木村", "斎藤", "清水", "森田", "池田",
                "橋本", "石川", "前田", "藤田", "岡田", "後藤", "長谷川", "村上", "近藤", "坂本", "遠藤", "青木",
                "西村", "福田", "太田", "三浦", "原田", "松田", "野口", "菊地")
_JA_GIVEN = ("健一", "直樹", "幸二", "浩", "誠", "隆", "大輔", "哲也", "修", "聡", "和也", "亮", "剛", "達也", "真一")
_US_NAMES = (("Michael Turner", "マイケル・ターナー"), ("Sarah Collins", "サラ・コリンズ"),
             ("David Foster", "デビッド・フォスター"), ("Laura Bennett", "ローラ・ベネット"),
             ("James Whitaker", "ジェームズ・ウィテカー"), ("Emily Hartman", "エミリー・ハートマン"),
             ("Robert Hayes", "ロバート・ヘイズ"), ("Karen Mitchell", "カレン・ミッチェル"),
             ("Thomas Reed", "トーマス・リード"), ("Jennifer Lowe", "ジェニファー・ロウ"))

# ---------------------------------------------------------------------------------------------
# Sentence pools
# ---------------------------------------------------------------------------------------------

# Outcome clauses (predicates 一致 / 改めて確認 / 歓迎 / 非難 / 懸念 …), Japanese, by domain.
_OUT_JA = {
    "common": (
        "日米同盟の抑止力・対処力を一層強化していくことで一致しました",
        "自由で開かれたインド太平洋の維持・強化に向けて緊密に連携していくことで一致しました",
        "日米安全保障条約第5条が尖閣諸島に適用されることを改めて確認しました",
        "核を含むあらゆる能力を用いた日本の防衛に対する米国の揺るぎないコミットメントを改めて確認しました",
        "台湾海峡の平和と安定の重要性を改めて確認しました",
        "東シナ海及び南シナ海における力又は威圧による一方的な現状変更の試みに強く反対することで一致しました",
        "北朝鮮による核・ミサイル開発の進展に深刻な懸念を表明しました",
        "北朝鮮による弾道ミサイル発射を強く非難しました",
        "ロシアによるウクライナ侵略を強く非難しました",
        "日米豪比など同志国との協力を一層推進していくことを確認しました",
        "日本の防衛力の抜本的強化に向けた取組を歓迎しました",
        "中国の軍事活動の活発化について懸念を共有しました",
        "中国とロシアの軍事的な連携の強化に深刻な懸念を表明しました",
        "北朝鮮の完全な非核化に向けたコミットメントを改めて確認しました",
        "露朝軍事協力の深化を強く非難しました",
        "法の支配に基づく自由で開かれた国際秩序を維持・強化していくことで一致しました",
        "宇宙・サイバー・電磁波領域での協力を推進していくことで一致しました",
        "日米韓3か国の安全保障協力を引き続き推進していくことを確認しました",
    ),
    "defense": (
        "同盟の指揮・統制枠組みの向上に向けた取組を加速させることで一致しました",
        "ミサイルの共同生産を含む防衛装備・技術協力を推進していくことで一致しました",
        "南西諸島における日米の共同プレゼンスを強化することで一致しました",
        "在日米軍再編の着実な実施に向けて緊密に協力していくことを確認しました",
        "普天間飛行場の辺野古への移設が唯一の解決策であることを改めて確認しました",
        "米艦船の日本国内での維持整備に関する協力の進展を歓迎しました",
        "情報収集・警戒監視・偵察(ISR)協力の進展を歓迎しました",
        "日本のスタンド・オフ防衛能力の構築に向けた進捗を歓迎しました",
        "反撃能力の効果的な運用に向けた日米協力を深化させることで一致しました",
        "共同訓練・演習の拡充を通じて同盟の即応性を高めていくことを確認しました",
        "自衛隊の統合作戦司令部と米軍との連携の在り方について議論を深めることで一致しました",
        "地元の負担軽減に向けた取組を着実に進めていくことを確認しました",
    ),
    "foreign": (
        "G7をはじめとする国際場裡において緊密に連携していくことで一致しました",
        "経済安全保障分野での協力を深化させていくことで一致しました",
        "日米韓の連携の重要性を改めて確認しました",
        "拉致問題の即時解決に向けて引き続き緊密に連携することで一致しました",
        "グローバル・サウスとの連携の重要性を確認しました",
        "重要鉱物のサプライチェーン強靱化に向けて協力していくことで一致しました",
        "中東情勢について意見交換を行い、緊密に連携していくことで一致しました",
    ),
    "summit": (
        "日米同盟を新たな高みに引き上げていくことで一致しました",
        "首脳間の緊密な意思疎通を継続していくことを確認しました",
        "経済安全保障やエネルギー分野での協力を強化していくことで一致しました",
    ),
    "edd": (
        "拡大抑止の信頼性と強靱性を維持・強化していくことを確認しました",
        "地域の戦略環境について評価を共有しました",
        "同盟調整メカニズム(ACM)を通じた調整を強化していくことで一致しました",
        "軍備管理及び不拡散が果たす重要な役割を強調しました",
    ),
    "dicas": (
        "ミサイルの共同生産及び艦船・航空機の維持整備に関する協力の進展を歓迎しました",
        "サプライチェーンの強靱化に向けた作業の進捗を確認しました",
        "防衛産業基盤の強化に向けて協力を加速させることで一致しました",
    ),
    "visit": (
        "日米同盟の更なる強化に向けて緊密に連携していくことを確認しました",
        "地域の安全保障環境について意見交換を行いました",
        "在日米軍の安定的な駐留のため引き続き協力していくことを確認しました",
        "自衛隊と米軍の相互運用性を一層高めていくことで一致しました",
    ),
}
_TALK_JA = (
    "両者は、地域情勢について率直な意見交換を行いました。",
    "日本側から、防衛力の抜本的強化に向けた取組について説明しました。",
    "米側から、日本の取組を高く評価する旨の発言がありました。",
    "双方は、インド太平洋地域の安全保障環境について認識をすり合わせました。",
    "日本側から、在日米軍に関する事件・事故の防止について改めて要請しました。",
    "双方は、次回の協議に向けて事務レベルでの調整を進めることとしました。",
    "米側は、同盟国との連携を重視する姿勢を示しました。",
)
_OPENING_JA = (
    "冒頭、日本側から、法の支配に基づく自由で開かれた国際秩序を揺るがす動きが続く中、同盟を絶え間なく強化し、抑止力を高めていかなければならない旨述べました。",
    "米側からは、日本の防衛力強化に向けた取組は同盟の抑止力を大きく高めるものであり、これを高く評価する旨の発言がありました。",
    "日本側から、我が国を取り巻く安全保障環境は戦後最も厳しく複雑なものとなっており、日米同盟の役割はかつてなく重要になっている旨述べました。",
    "米側は、インド太平洋地域の平和と安定のため、日本との協力を一層深めていく考えである旨述べました。",
    "日本側から、先般の自然災害に際しての米軍による迅速な支援に対し、改めて謝意を表しました。",
    "双方は、今回の意見交換が同盟の協力の方向性を確認する上で有意義なものであったとの認識を共有しました。",
)
_SECTIONS_JA = ("総論", "地域情勢", "同盟の抑止力・対処力の強化", "防衛装備・技術協力", "在日米軍の態勢", "その他")
_SUBJ_JA = {
    SUMMIT: ("両首脳は、", "日米両首脳は、", "両首脳はまた、"),
    TWO_PLUS_TWO: ("四閣僚は、", "日米双方は、", "閣僚は、"),
    DMM: ("両大臣は、", "双方は、", "日米双方は、", "両者は、"),
    FMM: ("両大臣は、", "双方は、", "両外相は、", "両者は、"),
    WLD: ("双方は、", "両代表団は、", "日米双方は、"),
    VISIT: ("両者は、", "双方は、"),
}
_OUT_EN = {
    "common": (
        "reaffirmed that Article V of the U.S.-Japan Security Treaty applies to the Senkaku Islands",
        "agreed to further strengthen the deterrence and response capabilities of the Alliance",
        "reaffirmed the U.S. commitment to the defense of Japan using its full range of capabilities, including nuclear",
        "welcomed Japan's efforts to fundamentally reinforce its defense capabilities",
        "condemned North Korea's ballistic missile launches",
        "expressed serious concern about China's increasingly coercive activities in the East China Sea",
        "reaffirmed the importance of peace and stability across the Taiwan Strait",
        "agreed to deepen cooperation with like-minded partners such as Australia and the Philippines",
        "condemned Russia's war of aggression against Ukraine",
        "expressed grave concern over deepening military cooperation between Russia and North Korea",
        "reaffirmed their commitment to the complete denuclearization of North Korea",
        "agreed to strengthen cooperation in space, cyberspace and the electromagnetic spectrum",
        "underscored the importance of a free and open Indo-Pacific based on the rule of law",
    ),
    "defense": (
        "agreed to accelerate efforts to upgrade their respective command and control frameworks",
        "welcomed progress on co-production of missiles and co-sustainment of U.S. ships and aircraft in Japan",
        "agreed to enhance the bilateral presence in Japan's southwestern islands",
        "reaffirmed their commitment to the steady implementation of the realignment of U.S. forces in Japan",
        "welcomed progress in Japan's acquisition of counterstrike capabilities",
        "agreed to expand bilateral training and exercises to improve Alliance readiness",
        "discussed ways to deepen cooperation between the Japan Joint Operations Command and U.S. forces",
    ),
    "foreign": (
        "agreed to continue close coordination at the G7 and other multilateral fora",
        "agreed to deepen cooperation on economic security",
        "reaffirmed the importance of trilateral cooperation with the Republic of Korea",
    ),
    "summit": (
        "agreed to elevate the Alliance to new heights",
        "affirmed their commitment to close communication between the two leaders",
    ),
    "edd": (
        "reaffirmed their commitment to maintaining and strengthening credible extended deterrence",
        "shared assessments of the regional strategic environment",
        "agreed to strengthen coordination through the Alliance Coordination Mechanism",
    ),
    "dicas": (
        "welcomed progress on missile co-production and ship and aircraft maintenance",
        "agreed to accelerate cooperation to strengthen their defense industrial bases",
    ),
    "visit": (
        "reaffirmed close coordination to further strengthen the Alliance",
        "agreed to further improve interoperability between U.S. forces and the Self-Defense Forces",
    ),
}
_SUBJ_EN = {
    SUMMIT: ("The two leaders", "The leaders", "Both leaders"),
    TWO_PLUS_TWO: ("The ministers", "The four ministers", "Both sides"),
    DMM: ("The two leaders", "The two ministers", "Both sides"),
    FMM: ("The two ministers", "Both sides", "The Secretary and the Foreign Minister"),
    WLD: ("Both sides", "The two delegations", "The delegations"),
    VISIT: ("The two", "They", "Both sides"),
}

# Background sentences without event triggers (context paragraphs).
_FILL_JA = (
    "日米両政府は、一層厳しさを増す地域の安全保障環境を踏まえ、同盟の抑止力・対処力の強化を進めている。",
    "政府は国家安全保障戦略など安保3文書に基づき、防衛力の抜本的強化を進めている。",
    "中国は東シナ海や南シナ海で海洋進出を強めており、尖閣諸島周辺では中国海警局の船舶による接続水域内の航行が続いている。",
    "北朝鮮は弾道ミサイルの発射を繰り返しており、日米韓の安全保障協力の重要性が増している。",
    "自衛隊は統合作戦司令部の創設など、統合運用の体制強化を進めている。",
    "防衛装備品の共同開発や共同生産をめぐっては、日米の防衛産業の連携強化が課題となっている。",
    "沖縄の基地負担軽減は日米間の長年の懸案であり、政府は地元との対話を重ねている。",
    "防衛省関係者によると、日米の担当者間では実務レベルでの調整が続けられているという。",
    "日米同盟は日本の外交・安全保障の基軸であり、政府は同盟の一層の強化を目指している。",
    "専門家の間では、同盟国との役割分担の在り方をめぐる議論が活発になっている。",
    "政府関係者は「同盟の抑止力を具体的な形で示すことが重要だ」と話している。",
    "米国は同盟国に対し、防衛費の一段の増額を求める姿勢を強めている。",
    "在日米軍をめぐっては、統合軍司令部への改編に向けた作業が進められている。",
    "日本周辺では、中国軍の艦艇や航空機の活動が活発化している。",
    "防衛省は、南西地域の防衛体制の強化を最優先課題の一つに位置付けている。",
    "ミサイルの共同生産や艦船の維持整備など、防衛産業分野の協力拡大が焦点となっている。",
    "日本政府は、防衛費を国内総生産(GDP)比で2%に増やす方針を掲げている。",
    "野党からは、防衛費増額の財源をめぐる説明が不十分だとの指摘も出ている。",
    "政府内には、同盟の役割分担を見直す好機だとの見方もある。",
    "外務省幹部は「首脳間の信頼関係が同盟の土台だ」と強調した。",
    "日本の防衛予算は過去最大の規模となり、装備品の調達や隊員の処遇改善に充てられている。",
    "米軍は沖縄や神奈川、青森などに拠点を置き、インド太平洋地域での即応態勢を維持している。",
    "自衛隊の人員確保は年々厳しさを増しており、防衛省は採用年齢の引き上げなどの対策を講じている。",
    "同盟の抑止力をめぐっては、核を含む米国の戦力と日本の防衛力の組み合わせが重要だとされる。",
    "宇宙やサイバーといった新たな領域での能力強化も急務となっている。",
    "日米の防衛当局は、有事を想定した共同計画の策定を進めているとみられる。",
    "近年は、オーストラリアやフィリピンとの防衛協力も拡大している。",
    "経済安全保障の観点から、半導体や重要鉱物の供給網の強化も課題として浮上している。",
    "地元自治体からは、米軍機の騒音や事故への懸念の声が根強い。",
    "政府は、同盟の信頼性を内外に示すことが地域の安定につながるとの立場だ。",
    "安全保障政策をめぐっては、国民への丁寧な説明を求める声も上がっている。",
    "防衛省幹部は「抑止力の実効性を高めることが何より大切だ」と述べた。",
    "日本周辺の海空域では、ロシア軍機の飛行も確認されている。",
    "米国の政権交代を経ても、同盟の基本的な枠組みは維持されている。",
    "自衛隊と米軍の連携は、災害時の救援活動でも重要な役割を果たしてきた。",
    "日本の防衛産業は、国内調達の縮小や撤退企業の増加という課題を抱えている。",
    "在日米軍駐留経費の日本側負担は、数年ごとの特別協定で定められている。",
    "政府は、防衛装備品の海外移転に関する制度の見直しも進めている。",
    "安全保障の専門家は、同盟の意思決定の迅速化が鍵になると指摘する。",
    "北朝鮮は核・ミサイル開発を加速させており、地域の緊張は高い状態が続いている。",
)
_FILL_EN = (
    "The U.S.-Japan Alliance remains the cornerstone of peace, security and prosperity in the Indo-Pacific.",
    "Japan is in the midst of a historic build-up of its defense capabilities under its National Security Strategy.",
    "The Department continues to work closely with allies and partners to address shared security challenges.",
    "Both governments have committed to modernizing Alliance roles, missions and capabilities.",
    "The security environment in the region continues to grow more severe and complex.",
    "The United States maintains approximately 55,000 service members in Japan.",
    "Japan has pledged to increase its defense-related spending to 2 percent of gross domestic product.",
    "The Alliance is modernizing command and control to better respond to contingencies.",
    "Co-production and co-sustainment initiatives aim to strengthen the defense industrial bases of both nations.",
    "Officials from both governments continue to consult closely at every level.",
    "Japan hosts the largest forward-deployed presence of U.S. forces in the world.",
    "The Department remains committed to a free and open Indo-Pacific region.",
    "U.S. Forces Japan is undergoing a transformation into a joint force headquarters.",
    "Japan's Self-Defense Forces established a permanent joint operations command in March 2025.",
    "The United States and Japan share a commitment to democracy, human rights and the rule of law.",
    "Trilateral cooperation with the Republic of Korea has expanded in recent years.",
    "The Alliance continues to deepen cooperation in space and cyberspace.",
    "Both countries are working to strengthen resilient supply chains for critical defense components.",
    "Host nation support arrangements are renewed periodically through special measures agreements.",
    "U.S. and Japanese forces regularly train together to improve interoperability.",
    "Japan has expanded security cooperation with Australia, the Philippines and European partners.",
    "The Department of Defense works with Congress to sustain investments in the Indo-Pacific.",
    "For more information, members of the media may contact the press office.",
    "Additional details will be released as they become available.",
)

_RANK_JA = (
    "人事発令 {m}月{d}日付け、1佐職人事(陸自{a}名、海自{b}名、空自{c}名)",
    "人事発令 令和{r}年{m}月{d}日付け、将補人事(陸自{a}名、海自{b}名、空自{c}名)",
    "人事発令 {m}月{d}日付け、1佐人事(海自{a}名)",
    "防衛装備庁、{item}の調達契約を締結({m}月{d}日)",
    "自衛官・防衛省職員らの給与改正案を閣議決定、国会に提出({m}月{d}日)",
    "陸自第{a}師団が災害派遣、{pref}の大雨被害に対応({m}月{d}日)",
    "護衛艦「{ship}」の命名式・進水式を{m}月{d}日に実施",
    "防衛省、令和{r}年度予算の概算要求を公表",
    "航空自衛隊{base}基地で航空祭、約{a}万人が来場",
    "自衛官候補生の募集を開始、{pref}地方協力本部",
    "防衛装備庁シンポジウム レポート{a}",
    "{pref}で不発弾処理、陸自が対応({m}月{d}日)",
    "人事発令 {m}月{d}日付け、事務官等人事(本省課長級{a}名)",
    "防衛装備庁、{item}の後継機選定で企業提案を募集",
    "海自の{ship}型護衛艦、定期修理を終え母港に帰港",
    "防衛大学校で卒業式、{a}00名余りが巣立つ",
    "陸自{base}駐屯地で創立記念行事、一般公開も",
    "空自、{pref}上空で救難訓練を公開({m}月{d}日)",
    "防衛省、サイバー人材の採用試験の実施を発表",
    "{pref}の陸自駐屯地で火災、けが人なし({m}月{d}日)",
    "戦闘機と一緒に作戦行動する無人機の研究状況を公開:防衛装備庁",
    "令和{r}年度自衛隊音楽まつりの開催日程が決定",
)
_RANK_ITEMS = ("輸送ヘリコプター", "救難飛行艇", "警戒管制レーダー", "哨戒艦", "多用途ヘリコプター", "装輪装甲車", "輸送機")
_PREFS = ("熊本県", "北海道", "静岡県", "広島県", "宮城県", "鹿児島県", "石川県", "福岡県")
_SHIPS = ("あさかぜ", "はやなみ", "ゆうぎり", "しらぬい", "なつづき", "よしの")
_BASES = ("入間", "浜松", "千歳", "小松", "築城", "岐阜")
_NEWS_JA = (
    "日経平均、終値で年初来高値を更新",
    "{pref}で記録的な大雨 気象庁が警戒呼びかけ",
    "衆院予算委、補正予算案を可決",
    "春闘の賃上げ率、{a}%台に",
    "{pref}知事選、現職が再選",
    "新型ロケット打ち上げ成功 JAXA",
    "円相場、1ドル={yen}円台で推移",
    "高校野球、{pref}代表が初の決勝進出",
    "プロ野球 開幕カードの予告先発が発表",
    "全国の桜、各地で満開に",
    "大手電機、今期の業績予想を上方修正",
    "通常国会が召集 会期は150日間",
    "東京株式市場、半導体株に買い戻し",
    "{pref}で震度4の地震 津波の心配なし",
    "最低賃金、全国平均で{a}0円余り引き上げへ",
    "観光客数が過去最多 インバウンド需要続く",
    "米価格の高止まり続く 農水省が対策",
    "大学入試共通テスト、約{a}0万人が出願",
    "新幹線、大雪の影響で一部運休",
    "将棋の名人戦、挑戦者が先勝",
)
_RANK_EN = (
    "Contracts For {mon} {d}, {y}",
    "Army Names Next Sergeant Major of the Army",
    "Navy Awards Contract for Next-Generation Frigate",
    "Air Force Announces Promotions to Colonel",
    "Space Force Activates New Mission Delta",
    "Marines Test New Amphibious Combat Vehicle Variant",
    "Defense Logistics Agency Updates Standard Fuel Prices",
    "Army Corps of Engineers Completes Levee Repairs",
    "Pentagon Details Fiscal Year {y} Budget Request",
    "National Guard Units Support Wildfire Response",
    "Army Awards Contract for Next-Generation Squad Weapons",
    "DOD Announces Updates to Military Housing Program",
    "Navy Christens Future Destroyer in Maine Shipyard",
    "Air Force Completes Test Flight of New Trainer Jet",
    "Defense Health Agency Expands Telehealth Services",
    "Coast Guard Cutter Returns From Eastern Pacific Patrol",
    "Army Reserve Soldiers Compete in Best Warrior Competition",
    "Military Families Month Events Scheduled Nationwide",
    "DOD Releases Annual Suicide Prevention Data",
    "Missile Defense Agency Conducts Flight Test off Hawaii",
)
_EN_ORGS = ("Army", "Navy", "Air Force", "Marine Corps", "Space Force", "National Guard", "Coast Guard",
            "Defense Logistics Agency", "Defense Health Agency", "DISA", "Army Reserve", "Air National Guard")
_EN_VERBS = ("Awards Contract for", "Tests", "Fields", "Unveils Plan for", "Completes Review of", "Expands",
             "Modernizes", "Launches Pilot for", "Streamlines", "Certifies")
_EN_OBJECTS = ("Next-Generation Radar", "Training Aircraft", "Tactical Vehicles", "Cyber Workforce Program",
               "Barracks Renovations", "Energy Resilience Projects", "Satellite Ground Stations",
               "Recruiting Initiatives", "Munitions Production Line", "Medical Readiness Program",
               "Child Care Facilities", "Spare Parts Pipeline", "Body Armor Upgrades", "Depot Maintenance Capacity")
_NAV_JA_GOV = ("報道・広報", "政策", "組織案内", "採用情報", "English", "サイトマップ", "文字サイズ 標準 拡大",
               "よくある質問", "会見・発表", "白書", "予算・決算", "調達情報", "法令", "情報公開", "パブリックコメント",
               "地方協力本部", "災害派遣", "国際平和協力活動", "各種手続き", "キッズページ", "大臣・副大臣・政務官",
               "報道資料一覧", "記者会見", "広報誌", "動画チャンネル", "政策評価", "統計情報", "研究開発",
               "基地対策", "環境対策", "防衛装備移転", "人材確保", "ハラスメント防止", "行政文書の管理",
               "個人情報保護", "公表資料", "審議会等", "国会提出法案", "施策の概要", "地域の安全保障")
_FOOT_JA_GOV = ("サイトポリシー", "プライバシーポリシー", "ウェブアクセシビリティ", "リンク集", "ご意見・ご感想",
                "Q&A", "関連機関", "所在地・地図", "RSS配信", "メールマガジン")
_NAV_JA_NEWS = ("トップ", "速報", "政治", "経済", "国際", "社会", "スポーツ", "エンタメ", "科学", "暮らし", "地域",
                "天気", "特集", "連載", "オピニオン", "動画", "写真")
_FOOT_JA_NEWS = ("会社案内", "広告掲載", "利用規約", "個人情報の取り扱い", "著作権", "サイトマップ", "ヘルプ",
                 "採用情報", "記事の使用について", "ご意見・ご要望", "アプリ", "ニュースレター")
_NAV_EN = ("News", "Releases", "Spotlights", "About", "Resources", "Briefings", "Press Releases", "Statements",
           "Transcripts", "Speeches", "Photos", "Videos", "Multimedia", "Features", "Topics", "Organizations")
_FOOT_EN = ("Inspector General", "Budget & Performance", "Privacy & Security", "FOIA", "USA.gov", "No FEAR Act",
            "Accessibility/Section 508", "Link Disclaimer", "Open Government", "Plain Writing", "Site Map",
            "Subscribe to updates", "Web Policy", "Agency Financial Report", "Value of Service")
_NOTICE_JA = (
    "令和{r}年{m}月{d}日 防衛省職員の懲戒処分について",
    "令和{r}年{m}月{d}日 入札公告(庁舎設備の保守点検業務)",
    "令和{r}年{m}月{d}日 職員採用試験の実施について",
    "令和{r}年{m}月{d}日 {pref}における不発弾処理について",
    "令和{r}年{m}月{d}日 自衛隊の災害派遣について({pref})",
    "令和{r}年{m}月{d}日 報道官会見の日程について",
    "令和{r}年{m}月{d}日 意見募集の結果について",
    "令和{r}年{m}月{d}日 海外安全情報の更新について",
    "令和{r}年{m}月{d}日 システムメンテナンスに伴うサービス停止のお知らせ",
    "令和{r}年{m}月{d}日 白書(英語版)の掲載について",
    "令和{r}年{m}月{d}日 {item}の契約締結について",
    "令和{r}年{m}月{d}日 統計資料の更新について",
)
_SLOT = "\x00"
_TARGET_BYTES = {"ja_release": 5000, "ja_reprint": 6300, "ja_news": 5200, "aggregator": 6800, "en_readout": 4800}
_CHATTER = (
    "日米同盟の連携強化は、非常に頼もしいですね。",
    "今後の動向にも注目していきましょう。",
    "こうした対話の積み重ねが大切ですね。",
    "安全保障環境は厳しさを増していますから、心強いですね。",
    "難しい問題だけど、ちゃんと話し合ってほしいな。",
    "いやー、ほんまに日米同盟はすごいな!",
    "これからどうなるのかな?",
    "地域の安定につながることを期待したいですね。",
    "具体的な成果が見えてくるといいですよね。",
    "こうして頻繁に連携を取り合っているのは、頼もしいですね。",
)

# ---------------------------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------------------------


def _ja_date(d: date, form: str, wd: bool = False) -> str:
    if form == "reiwa_paren":
        s = f"令和{d.year - 2018}({d.year})年{d.month}月{d.day}日"
    elif form == "reiwa":
        s = f"令和{d.year - 2018}年{d.month}月{d.day}日"
    elif form == "ymd":
        s = f"{d.year}年{d.month}月{d.day}日"
    elif form == "md":
        s = f"{d.month}月{d.day}日"
    else:  # "d"
        s = f"{d.day}日"
    if wd:
        s += f"({_WD_JA[d.weekday()]})"
    return s


def _ja_range(a: date, b: date, form: str) -> tuple[str, str]:
    head = _ja_date(a, form)
    if a.month == b.month and a.year == b.year:
        tail = f"{b.day}日"
    else:
        tail = _ja_date(b, "md")
    return head, tail


def _en_date(d: date, year: bool = True) -> str:
    return f"{_MON_EN[d.month - 1]} {d.day}, {d.year}" if year else f"{_MON_EN[d.month - 1]} {d.day}"


def _en_range(a: date, b: date) -> str:
    if a.month == b.month:
        return f"{_MON_EN[a.month - 1]} {a.day}-{b.day}, {b.year}"
    return f"{_MON_EN[a.month - 1]} {a.day} to {_MON_EN[b.month - 1]} {b.day}, {b.year}"


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Who:
    pid: str
    office: str
    country: str
    name_ja: str
    sur_ja: str
    reading: str | None
    name_en: str
    names_en: tuple[str, ...]
    sur_en: str


def _who(p: Person, office: str) -> _Who:
    sur_ja = next((a for a in p.aliases_ja if p.name_ja.startswith(a) and a != p.name_ja), None)
    if p.country != "JP":
        sur_ja = next((a for a in p.aliases_ja if p.name_ja.endswith(a) and "・" not in a), None) or p.name_ja.split("・")[-1]
    sur_ja = sur_ja or p.name_ja[:2]
    reading = "・".join(p.reading.split(" ")) if p.reading else None
    sur_en = next((a for a in p.aliases_en if " " not in a), p.name_en.split()[-1])
    # written full names: the canonical one and one alias that still reads given name … surname
    alts = [a for a in p.aliases_en if " " in a and a.split()[0] != sur_en and sur_en in a.split()]
    return _Who(p.person_id, office, p.country, p.name_ja, sur_ja, reading, p.name_en, (p.name_en, *alts[:1]), sur_en)


# ---------------------------------------------------------------------------------------------
# Planning events
# ---------------------------------------------------------------------------------------------


@dataclass
class _Ev:
    etype: str
    medium: str
    start: date
    end: date
    people: list[_Who]
    location: str | None = None
    venue_ja: str | None = None
    series: str | None = None
    round: int | None = None
    others: list[tuple[str, str, str, str]] = field(default_factory=list)   # (ja name, ja title, en name, en title)
    extra: dict = field(default_factory=dict)
    cases: list[str] = field(default_factory=list)
    event_id: str = ""
    n_sources: int = 0
    refs: list[_Ev] = field(default_factory=list)     # events its reports may refer back to


_TYPE_WEIGHTS = ((SUMMIT, 10), (TWO_PLUS_TWO, 4), (DMM, 20), (FMM, 17), (WLD, 8), (VISIT, 18), (EXERCISE, 10), (DOC, 8))
# Days two events of one type need between them when they share a participant (a series, a
# document kind). At high density the gap of a type that keeps failing shrinks towards its floor
# (same type, same people never within one day), then the type counts as full.
_MIN_GAP = {SUMMIT: 3, TWO_PLUS_TWO: 45, DMM: 3, FMM: 3, WLD: 40, VISIT: 5, EXERCISE: 0, DOC: 60}
_GAP_FLOOR = {SUMMIT: 2, TWO_PLUS_TWO: 10, DMM: 2, FMM: 2, WLD: 7, VISIT: 2, EXERCISE: 0, DOC: 5}


class _Planner:
    def __init__(self, rng: random.Random, reg: Registry, allow_cases: bool = True) -> None:
        self.r = rng
        self.reg = reg
        self.allow_cases = allow_cases
        self.events: list[_Ev] = []
        self._busy: dict[tuple, list[int]] = defaultdict(list)
        self._holder_cache: dict[tuple[str, int], Person | None] = {}
        self._used_exercises: set[tuple[str, int]] = set()
        self._span = LAST_DAY.toordinal() - FIRST_DAY.toordinal()
        names_taken = {a for p in reg.people for a in (p.name_ja, *p.aliases_ja)}
        self._surnames = [s for s in _JA_SURNAMES if s not in names_taken]
        en_taken = {a.split()[-1] for p in reg.people for a in (p.name_en, *p.aliases_en)}
        self._us_names = [n for n in _US_NAMES if n[0].split()[-1] not in en_taken]
        self._gap = dict(_MIN_GAP)
        self._fails: Counter = Counter()
        self._full: set[str] = set()
        self._type_names = [t for t, _ in _TYPE_WEIGHTS]
        self._type_cum = []
        acc = 0
        for _, w in _TYPE_WEIGHTS:
            acc += w
            self._type_cum.append(acc)

    # -- registry -------------------------------------------------------------------------------
    def holder(self, office: str, day: date) -> Person | None:
        key = (office, day.toordinal())
        if key not in self._holder_cache:
            hs = self.reg.holders(office, day)
            self._holder_cache[key] = hs[0] if len(hs) == 1 else None   # no one, or a handover day
        return self._holder_cache[key]

    def cast(self, offices: Iterable[str], day: date) -> list[_Who] | None:
        out = []
        for o in offices:
            p = self.holder(o, day)
            if p is None:
                return None
            out.append(_who(p, o))
        return out

    def day(self) -> date:
        return date.fromordinal(FIRST_DAY.toordinal() + self.r.randrange(self._span + 1))

    # -- occupancy: the same people do not meet twice in the same form within the gap -----------
    def _keys(self, etype: str, people: list[_Who], series: str | None) -> list[tuple]:
        if etype in (WLD, DOC, EXERCISE):
            return [(etype, series)]
        return [(etype, w.pid) for w in people]

    def free(self, etype: str, people: list[_Who], series: str | None, d: date, gap: int | None = None) -> bool:
        gap = self._gap[etype] if gap is None else gap
        if gap <= 0:
            return True
        o = d.toordinal()
        for k in self._keys(etype, people, series):
            lst = self._busy.get(k, ())
            i = bisect.bisect_left(lst, o - gap + 1)
            if i < len(lst) and lst[i] < o + gap:
                return False
        return True

    def add(self, ev: _Ev) -> _Ev:
        for k in self._keys(ev.etype, ev.people, ev.series):
            bisect.insort(self._busy[k], ev.start.toordinal())
        self.events.append(ev)
        return ev

    # -- drawing ------------------------------------------------------------------------------------
    def draw_type(self) -> str:
        x = self.r.random() * self._type_cum[-1]
        return self._type_names[bisect.bisect_right(self._type_cum, x)]

    def plan(self, n: int) -> list[_Ev]:
        bundle_fails = 0
        while len(self.events) < n:
            left = n - len(self.events)
            x = self.r.random()
            if self.allow_cases and x < 0.085 and left >= 2 and bundle_fails < 50:
                made = self.same_day_bundle(left) if x < 0.035 and left >= 3 else self.phone_then_meet()
                bundle_fails = 0 if made else bundle_fails + 1
                continue
            etype = self.draw_type()
            if etype in self._full:
                if len(self._full) == len(self._type_names):
                    raise ValueError(f"{n} events do not fit in {FIRST_DAY}..{LAST_DAY} with distinct dates "
                                     f"per type and people; placed {len(self.events)}")
                continue
            if self.single(etype) is not None:
                self._fails[etype] = 0
                continue
            # crowded: shrink the gap of this type, then give up on it
            self._fails[etype] += 1
            if self._fails[etype] >= 8:
                self._fails[etype] = 0
                if self._gap[etype] > _GAP_FLOOR[etype]:
                    self._gap[etype] = max(_GAP_FLOOR[etype], int(self._gap[etype] * 0.6))
                else:
                    self._full.add(etype)
        self.events.sort(key=lambda e: (e.start, e.etype, [w.pid for w in e.people], e.series or "", e.medium))
        # ids, series rounds, back references
        last_in_series: dict[str, _Ev] = {}
        by_person: dict[str, list[_Ev]] = defaultdict(list)
        rounds: Counter = Counter()
        for i, ev in enumerate(self.events, 1):
            ev.event_id = f"E{i:05d}"
            if ev.series and ev.etype in (TWO_PLUS_TWO, WLD):
                rounds[ev.series] += 1
                ev.round = rounds[ev.series]
                prev = last_in_series.get(ev.series)
                if prev is not None:
                    ev.refs.append(prev)
                last_in_series[ev.series] = ev
            if ev.etype in (DMM, FMM, SUMMIT, TWO_PLUS_TWO):
                seen = []
                for w in ev.people:
                    for p in reversed(by_person[w.pid][-3:]):
                        if p not in seen and p.etype in (DMM, FMM, SUMMIT, TWO_PLUS_TWO) and p.start < ev.start \
                                and (ev.start - p.start).days <= 120:
                            seen.append(p)
                for p in seen[:2]:
                    if p not in ev.refs:
                        ev.refs.append(p)
            for w in ev.people:
                by_person[w.pid].append(ev)
        return self.events

    def _meeting_medium(self, etype: str) -> str:
        x = self.r.random()
        if etype == TWO_PLUS_TWO:
            return "video" if x < 0.12 else "in_person"
        if etype == SUMMIT:
            return "phone" if x < 0.32 else "video" if x < 0.40 else "in_person"
        return "phone" if x < 0.35 else "video" if x < 0.43 else "in_person"

    def _place(self, etype: str, medium: str) -> tuple[str | None, str | None]:
        if medium != "in_person":
            return None, None
        x = self.r.random()
        if etype == DMM:
            loc = "Tokyo" if x < 0.5 else "Washington" if x < 0.8 else "Singapore" if x < 0.9 else "Honolulu"
        elif etype == FMM:
            loc = "Tokyo" if x < 0.45 else "Washington" if x < 0.75 else "New York" if x < 0.88 else "Manila"
        elif etype == SUMMIT:
            loc = "Tokyo" if x < 0.45 else "Washington" if x < 0.85 else "New York"
        else:
            loc = "Tokyo" if x < 0.55 else "Washington"
        venue = self.r.choice(_VENUE_JA.get(etype, ["東京"])) if loc == "Tokyo" else _PLACES[loc][0]
        return loc, venue

    def single(self, etype: str) -> _Ev | None:
        for _ in range(40):
            ev = self._candidate(etype)
            if ev is not None and self.free(ev.etype, ev.people, ev.series, ev.start):
                return self.add(ev)
        return None

    def _candidate(self, etype: str) -> _Ev | None:
        d = self.day()
        r = self.r
        if etype in _OFFICES:
            people = self.cast(_OFFICES[etype], d)
            if people is None:
                return None
            medium = self._meeting_medium(etype)
            loc, venue = self._place(etype, medium)
            return _Ev(etype, medium, d, d, people, loc, venue, "ssc" if etype == TWO_PLUS_TWO else None)
        if etype == VISIT:
            offices = [c for c in _CALLS]
            weights = [c[2] for c in offices]
            visitor, host, _ = r.choices(offices, weights)[0]
            if r.random() < 0.15:   # a Japanese minister visits U.S. Indo-Pacific Command in Hawaii
                people = self.cast(("jp_minister_of_defense", "us_commander_indopacom"), d)
                if people is None:
                    return None
                return _Ev(VISIT, "in_person", d, d, people, "Honolulu", "ハワイ", extra={"style": "site_visit"})
            people = self.cast((host, visitor), d)
            if people is None:
                return None
            return _Ev(VISIT, "in_person", d, d, people, "Tokyo", self._visit_venue(host), extra={"style": "courtesy"})
        if etype == WLD:
            series = "edd" if r.random() < 0.6 else "dicas"
            length = r.choice((1, 2, 2, 3)) if series == "edd" else r.choice((1, 1, 2))
            loc = r.choice(("Tokyo", "Tokyo", "Washington"))
            others = self._co_chairs(series)
            return _Ev(WLD, "in_person", d, d + timedelta(days=length - 1), [], loc, _PLACES[loc][0], series,
                       others=others)
        if etype == EXERCISE:
            return self._exercise()
        if etype == DOC:
            key, ja, en = r.choice(_DOCS)
            return _Ev(DOC, "unknown", d, d, [], None, None, key, extra={"ja": ja, "en": en})
        raise ValueError(etype)

    @staticmethod
    def _visit_venue(host_office: str) -> str:
        return {"jp_prime_minister": "首相官邸", "jp_minister_of_foreign_affairs": "外務省"}.get(host_office, "防衛省")

    def _co_chairs(self, series: str) -> list[tuple[str, str, str, str]]:
        r = self.r
        jp = [r.choice(self._surnames) + r.choice(_JA_GIVEN) for _ in range(2)]
        us = r.sample(self._us_names, 2)
        if series == "edd":
            return [(jp[0], "外務省北米局審議官", "", ""), (jp[1], "防衛省防衛政策局次長", "", ""),
                    (us[0][1], "国務次官補代理", us[0][0], "Deputy Assistant Secretary of State"),
                    (us[1][1], "国防次官補代理", us[1][0], "Deputy Assistant Secretary of Defense")]
        return [(jp[0], "防衛装備庁長官", "", ""),
                (us[0][1], "国防次官補代理(産業基盤政策担当)", us[0][0], "Deputy Assistant Secretary of Defense for Industrial Base Policy")]

    def _exercise(self) -> _Ev | None:
        r = self.r
        key, kind_ja, name_ja, name_en, months, numbering = r.choice(_EXERCISES)
        year = r.randint(FIRST_DAY.year, LAST_DAY.year)
        month = r.choice(months)
        if numbering == "fy_even" and year % 2:
            year += 1
        if numbering == "fy_odd" and not year % 2:
            year += 1
        start = date(year, month, r.randint(1, 20))
        if not FIRST_DAY <= start <= LAST_DAY - timedelta(days=20):
            return None
        fy = year if month >= 4 else year - 1
        number = {"fy_even": (fy + 1) % 100, "fy_odd": (fy + 1) % 100, "year": year % 100,
                  "ys": 79 + 2 * (fy - 2020) + (1 if month <= 2 else 0)}[numbering]
        if (key, number) in self._used_exercises:
            return None
        self._used_exercises.add((key, number))
        end = start + timedelta(days=r.randint(6, 13))
        area_ja, area_en = r.choice(_EX_AREAS)
        return _Ev(EXERCISE, "in_person", start, end, [], "Japan", area_ja, key, number,
                   extra={"kind_ja": kind_ja, "name_ja": f"{name_ja}{number}", "name_en": f"{name_en} {number}",
                          "area_ja": area_ja, "area_en": area_en})

    def same_day_bundle(self, left: int) -> list[_Ev] | None:
        """A 2+2 with a defence ministers' and a foreign ministers' meeting the same day (and,
        in Tokyo, sometimes the secretaries' courtesy call on the prime minister)."""
        for _ in range(40):
            d = self.day()
            four = self.cast(_OFFICES[TWO_PLUS_TWO], d)
            if four is None:
                continue
            fm, dm, ss, sd = four
            loc = "Tokyo" if self.r.random() < 0.6 else "Washington"
            venue = "東京" if loc == "Tokyo" else "ワシントン"
            evs = [_Ev(TWO_PLUS_TWO, "in_person", d, d, four, loc, venue, "ssc"),
                   _Ev(DMM, "in_person", d, d, [dm, sd], loc, "防衛省" if loc == "Tokyo" else venue),
                   _Ev(FMM, "in_person", d, d, [fm, ss], loc, "外務省" if loc == "Tokyo" else venue)]
            if loc == "Tokyo" and left >= 4 and self.r.random() < 0.5:
                pm = self.cast(("jp_prime_minister",), d)
                if pm:
                    evs.append(_Ev(VISIT, "in_person", d, d, [pm[0], sd], "Tokyo", "首相官邸",
                                   extra={"style": "courtesy"}))
            if all(self.free(e.etype, e.people, e.series, d) for e in evs):
                for e in evs:
                    e.cases.append("same_day_2plus2")
                    self.add(e)
                for e in evs:
                    e.extra["bundle"] = [x for x in evs if x is not e]
                return evs
        return None

    def phone_then_meet(self) -> list[_Ev] | None:
        """The same pair talks by phone and then meets in person 2–5 days later."""
        etype = self.r.choice((DMM, DMM, FMM, SUMMIT))
        for _ in range(40):
            d = self.day()
            later = d + timedelta(days=self.r.randint(2, 5))
            people = self.cast(_OFFICES[etype], d)
            if people is None or self.cast(_OFFICES[etype], later) != people:
                continue
            loc, venue = self._place(etype, "in_person")
            first = _Ev(etype, self.r.choice(("phone", "phone", "video")), d, d, people)
            second = _Ev(etype, "in_person", later, later, people, loc, venue)
            if self.free(etype, people, None, d, 3) and self.free(etype, people, None, later, 3):
                for e in (first, second):
                    e.cases.append("phone_then_in_person")
                    self.add(e)
                first.extra["pair"], second.extra["pair"] = second, first
                second.refs.append(first)
                return [first, second]
        return None


# ---------------------------------------------------------------------------------------------
# Writing articles
# ---------------------------------------------------------------------------------------------

_KINDS_BY_TYPE = {
    SUMMIT: (("ja_release", 3), ("ja_reprint", 1), ("ja_news", 4), ("aggregator", 2), ("en_readout", 3)),
    TWO_PLUS_TWO: (("ja_release", 3), ("ja_reprint", 3), ("ja_news", 3), ("aggregator", 1), ("en_readout", 3)),
    DMM: (("ja_release", 3), ("ja_reprint", 3), ("ja_news", 3), ("aggregator", 2), ("en_readout", 3)),
    FMM: (("ja_release", 3), ("ja_reprint", 1), ("ja_news", 3), ("aggregator", 2), ("en_readout", 3)),
    WLD: (("ja_release", 3), ("ja_reprint", 3), ("ja_news", 1), ("en_readout", 2)),
    VISIT: (("ja_release", 3), ("ja_reprint", 3), ("ja_news", 2), ("aggregator", 1), ("en_readout", 2)),
    EXERCISE: (("ja_release", 3), ("ja_reprint", 3), ("ja_news", 2), ("en_readout", 2)),
    DOC: (("ja_release", 3), ("ja_reprint", 2), ("ja_news", 2), ("aggregator", 2), ("en_readout", 2)),
}


@dataclass
class _View:
    """How one article presents one event."""
    ev: _Ev
    role: str = "main"        # main | bundle | card | reference
    status: str = "held"      # held | planned (the article is an announcement)
    shift: int = 0            # days added to the event date by the article (JST +1, US date -1)

    @property
    def day(self) -> date:
        return self.ev.start + timedelta(days=self.shift)

    @property
    def end(self) -> date:
        return self.ev.end + timedelta(days=self.shift)


@dataclass
class _Plan:
    kind: str
    main: _View
    others: list[_View]
    published: date


class _Writer:
    def __init__(self, rng: random.Random, noise: bool) -> None:
        self.r = rng
        self.noise = noise
        self.serial = 0
        self._used_fill: set[str] = set()

    # -- small helpers ------------------------------------------------------------------------------
    def c(self, seq):
        return seq[int(self.r.random() * len(seq))]

    def p(self, x: float) -> bool:
        return self.r.random() < x

    def ja_title(self, w: _Who, long: bool) -> str:
        longs, shorts = _T_JA.get(w.office, ([w.office], [w.office]))
        if w.office == "us_secretary_of_defense" and self.p(0.1):
            return "米国防長官"
        return self.c(longs if long else shorts)

    def ja_full(self, w: _Who, day: date | None = None, paren_en: bool = False) -> str:
        title = self.ja_title(w, True)
        if w.country == "JP":
            if w.reading and self.p(0.25):
                return f"{w.name_ja}({w.reading}){title}"
            return f"{w.name_ja}{title}"
        s = f"{w.name_ja}{title}"
        if paren_en:
            en_title = _T_EN.get(w.office, ([w.office],))[0][0]
            s += f"(The Honorable {w.name_en}, {en_title} of the United States of America)"
        return s

    def ja_short(self, w: _Who) -> str:
        return f"{w.sur_ja}{self.ja_title(w, False)}"

    def en_full(self, w: _Who, day: date) -> str:
        longs, _ = _T_EN.get(w.office, ([w.office], w.office))
        title = self.c(longs)
        if w.office == "us_secretary_of_defense" and day >= _WAR_TITLE_FROM and self.p(0.5):
            title = "Secretary of War"
        name = self.c(w.names_en)
        if w.country == "JP":
            return f"{self.c(('Japanese ', 'Japanese ', 'Japan’s '))}{title} {name}"
        if w.office in ("us_commander_indopacom", "us_commander_usfj", "us_chairman_joint_chiefs", "us_ambassador_to_japan"):
            return f"{name}, {title},"
        return f"{title} {name}"

    def en_short(self, w: _Who) -> str:
        return f"{_T_EN.get(w.office, ([''], ''))[1]} {w.sur_en}".strip()

    def ja_day(self, v: _View, official: bool) -> str:
        d = v.day
        if official:
            form = self.c(("reiwa", "reiwa", "md", "reiwa_paren"))
            s = _ja_date(d, form, wd=self.p(0.7))
        else:
            form = self.c(("d", "d", "md", "md", "ymd"))
            s = _ja_date(d, form, wd=form != "d" and self.p(0.3))
        if v.shift == 1 and self.p(0.4):
            s = "日本時間" + s
        return s

    def ja_time(self) -> str:
        x = self.r.random()
        h, m = self.r.randint(8, 19), self.c((0, 0, 10, 15, 30, 40, 45))
        if x < 0.35:
            return ""
        dur = self.c(("約30分間", "約40分間", "約1時間", "約1時間20分", "約50分間", "約1時間30分"))
        if x < 0.7:
            return f"{h}時{m:02d}分から{dur}"
        ampm = "午前" if h < 12 else "午後"
        return f"{ampm}{h if h <= 12 else h - 12}時{m}分から{dur}" if m else f"{ampm}{h if h <= 12 else h - 12}時から{dur}"

    def en_on(self, v: _View, published: date) -> str:
        d = v.day
        x = self.r.random()
        if 0 <= (published - d).days <= 5 and x < 0.4 and v.status == "held":
            return f"on {_WD_EN[d.weekday()]}"
        if x < 0.7:
            return f"on {_en_date(d)}"
        if x < 0.85:
            return f"on {_en_date(d, year=False)}"
        return f"on {_WD_EN[d.weekday()]}, {_en_date(d)}"

    def outcomes_ja(self, etype: str, series: str | None, k: int) -> list[str]:
        dom = {SUMMIT: ("common", "summit"), DMM: ("common", "defense"), FMM: ("common", "foreign"),
               TWO_PLUS_TWO: ("common", "defense", "foreign"), VISIT: ("visit",),
               WLD: ("edd",) if series == "edd" else ("dicas",)}[etype]
        pool = [s for d in dom for s in _OUT_JA[d]]
        subj = _SUBJ_JA[etype]
        picks = self.r.sample(pool, min(k, len(pool)))
        out = []
        for i, s in enumerate(picks):
            lead = self.c(subj) if i == 0 or self.p(0.5) else self.c(("また、", "さらに、", "")) + self.c(subj)
            out.append(f"{lead}{s}。")
        return out

    def outcomes_en(self, etype: str, series: str | None, k: int) -> list[str]:
        dom = {SUMMIT: ("common", "summit"), DMM: ("common", "defense"), FMM: ("common", "foreign"),
               TWO_PLUS_TWO: ("common", "defense", "foreign"), VISIT: ("visit",),
               WLD: ("edd",) if series == "edd" else ("dicas",)}[etype]
        pool = [s for d in dom for s in _OUT_EN[d]]
        picks = self.r.sample(pool, min(k, len(pool)))
        out = []
        for i, s in enumerate(picks):
            subj = self.c(_SUBJ_EN[etype])
            if i and self.p(0.4):
                out.append(f"{subj} also {s}.")
            else:
                out.append(f"{subj} {s}.")
        return out

    def official_body(self, etype: str, series: str | None, k: int) -> list[str]:
        """A ministry summary: sections with numbered outcome clauses and discussion sentences."""
        outs = self.outcomes_ja(etype, series, k)
        talk = self.r.sample(_TALK_JA, self.r.randint(1, 3))
        openings = self.r.sample(_OPENING_JA, self.r.randint(1, 2))
        n_sec = self.r.randint(2, 4)
        secs = [_SECTIONS_JA[0]] + sorted(self.r.sample(_SECTIONS_JA[1:], n_sec - 1), key=_SECTIONS_JA.index)
        bullet = self.c(("{i} ", "({i})", "・"))
        body: list[str] = []
        per = max(1, len(outs) // n_sec)
        for j, sec in enumerate(secs):
            chunk = outs[j * per:(j + 1) * per] if j < n_sec - 1 else outs[j * per:]
            if j < len(talk):
                chunk = [talk[j]] + chunk
            if j == 0:
                chunk = openings + chunk
            body.append(sec)
            body.extend(bullet.format(i=i) + x for i, x in enumerate(chunk, 1))
        return body

    def fill_ja(self, k: int) -> list[str]:
        """k background sentences not yet used on this page."""
        pool = [x for x in _FILL_JA if x not in self._used_fill]
        out = self.r.sample(pool, min(k, len(pool)))
        self._used_fill.update(out)
        return out

    def rank_ja(self, pub: date, k: int) -> list[str]:
        out = []
        templates = self.r.sample(_RANK_JA, len(_RANK_JA)) * 3
        for tpl in templates[:k]:
            d = pub - timedelta(days=self.r.randint(0, 40))
            out.append("- " + tpl.format(
                m=d.month, d=d.day, r=d.year - 2018, a=self.r.randint(1, 9), b=self.r.randint(1, 60),
                c=self.r.randint(1, 40), item=self.c(_RANK_ITEMS), pref=self.c(_PREFS), ship=self.c(_SHIPS),
                base=self.c(_BASES)))
        return out

    def news_list_ja(self, k: int) -> list[str]:
        pool = self.r.sample(_NEWS_JA, len(_NEWS_JA)) * 2
        return [t.format(pref=self.c(_PREFS), a=self.r.randint(3, 6), yen=self.r.randint(105, 160)) for t in pool[:k]]

    def rank_en(self, pub: date, k: int) -> list[str]:
        out = []
        for _ in range(k):
            if self.p(0.5):
                d = pub - timedelta(days=self.r.randint(1, 20))
                out.append(self.c(_RANK_EN).format(mon=_MON_EN[d.month - 1], d=d.day, y=d.year))
            else:
                out.append(f"{self.c(_EN_ORGS)} {self.c(_EN_VERBS)} {self.c(_EN_OBJECTS)}")
        return out

    # -- event labels -------------------------------------------------------------------------------
    def label_ja(self, ev: _Ev) -> str:
        t, m = ev.etype, ev.medium
        if t == SUMMIT:
            return {"in_person": "日米首脳会談", "phone": "日米首脳電話会談", "video": "日米首脳テレビ会談"}[m]
        if t == DMM:
            return {"in_person": self.c(("日米防衛相会談", "日米防衛相会談", "日米防衛大臣会談")),
                    "phone": "日米防衛相電話会談", "video": "日米防衛相テレビ会談"}[m]
        if t == FMM:
            return {"in_person": "日米外相会談", "phone": "日米外相電話会談", "video": "日米外相テレビ会談"}[m]
        if t == TWO_PLUS_TWO:
            return self.c(("日米安全保障協議委員会(日米「2+2」)", "日米安全保障協議委員会(「2+2」)", "日米「2+2」",
                           "日米2プラス2", "日米安全保障協議委員会"))
        if t == WLD:
            if ev.series == "edd":
                return self.c(("日米拡大抑止協議(EDD)", "日米拡大抑止協議", "拡大抑止協議(EDD)"))
            return self.c(("日米防衛産業協力・取得・維持整備定期協議(DICAS)", "日米防衛産業協力・取得・維持整備定期協議"))
        if t == EXERCISE:
            return f"{ev.extra['kind_ja']}「{ev.extra['name_ja']}」"
        if t == DOC:
            return ev.extra["ja"]
        return "表敬"

    def label_en(self, ev: _Ev) -> str:
        if ev.etype == TWO_PLUS_TWO:
            return self.c(("U.S.-Japan Security Consultative Committee (2+2)", "Security Consultative Committee",
                           "U.S.-Japan \"2+2\" Security Consultative Committee"))
        if ev.etype == WLD:
            if ev.series == "edd":
                return self.c(("U.S.-Japan Extended Deterrence Dialogue (EDD)", "Extended Deterrence Dialogue"))
            return "U.S.-Japan Defense Industrial Cooperation, Acquisition and Sustainment (DICAS) Forum"
        if ev.etype == EXERCISE:
            return f"Exercise {ev.extra['name_en']}"
        if ev.etype == DOC:
            return ev.extra["en"]
        return ""

    def loc_ja(self, ev: _Ev, official: bool) -> str:
        if ev.medium != "in_person" or not ev.venue_ja:
            return ""
        return f"{ev.venue_ja}において" if official or self.p(0.3) else f"{ev.venue_ja}で"

    # -- Japanese report paragraphs (the event's own sentences) ------------------------------------
    def ja_report(self, v: _View, style: str) -> tuple[str, list[str]]:
        """(headline, paragraphs) of one event in Japanese; style official | news | card."""
        t = v.ev.etype
        if t in _MEETINGS:
            return self._ja_meeting(v, style)
        if t == TWO_PLUS_TWO:
            return self._ja_2plus2(v, style)
        if t == WLD:
            return self._ja_wld(v, style)
        if t == VISIT:
            return self._ja_visit(v, style)
        if t == EXERCISE:
            return self._ja_exercise(v, style)
        return self._ja_doc(v, style)

    def _ja_meeting(self, v: _View, style: str) -> tuple[str, list[str]]:
        ev = v.ev
        jp, us = ev.people
        off = style == "official"
        label = self.label_ja(ev)
        D = self.ja_day(v, off)
        loc = self.loc_ja(ev, off)
        jpf, usf = self.ja_full(jp), self.ja_full(us, paren_en=off and self.p(0.3))
        jps, uss = self.ja_short(jp), self.ja_short(us)
        paras: list[str] = []
        if v.status == "planned":
            head = self.c((f"{jps}、{uss}と{label}へ", f"{label}を{_ja_date(v.day, 'md')}に開催へ",
                           f"{label}の開催について"))
            lead = self.c((
                f"{jpf}は、{D}、{usf}と{loc}{label}を行う予定です。",
                f"{jps}は{D}に{uss}と{loc}会談する予定だ。",
                f"政府は、{jps}と{uss}による{label}を{D}に{loc}開催する方向で調整している。",
                f"{label}は{D}に{loc}開かれる見通しだ。{jps}と{uss}が出席する。",
            ))
            paras.append(lead)
            paras.append(self.c(("会談では、地域情勢や同盟の抑止力強化について意見交換する見通し。",
                                 "両者は安全保障協力の強化策などについて協議する方針だ。",
                                 "政府関係者が明らかにした。")))
            return head, paras
        gen = {"in_person": "会談", "phone": "電話で会談", "video": "オンライン形式で会談"}[ev.medium]
        if off:
            T = self.ja_time() if v.shift == 0 else ""
            head = self.c((f"{label}について", f"{label}(概要)", f"{jp.name_ja}{self.ja_title(jp, True)}と{us.name_ja}{self.ja_title(us, True)}との{label}"))
            lead = self.c((
                f"{D}{T}、{jpf}は、{loc}{usf}と{label}を行ったところ、概要は以下のとおりです。",
                f"{D}、{jpf}と{usf}による{label}が{loc}行われました。",
                f"{jpf}は、{D}{T}、{usf}との間で{label}を実施しました。",
                f"{D}{T}、{loc}{label}が行われ、日本側から{jpf}が、米側から{usf}が出席しました。",
            ))
        else:
            out1 = self.outcomes_ja(ev.etype, None, 1)[0].split("、", 1)[-1].rstrip("。")
            out1 = out1.replace("しました", "した").replace("ました", "た")
            tag = self.c(("同盟強化で一致", "尖閣への安保適用を確認", "抑止力強化を確認", "連携強化で一致", "緊密な連携を確認"))
            head = self.c((f"{jps}、{uss}と{'電話' if ev.medium == 'phone' else ''}会談 {tag}",
                           f"{label} {tag}", f"{jps}と{uss}が{gen}"))
            lead = self.c((
                f"{jps}は{D}、{uss}と{loc}{gen}した。",
                f"{jps}と{uss}は{D}、{loc}{label}を行い、{out1}。",
                f"{D}に{loc}行われた{label}で、{jps}と{uss}は{out1}。",
                f"{jps}は{D}、{loc}{uss}と{label}を行った。",
            ))
        paras.append(lead)
        if off and ev.medium == "in_person" and self.p(0.5):
            paras.append(f"冒頭、{jps}から、{uss}の{self.c(('就任に改めて祝意を表しました', '尽力に謝意を表しました'))}。")
        if style == "card":
            outs = self.outcomes_ja(ev.etype, None, self.r.randint(1, 2))
            paras.extend(s.replace("しました", "した").replace("ました", "た") for s in outs)
        elif off:
            paras.extend(self.official_body(ev.etype, None, self.r.randint(6, 10)))
        else:
            outs = self.outcomes_ja(ev.etype, None, self.r.randint(2, 4))
            outs = [s.replace("しました", "した").replace("ました", "た") for s in outs]
            outs[1:1] = self.fill_ja(1)
            paras.extend(outs)
        return head, paras

    def _ja_2plus2(self, v: _View, style: str) -> tuple[str, list[str]]:
        ev = v.ev
        fm, dm, ss, sd = ev.people
        off = style == "official"
        label = self.label_ja(ev)
        D = self.ja_day(v, off)
        loc = self.loc_ja(ev, True)
        if ev.medium == "video":
            loc = "テレビ会議形式で"
        paras = []
        if v.status == "planned":
            head = self.c((f"{label}、{_ja_date(v.day, 'md')}に開催へ", f"{label}の開催について"))
            paras.append(self.c((
                f"日米両政府は、{label}を{D}に{loc}開催する予定だ。",
                f"政府は、外務・防衛担当閣僚による{label}を{D}に開催する方向で調整している。",
                f"{D}、{loc}{label}を開催する予定です。日本側からは{self.ja_full(fm)}及び{self.ja_full(dm)}が出席します。",
            )))
            return head, paras
        head = self.c((f"{label}を実施({_ja_date(v.day, 'md')})", f"{label}(概要)", f"{label}の開催"))
        if off:
            T = self.ja_time() if v.shift == 0 else ""
            paras.append(self.c((
                f"{D}{T}、{loc}{label}が開催され、日本側からは{self.ja_full(fm)}及び{self.ja_full(dm)}が、米側からは"
                f"{self.ja_full(ss, paren_en=self.p(0.3))}及び{self.ja_full(sd)}がそれぞれ出席しました。",
                f"{self.ja_full(fm)}及び{self.ja_full(dm)}は、{D}、{self.ja_full(ss)}及び{self.ja_full(sd)}と、"
                f"{loc}{label}を開催しました。",
            )))
        else:
            paras.append(self.c((
                f"日米両政府は{D}、外務・防衛担当閣僚による{label}を{loc}開いた。",
                f"{self.ja_short(fm)}と{self.ja_short(dm)}は{D}、{self.ja_short(ss)}、{self.ja_short(sd)}と"
                f"{loc}{label}を開催した。",
            )))
        if off:
            paras.extend(self.official_body(TWO_PLUS_TWO, None, self.r.randint(8, 14)))
        else:
            outs = self.outcomes_ja(TWO_PLUS_TWO, None, 2 if style == "card" else self.r.randint(3, 5))
            paras.extend(s.replace("しました", "した").replace("ました", "た") for s in outs)
        return head, paras

    def _ja_wld(self, v: _View, style: str) -> tuple[str, list[str]]:
        ev = v.ev
        label = self.label_ja(ev)
        off = style == "official"
        host = "日本政府" if ev.location == "Tokyo" else "米国政府"
        venue = self.c(("外務省", "防衛省")) if ev.location == "Tokyo" else self.c(("ワシントン", "米国務省"))
        if ev.start == ev.end:
            when = self.ja_day(v, off)
            span = f"{when}、"
        else:
            a, b = _ja_range(v.day, v.end, self.c(("md", "md", "reiwa")))
            span = self.c((f"{a}から{b}まで、", f"{a}~{b}、"))
        paras = []
        head = self.c((f"{label}の開催", f"{label}の概要", f"{label}を実施"))
        if ev.series == "edd":
            paras.append(self.c((
                f"日米両政府は、{span}{host}主催の下、{venue}において、{label}を実施しました。",
                f"{span}{venue}において{label}が開催されました。",
            )))
            o = ev.others
            paras.append(f"日本側は、{o[0][0]}{o[0][1]}及び{o[1][0]}{o[1][1]}が、米国側は、{o[2][0]}{o[2][1]}"
                         f"({o[2][2]}, {o[2][3]})及び{o[3][0]}{o[3][1]}が共同議長を務めました。")
        else:
            nth = f"第{ev.round}回" if ev.round and self.p(0.5) else ""
            paras.append(self.c((
                f"{span}{venue}において、{label}の{nth}会合が開催されました。",
                f"防衛省は、{span}{label}を{venue}において実施しました。",
            )))
            o = ev.others
            paras.append(f"日本側からは{o[0][0]}{o[0][1]}が、米側からは{o[1][0]}{o[1][1]}が出席しました。")
        k = self.r.randint(2, 4) if style != "card" else 1
        paras.extend(self.outcomes_ja(WLD, ev.series, k))
        if off and self.p(0.4):
            paras.append("両代表団は、自衛隊の部隊を視察し、装備品について説明を受けました。")
        return head, paras

    def _ja_visit(self, v: _View, style: str) -> tuple[str, list[str]]:
        ev = v.ev
        host, visitor = ev.people
        off = style == "official"
        D = self.ja_day(v, off)
        if ev.extra.get("style") == "site_visit":
            head = f"{self.ja_short(host)}がハワイを訪問"
            paras = [self.c((
                f"{self.ja_full(host)}は、{D}、ハワイを訪問し、{self.ja_full(visitor)}の案内で米インド太平洋軍司令部を視察しました。",
                f"{self.ja_short(host)}は{D}、ハワイの米インド太平洋軍司令部を訪問し、{self.ja_short(visitor)}から説明を受けた。",
            ))]
            paras.extend(self.outcomes_ja(VISIT, None, self.r.randint(1, 2)))
            return head, paras
        if v.status == "planned":
            head = f"{self.ja_short(visitor)}が{self.ja_short(host)}を表敬へ"
            return head, [f"{self.ja_full(visitor)}は{D}、{self.ja_full(host)}を表敬する予定です。"]
        T = self.ja_time() if off else ""
        head = self.c((f"{self.ja_full(visitor)}による{self.ja_title(host, True)}表敬",
                       f"{self.ja_short(visitor)}が{self.ja_short(host)}を表敬"))
        paras = [self.c((
            f"{D}{T}、{self.ja_full(host)}は、{self.ja_full(visitor)}による表敬を受けました。",
            f"{self.ja_full(visitor)}は、{D}、{self.ja_full(host)}を表敬訪問しました。",
            f"{self.ja_short(visitor)}は{D}、{ev.venue_ja}で{self.ja_short(host)}を表敬した。",
        ))]
        k = self.r.randint(1, 3) if style != "card" else 1
        paras.extend(self.outcomes_ja(VISIT, None, k))
        return head, paras

    def _ja_exercise(self, v: _View, style: str) -> tuple[str, list[str]]:
        ev = v.ev
        label = self.label_ja(ev)
        a, b = _ja_range(v.day, v.end, self.c(("md", "reiwa", "ymd")))
        area = ev.extra["area_ja"]
        n_jp, n_us = self.r.randint(3, 40) * 100, self.r.randint(2, 30) * 100
        if v.status == "planned":
            head = self.c((f"{label}の実施について", f"{label}を{_ja_date(v.day, 'md')}から実施予定"))
            paras = [self.c((
                f"防衛省は、{a}から{b}までの間、{area}において、{label}を実施します。",
                f"自衛隊と米軍は、{a}から{b}まで、{area}で{label}を実施する予定だ。",
            ))]
            if style == "official":
                paras += ["1 目的", "自衛隊の統合運用能力及び日米共同対処能力の維持・向上を図る。",
                          "2 期間", f"{a}から{b}まで", "3 場所", area,
                          "4 参加規模", f"自衛隊 約{n_jp}名、米軍 約{n_us}名"]
            return head, paras
        head = self.c((f"{label}を実施({_ja_date(v.day, 'md')}~)", f"{label}始まる", f"{label}の実施結果"))
        paras = [self.c((
            f"自衛隊と米軍は、{a}から{b}まで、{area}において{label}を実施した。",
            f"{a}、{area}で{label}が始まった。期間は{b}まで。",
            f"防衛省は、{a}から{b}まで実施した{label}の概要を公表した。",
        ))]
        paras.append(f"自衛隊から約{n_jp}名、米軍から約{n_us}名が参加し、共同対処能力の向上を図った。")
        return head, paras

    def _ja_doc(self, v: _View, style: str) -> tuple[str, list[str]]:
        ev = v.ev
        title = ev.extra["ja"]
        D = self.ja_day(v, style == "official")
        pred = self.c(("作成", "発表", "公表", "策定", "発出"))
        head = self.c((f"{title}の発表", f"{title}を{pred}", title))
        paras = [self.c((
            f"{D}、日米両政府は、{title}を{pred}しました。",
            f"防衛省と外務省は{D}、{title}を{pred}したと発表した。",
            f"日米両政府は{D}、{title}を{pred}した。",
        ))]
        paras.append(self.c(("同文書は、日米同盟における協議及び調整に係る手続を強化するものです。",
                             "同文書は、両国の協力の方向性を示すものです。",
                             "文書では、今後の協力の具体的な取組が列挙されている。")))
        return head, paras

    # -- English report paragraphs --------------------------------------------------------------
    def en_report(self, v: _View, published: date) -> tuple[str, list[str], str]:
        """(headline, paragraphs, site) of one event in English."""
        ev = v.ev
        t = ev.etype
        on = self.en_on(v, published)
        dept = "U.S. Department of War" if published >= _WAR_TITLE_FROM and self.p(0.6) else "U.S. Department of Defense"
        if t in _MEETINGS:
            jp, us = ev.people
            site = {SUMMIT: "The White House", DMM: dept, FMM: "U.S. Department of State"}[t]
            where = "" if ev.medium != "in_person" else f" in {ev.location}"
            if t == DMM and ev.location == "Washington" and self.p(0.5):
                where = " at the Pentagon"
            verb = {"in_person": self.c(("met with", "met with", "hosted")), "phone": self.c(("spoke by phone with", "held a call with")),
                    "video": "held a video call with"}[ev.medium]
            if verb == "hosted" and ev.location != "Washington":
                verb = "met with"
            noun = {"in_person": "Meeting", "phone": "Call", "video": "Video Call"}[ev.medium]
            head = f"Readout of {self.en_full(us, v.day)}'s {noun} With {self.en_full(jp, v.day)}".replace(",'s", "'s")
            if v.status == "planned":
                head = f"{self.en_short(us)} to Meet {self.en_full(jp, v.day)}"
                lead = f"{self.en_full(us, v.day)} will meet with {self.en_full(jp, v.day)} {on}{where}."
                return head, [lead, self.c(_FILL_EN)], site
            if t == SUMMIT:
                lead = f"{self.en_full(us, v.day)} {verb} Prime Minister {self.c(jp.names_en)} of Japan {on}{where}."
            else:
                lead = f"{self.en_full(us, v.day)} {verb} {self.en_full(jp, v.day)} {on}{where}."
            paras = [lead]
            paras += self.outcomes_en(t, None, self.r.randint(2, 4))
            return head, paras, site
        if t == TWO_PLUS_TWO:
            fm, dm, ss, sd = ev.people
            label = self.label_en(ev)
            site = self.c(("U.S. Department of State", dept))
            where = f" in {ev.location}" if ev.medium == "in_person" else " by video conference"
            if v.status == "planned":
                return (f"Upcoming {label}",
                        [f"The {label} will convene {on}{where}.", self.c(_FILL_EN)], site)
            head = self.c((f"Joint Readout of the {label}", f"{label} Convenes{where}"))
            lead = self.c((
                f"The {label} convened {on}{where}, bringing together {self.en_full(ss, v.day)}, "
                f"{self.en_full(sd, v.day)}, {self.en_full(fm, v.day)} and {self.en_full(dm, v.day)}.",
                f"{self.en_full(ss, v.day)} and {self.en_full(sd, v.day)} hosted {self.en_full(fm, v.day)} and "
                f"{self.en_full(dm, v.day)} for the {label} {on}{where}.",
            ))
            return head, [lead] + self.outcomes_en(t, None, self.r.randint(3, 5)), site
        if t == WLD:
            label = self.label_en(ev)
            site = "U.S. Department of State" if ev.series == "edd" else dept
            if ev.start == ev.end:
                span = f"on {_en_date(v.day)}"
            elif self.p(0.5):
                span = f"from {_en_date(v.day, year=False)} to {_en_date(v.end)}"
            else:
                span = _en_range(v.day, v.end)
            head = f"Joint Readout: {label}" if self.p(0.5) else f"{label} Held in {ev.location}"
            lead = f"The United States and Japan held the {label} {span} in {ev.location}."
            chairs = [o for o in ev.others if o[2]]
            paras = [lead, "The dialogue was co-chaired by " + " and ".join(f"{o[2]}, {o[3]}" for o in chairs) + "."]
            paras += self.outcomes_en(WLD, ev.series, self.r.randint(1, 3))
            return head, paras, site
        if t == VISIT:
            host, visitor = ev.people
            site = dept if visitor.office != "us_secretary_of_state" else "U.S. Department of State"
            if ev.extra.get("style") == "site_visit":
                head = f"{self.en_full(host, v.day)} Visits U.S. Indo-Pacific Command".replace(",", "")
                lead = (f"{self.en_full(host, v.day)} visited U.S. Indo-Pacific Command headquarters in Hawaii {on}, "
                        f"where the minister was received by {self.en_full(visitor, v.day).rstrip(',')}.")
                return head, [lead] + self.outcomes_en(VISIT, None, 1), dept
            head = f"{self.en_short(visitor)} Pays Courtesy Call on {self.en_full(host, v.day)}".replace(",", "")
            lead = f"{self.en_full(visitor, v.day)} paid a courtesy call on {self.en_full(host, v.day)} {on} in Tokyo."
            return head, [lead] + self.outcomes_en(VISIT, None, self.r.randint(1, 2)), site
        if t == EXERCISE:
            label = self.label_en(ev)
            area = ev.extra["area_en"]
            if v.status == "planned":
                return (f"{label} to Begin {_en_date(v.day, year=False)}",
                        [f"U.S. and Japanese forces will conduct {label} from {_en_range(v.day, v.end).replace('-', ' to ', 1)} "
                         f"at {area}.", self.c(_FILL_EN)], dept)
            head = self.c((f"{label} Kicks Off", f"U.S., Japanese Forces Begin {label}"))
            lead = self.c((
                f"U.S. and Japanese forces began {label} on {_en_date(v.day)} at {area}.",
                f"More than {self.r.randint(5, 40) * 1000:,} U.S. and Japanese personnel are taking part in {label}, "
                f"held {_en_range(v.day, v.end)} at {area}.",
            ))
            tail = f"The exercise {'concluded on' if published > v.end else 'runs through'} {_en_date(v.end, year=False)}."
            return head, [lead, tail], dept
        # document release
        obj = ev.extra["en"]
        head = f"U.S.-Japan {obj[0].upper() + obj[1:]}"
        lead = self.c((
            f"The United States and Japan released {'a ' if not obj.startswith('guidelines') else ''}{obj} {on}.",
            f"The Department of Defense and Japan's Ministry of Defense issued {'a ' if not obj.startswith('guidelines') else 'new '}{obj} {on}.",
        ))
        return head, [lead, self.c(_FILL_EN)], self.c(("U.S. Department of State", dept))

    # -- reference sentences (an article naming an earlier event) ----------------------------------
    def ref_ja(self, ref: _Ev) -> str:
        d = _ja_date(ref.start, self.c(("ymd", "md")))
        label = self.label_ja(ref)
        if ref.etype in (TWO_PLUS_TWO, WLD):
            where = f"{ref.venue_ja}で" if ref.venue_ja and ref.medium == "in_person" else ""
            return self.c((f"前回の{label}は{d}に{where}開催された。",
                           f"今回の会合は、{d}に開催された{label}に引き続き行われたものです。"))
        return self.c((f"両者は{d}の{label}に続き、緊密な意思疎通を確認した。",
                       f"{d}に行われた{label}に続くものとなった。"))

    # -- pages --------------------------------------------------------------------------------------
    def permalink(self, domain: str) -> str:
        self.serial += 1
        return f"https://{domain}/news/{self.serial:06d}.html"

    def page(self, plan: _Plan) -> tuple[str, str, str]:
        """(text, language, site) of one article.

        Page functions return lines with up to two slots: FILL (background sentences, optionally
        with a heading) and LIST (more unrelated headlines in the page's list). With noise on, the
        page is padded there up to a size drawn for its kind, so the corpus averages ≈ 5 KB.
        """
        self._used_fill = set()
        lines, lang, site = getattr(self, f"_page_{plan.kind}")(plan)
        size = sum(len(x.encode("utf-8")) + 1 for x in lines if not x.startswith(_SLOT))
        fills: list[str] = []
        items: list[str] = []
        if self.noise:
            mu = _TARGET_BYTES[plan.kind]
            deficit = min(2 * mu, max(mu // 2, int(self.r.gauss(mu, 0.25 * mu)))) - size
            pool = _FILL_JA if lang == "ja" else _FILL_EN
            cap = self.r.randint(12, 20) if plan.kind == "aggregator" else self.r.randint(5, 12)
            present = set(lines)
            for x in self.r.sample(pool, len(pool))[:cap]:
                if deficit <= 0:
                    break
                if x in present:
                    continue
                fills.append(x)
                deficit -= len(x.encode("utf-8")) + 1
                if plan.kind == "aggregator" and self.p(0.5):
                    fills.append(self.c(_CHATTER))
                    deficit -= len(fills[-1].encode("utf-8")) + 1
            has_list = any(x.startswith(_SLOT + "L") for x in lines)
            while deficit > 0 and has_list and len(items) < 45:
                items.append(self.list_item(plan, lang))
                deficit -= len(items[-1].encode("utf-8")) + 1
        out: list[str] = []
        for x in lines:
            if x.startswith(_SLOT + "F"):
                if fills:
                    out += ([x[2:]] if x[2:] else []) + fills
                    fills = []
            elif x.startswith(_SLOT + "L"):
                out += items
                items = []
            else:
                out.append(x)
        return "\n".join(out) + "\n", lang, site

    def list_item(self, plan: _Plan, lang: str) -> str:
        if lang == "en":
            return self.rank_en(plan.published, 1)[0]
        if plan.kind == "ja_reprint":
            return self.rank_ja(plan.published, 1)[0]
        if plan.kind == "ja_release":
            d = plan.published - timedelta(days=self.r.randint(0, 30))
            return "- " + self.c(_NOTICE_JA).format(r=d.year - 2018, m=d.month, d=d.day, pref=self.c(_PREFS),
                                                   item=self.c(_RANK_ITEMS))
        return "- " + self.news_list_ja(1)[0]

    def _page_ja_release(self, plan: _Plan) -> tuple[str, str, str]:
        v = plan.main
        ev = v.ev
        head, paras = self.ja_report(v, "official")
        for o in plan.others:
            oh, op = self.ja_report(o, "official")
            paras += [""] + ([f"また、{op[0]}"] if not op[0].startswith("また") else [op[0]]) + op[1:3]
        if ev.etype in (FMM, ) or (ev.etype == TWO_PLUS_TWO and self.p(0.5)) or (ev.etype == WLD and ev.series == "edd" and self.p(0.5)):
            site, sig = "外務省", ("外務省ホームページ", "Ministry of Foreign Affairs of Japan")
        elif ev.etype == SUMMIT or (ev.etype == VISIT and ev.people[0].office == "jp_prime_minister"):
            site, sig = "首相官邸", ("首相官邸ホームページ", "Prime Minister's Office of Japan")
        else:
            site, sig = "防衛省", ("防衛省・自衛隊", "Ministry of Defense, Japan")
        out: list[str] = []
        if self.noise:
            out += [sig[0], sig[1], "メニュー", "ホーム"]
            out += self.r.sample(_NAV_JA_GOV, self.r.randint(22, 36))
            out += ["", "報道資料" if site != "首相官邸" else "総理の一日", ""]
        out += [head, _ja_date(plan.published, "reiwa"), ""]
        out += paras
        out += [_SLOT + "F(参考)", "", "(以上)"]
        if self.noise:
            out += ["", "関連リンク"]
            out += ["- " + s for s in self.r.sample(["防衛白書", "国家安全保障戦略", "日米安全保障体制", "報道発表一覧",
                                                      "大臣会見", "予算・決算", "調達情報"], 4)]
            out += ["", "新着情報", _SLOT + "L"]
            out += ["", "ページの先頭へ戻る", ""] + self.r.sample(_FOOT_JA_GOV, self.r.randint(6, 10)) + [""]
            if site == "防衛省":
                out += ["〒162-8801 東京都新宿区市谷本村町5番1号 電話番号 03-3268-3111(代表)",
                        "Copyright © Ministry of Defense, Japan. All Rights Reserved."]
            elif site == "外務省":
                out += ["〒100-8919 東京都千代田区霞が関2-2-1 電話(代表)03-3580-3311",
                        "Copyright © Ministry of Foreign Affairs of Japan"]
            else:
                out += ["Copyright © Prime Minister's Office of Japan. All Rights Reserved."]
        out.append(self.permalink({"防衛省": "www.mod.go.jp", "外務省": "www.mofa.go.jp"}.get(site, "www.kantei.go.jp")))
        return out, "ja", site

    def _page_ja_reprint(self, plan: _Plan) -> tuple[str, str, str]:
        v = plan.main
        ev = v.ev
        head, paras = self.ja_report(v, "official")
        sites = (("Jディフェンスニュース", "日本の防衛と安全保障の今を伝える"), ("ディフェンス・ウォッチ", "防衛と安全保障の最新ニュース"),
                 ("安全保障ニュースネット", "安全保障の今がわかる"))
        site, tagline = self.c(sites)
        pub = plan.published
        ministry = "外務省" if ev.etype == FMM else self.c(("防衛省", "防衛省と外務省")) if ev.etype == TWO_PLUS_TWO else "防衛省"
        rel = plan.published - timedelta(days=self.r.randint(0, min(2, max(0, (plan.published - v.end).days))))
        if v.status == "planned":
            rel = plan.published
        stamp = _ja_date(rel, "reiwa_paren", wd=True) + f"{self.r.randint(9, 21)}時{self.c((0, 10, 30, 45)):02d}分"
        verb = "発表" if v.status == "planned" else self.c(("公表", "発表"))
        intro = f"{ministry}は{stamp}、{head.replace('について', '')}について{verb}した。"
        title = head if "(" in head or v.status == "planned" else f"{head}({_ja_date(v.day, 'md')})"
        out: list[str] = []
        if self.noise:
            out += [tagline, f"[{site}]", "", "site search", "", "menu", "", site, ""]
        out += [title]
        if self.noise:
            out += ["", f"  • {self.c(('防衛省関連', '日本の防衛', '安全保障', '日米関係'))}", ""]
        out += [f"{pub.year}-{pub.month}-{pub.day} {self.r.randint(7, 22)}:{self.r.randint(0, 59):02d}", ""]
        out += [intro, "内容は以下の通り。", ""]
        out += paras
        for o in plan.others:
            oh, op = self.ja_report(o, "official")
            if o.role == "reference":
                out += [self.ref_ja(o.ev)]
            else:
                out += ["", oh] + op[:3]
        out += ["", _SLOT + "F", "(以上)", ""]
        if self.noise:
            out += ["◎下の[次の記事][前の記事]ボタンで、日本の防衛に関するニュース記事を次々にご覧いただけます。", "",
                    "Ranking読まれている記事", "  • 24時間", "  • 1週間", "  • 1ヶ月"]
            out += self.rank_ja(pub, self.r.randint(12, 20)) + [_SLOT + "L"]
            out += ["bnrname", "bnrname", "", "カテゴリー"]
            out += ["  • " + x for x in self.r.sample(("日本の防衛", "防衛省関連", "陸上自衛隊", "海上自衛隊", "航空自衛隊",
                                                        "防衛装備", "人事発令", "安全保障", "災害派遣", "イベント"), 6)]
            out += ["", "このサイトについて", "お問い合わせ", "プライバシーポリシー", "pagetop"]
        out.append(self.permalink("jdn.example.jp" if site == "Jディフェンスニュース" else "news.example.jp"))
        return out, "ja", site

    def _page_ja_news(self, plan: _Plan) -> tuple[str, str, str]:
        v = plan.main
        head, paras = self.ja_report(v, "news")
        site = self.c(("毎日新聞", "NHK NEWS WEB", "TBS NEWS DIG", "東都新聞", "時事ディフェンス"))
        pub = plan.published
        out: list[str] = []
        if self.noise:
            nav = self.r.sample(_NAV_JA_NEWS, self.r.randint(10, 16))
            if self.p(0.1):   # a nav link that reads like a list header (text.py then drops the rest of the page)
                nav.insert(self.r.randint(0, len(nav)), "ランキング一覧")
            out += [site, "メニュー", "検索", "ログイン", "会員登録"] + nav + [""]
            out += ["速報"] + [f"{self.r.randint(6, 23)}:{self.r.randint(0, 59):02d} " + x for x in self.news_list_ja(self.r.randint(4, 7))] + [""]
        out += [head]
        h, mi = self.r.randint(6, 23), self.r.randint(0, 59)
        stamp = self.c((f"{pub.year}/{pub.month}/{pub.day} {h}:{mi:02d}", f"{pub.year}年{pub.month}月{pub.day}日 {h}時{mi:02d}分",
                        f"{pub.year}-{pub.month:02d}-{pub.day:02d} {h}:{mi:02d}"))
        out += [stamp, ""]
        body = list(paras)
        if self.p(0.1):
            body = [s.translate(_FULLWIDTH) for s in body]
        body[1:1] = self.fill_ja(self.r.randint(1, 3))
        out += body
        for o in plan.others:
            if o.role == "reference":
                out.append(self.ref_ja(o.ev))
            else:
                _, op = self.ja_report(o, "news")
                out += op[:2]
        out += self.fill_ja(self.r.randint(1, 2)) + [_SLOT + "F"]
        if self.noise:
            out += ["", "シェア", "ツイート", "", "関連記事"]
            out += ["- " + s for s in self.news_list_ja(self.r.randint(4, 8))] + [_SLOT + "L"]
            out += ["", "ランキング"]
            out += [f"{i} " + s for i, s in enumerate(self.news_list_ja(self.r.randint(12, 20)), 1)]
            out += [""] + self.r.sample(_FOOT_JA_NEWS, self.r.randint(7, 12))
            out += ["", f"Copyright {site} All rights reserved."]
        out.append(self.permalink("news.example.jp"))
        return out, "ja", site

    def _card(self, v: _View, pub_src: date) -> list[str]:
        ev = v.ev
        head, paras = self.ja_report(v, "card")
        sentences = [p for p in paras if p and not p.startswith(("1 ", "2 ", "3 ", "4 "))][:3]
        title = head if len(head) >= 8 else head + "について"
        src = self.c(("mainichi", "tbs", "nhk"))
        if src == "mainichi":
            url = f"https://mainichi.jp/articles/{pub_src:%Y%m%d}/k00/00m/010/{self.r.randint(100000, 999999)}c"
            srcline = f"さらに読む ⇒ニュースサイト出典/画像元: {url}"
        elif src == "tbs":
            srcline = f"さらに読む ⇒出典/画像元: https://newsdig.tbs.co.jp/articles/-/{self.r.randint(1000000, 1999999)}?display=1"
        else:
            srcline = f"さらに読む ⇒NHK出典/画像元: https://www3.nhk.or.jp/news/html/{pub_src:%Y%m%d}/k{self.r.randint(10000000000, 99999999999)}000.html"
        out = [title]
        # A card that dates the event by its day alone ("21日に行われた…") shows the source's date:
        # without it (and without a date in the source's address) no reader could tell the month.
        # (The draw is made either way, so the rest of the corpus does not move.)
        shown = self.p(0.6)
        if shown or (_DAY_ONLY.search(" ".join(sentences)) and src == "tbs"):
            out += ["", f"公開日:{pub_src.year}/{pub_src.month:02d}/{pub_src.day:02d}"]
        out += ["", title, ""]
        out += [f"✅ {s}" for s in sentences]
        out += ["", srcline, ""]
        return out

    def _page_aggregator(self, plan: _Plan) -> tuple[str, str, str]:
        v = plan.main
        ev = v.ev
        site = self.c(("Chrysanthemum Digest", "Find Go", "Matome Navi"))
        names = [self.ja_short(w) for w in ev.people[:2]] or [self.label_ja(ev)]
        topic = "と".join(names)
        out: list[str] = []
        if self.noise:
            out += [f"{site} Logo Menu opener", ""]
        out += [f"日米同盟強化は?{topic}の連携強化の行方(?マーク)", ""]
        summary = self.c(("日米の連携強化に向けた動きをまとめました。", "日米同盟をめぐる最近の動きを振り返ります。",
                          "日米の安全保障協力の現在地を整理します。"))
        out += [summary, ""]
        if self.noise:
            out += ["📘 この記事で分かる事!", "", f"💡 {topic}の動きについて解説します。", "",
                    "日米関係の進展について、詳しく見ていきましょう。", ""]
        pub = plan.published
        for i, cv in enumerate([v] + [o for o in plan.others if o.role == "card"]):
            out += [f"{self.label_ja(cv.ev)}、何を確認?", ""]
            out += self._card(cv, cv.end + timedelta(days=self.r.randint(0, 1)) if cv.status == "held" else pub)
            if self.noise:
                out += [self.c(_CHATTER), ""]
            if i == 0 and cv.status == "held" and cv.ev.people:
                d = _ja_date(cv.day, self.c(("ymd", "ymd", "md")))
                lbl = self.label_ja(cv.ev)
                who = "と".join(self.ja_full(w) for w in cv.ev.people[:2])
                out += [f"{d}、{who}は、{lbl}を実施しました。", ""]
            if self.noise:
                out += [self.c(_CHATTER), ""]
        for o in plan.others:
            if o.role == "reference":
                out += [self.ref_ja(o.ev), ""]
        out += self.fill_ja(self.r.randint(1, 2)) + [_SLOT + "F"]
        if self.noise:
            out += ["", "🚩 結論!", "", f"💡 {topic}の連携は今後も続きそうです。", "", self.c(_CHATTER),
                    "", "次のページを読む ⇒", "", "おすすめ記事"]
            out += ["- " + x for x in self.news_list_ja(self.r.randint(3, 6))] + [_SLOT + "L", ""]
        out.append(self.permalink("matome.example.jp"))
        return out, "ja", site

    def _page_en_readout(self, plan: _Plan) -> tuple[str, str, str]:
        v = plan.main
        head, paras, site = self.en_report(v, plan.published)
        for o in plan.others:
            if o.role == "reference" and o.ev.etype in (TWO_PLUS_TWO, WLD):
                paras.append(f"The meeting builds on the {self.label_en(o.ev)} held on {_en_date(o.ev.start)}.")
            elif o.role == "bundle":
                oh, op, _ = self.en_report(o, plan.published)
                paras += op[:2]
        pub = plan.published
        out: list[str] = []
        if self.noise:
            out += ["An official website of the United States government", "Here's how you know", site,
                    "Skip to main content (Press Enter).", "Search", "Menu", ""]
            out += self.r.sample(_NAV_EN, self.r.randint(8, 14))
            out += [""]
        out += [head, f"{_en_date(pub)} |", ""]
        if self.noise and site != "The White House":
            out += [self.c(("Attributed to the Pentagon Press Secretary:", "The following is attributable to the Department Spokesperson:",
                            "Office of the Spokesperson")), ""]
        body = list(paras)
        if self.noise:
            body[1:1] = self.r.sample(_FILL_EN, self.r.randint(1, 3))
        out += body + [_SLOT + "F"]
        if self.noise:
            out += ["", "Most Read"]
            out += self.rank_en(pub, self.r.randint(10, 16)) + [_SLOT + "L"]
            out += ["", "Related Stories"] + self.rank_en(pub, self.r.randint(6, 10))
            out += ["", "Hosted by Defense Media Activity - WEB.mil" if "Defense" in site or "War" in site else site,
                    "Contact Us"] + self.r.sample(_FOOT_EN, self.r.randint(8, 14))
        domain = {"The White House": "www.whitehouse.gov", "U.S. Department of State": "www.state.gov"}.get(site, "www.defense.gov")
        out.append(self.permalink(domain))
        return out, "en", site


# ---------------------------------------------------------------------------------------------
# Planning articles
# ---------------------------------------------------------------------------------------------

_DAY_ONLY = re.compile(r"(?<![\d月/])\d{1,2}日")   # "21日": a day of the month without its month


def _n_sources(r: random.Random, lo: int, hi: int) -> int:
    if hi <= lo:
        return lo
    # mildly skewed towards the low end: 1–5 → mean ≈ 2.6
    return lo + int((hi - lo + 1) * (r.random() ** 1.35))


def _plan_articles(events: list[_Ev], r: random.Random, lo: int, hi: int) -> list[_Plan]:
    plans: list[_Plan] = []
    for ev in events:
        k = _n_sources(r, lo, hi)
        kinds_w = _KINDS_BY_TYPE[ev.etype]
        kinds = [x for x, _ in kinds_w]
        weights = [w for _, w in kinds_w]
        chosen = r.choices(kinds, weights, k=k)
        # an announcement before the event for some meetings and most exercises
        planned_at = -1
        if ev.etype in (EXERCISE,) and r.random() < 0.6 or ev.etype in (DMM, FMM, SUMMIT, TWO_PLUS_TWO, VISIT) and r.random() < 0.12:
            if k >= 2 or ev.etype == EXERCISE:
                planned_at = 0
                if chosen[0] == "aggregator":
                    chosen[0] = "ja_news"
                ev.cases.append("planned_then_held" if k >= 2 else "planned_only")
        jst_us = ev.location in ("Washington", "Honolulu", "New York") and ev.etype in (DMM, FMM, SUMMIT, TWO_PLUS_TWO, VISIT, WLD)
        for i, kind in enumerate(chosen):
            status = "planned" if i == planned_at else "held"
            shift = 0
            if status == "held" and jst_us and kind != "en_readout" and r.random() < 0.5:
                shift = 1
                if "us_venue_jst" not in ev.cases:
                    ev.cases.append("us_venue_jst")
            if status == "held" and kind == "en_readout" and ev.medium in ("phone", "video") and r.random() < 0.3:
                shift = -1
                if "us_date_readout" not in ev.cases:
                    ev.cases.append("us_date_readout")
            main = _View(ev, "main", status, shift)
            if status == "planned":
                pub = ev.start - timedelta(days=r.randint(1, 6))
            else:
                pub = main.end + timedelta(days=r.choice((0, 0, 1, 1, 2, 3)))
            others: list[_View] = []
            if status == "held":
                bundle = [b for b in ev.extra.get("bundle", []) if b.etype != VISIT]
                if bundle and kind in ("ja_release", "ja_reprint", "en_readout") and r.random() < 0.4:
                    b = r.choice(bundle)
                    others.append(_View(b, "bundle", "held", shift if b.location == ev.location else 0))
                if ev.refs and kind in ("ja_reprint", "ja_news", "en_readout") and r.random() < 0.2:
                    ref = ev.refs[0]
                    if kind != "en_readout" or ref.etype in (TWO_PLUS_TWO, WLD):
                        others.append(_View(ref, "reference"))
                if kind == "aggregator":
                    pool = [x for x in ev.refs if x.people] + ([ev.extra["pair"]] if "pair" in ev.extra else [])
                    for x in pool[: r.randint(1, 2)]:
                        if x.start <= pub and all(o.ev is not x for o in others):
                            others.append(_View(x, "card"))
            plans.append(_Plan(kind, main, others, pub))
        ev.n_sources = k
    return plans


# ---------------------------------------------------------------------------------------------
# generate
# ---------------------------------------------------------------------------------------------

_TITLE_EN = {SUMMIT: "Japan–US summit", TWO_PLUS_TWO: "Japan–US Security Consultative Committee (2+2)",
             DMM: "Japan–US defense ministers' meeting", FMM: "Japan–US foreign ministers' meeting",
             VISIT: "Courtesy call", EXERCISE: "Exercise", DOC: "Document release"}


def _truth_event(ev: _Ev, w: _Writer) -> TrueEvent:
    if ev.etype == EXERCISE:
        tja, ten = f"{ev.extra['kind_ja']}「{ev.extra['name_ja']}」", f"Exercise {ev.extra['name_en']}"
    elif ev.etype == DOC:
        tja, ten = ev.extra["ja"], ev.extra["en"]
    elif ev.etype == WLD:
        tja = "日米拡大抑止協議(EDD)" if ev.series == "edd" else "日米防衛産業協力・取得・維持整備定期協議(DICAS)"
        ten = "U.S.-Japan Extended Deterrence Dialogue" if ev.series == "edd" else "U.S.-Japan DICAS"
    elif ev.etype == VISIT:
        host, visitor = ev.people
        tja = f"{visitor.name_ja}による{host.name_ja}表敬" if ev.extra.get("style") == "courtesy" else f"{host.name_ja}の米インド太平洋軍司令部訪問"
        ten = f"{visitor.name_en} courtesy call on {host.name_en}" if ev.extra.get("style") == "courtesy" else f"{host.name_en} visits INDOPACOM"
    else:
        base = {SUMMIT: "日米首脳", TWO_PLUS_TWO: "日米安全保障協議委員会(「2+2」)", DMM: "日米防衛相", FMM: "日米外相"}[ev.etype]
        suffix = {"in_person": "会談", "phone": "電話会談", "video": "テレビ会談"}[ev.medium]
        tja = base if ev.etype == TWO_PLUS_TWO else base + suffix
        ten = _TITLE_EN[ev.etype] + ("" if ev.medium == "in_person" else f" ({ev.medium})")
    return TrueEvent(
        event_id=ev.event_id, event_type=ev.etype, medium=ev.medium, status="held", start_date=ev.start,
        end_date=ev.end, participants=tuple(p.pid for p in ev.people), others=tuple(o[0] for o in ev.others),
        location=ev.location, series=ev.series, round=ev.round, title_ja=tja, title_en=ten,
        cases=tuple(dict.fromkeys(ev.cases)),
    )


def generate(n_events: int, seed: int, out_dir: Path, *, min_sources: int = 1, max_sources: int = 5,
             noise: bool = True, hard_cases: bool = True, overwrite: bool = True) -> Truth:
    """Write ``out_dir/articles/*.txt`` and ``out_dir/truth.json``; return the Truth.

    Deterministic: the same arguments give byte-identical files. Existing ``*.txt`` files in
    ``out_dir/articles`` are removed first when ``overwrite`` (else FileExistsError).
    """
    if n_events < 1:
        raise ValueError("n_events must be at least 1")
    if not 1 <= min_sources <= max_sources:
        raise ValueError("need 1 <= min_sources <= max_sources")
    out_dir = Path(out_dir)
    art_dir = out_dir / "articles"
    art_dir.mkdir(parents=True, exist_ok=True)
    stale = sorted(art_dir.glob("*.txt"))
    if stale and not overwrite:
        raise FileExistsError(f"{art_dir} already holds articles")
    for p in stale:
        p.unlink()

    rng = random.Random(seed)
    reg = load_registry()
    events = _Planner(rng, reg, hard_cases).plan(n_events)
    plans = _plan_articles(events, rng, min_sources, max_sources)
    rng.shuffle(plans)
    writer = _Writer(rng, noise)
    truth_events = {ev.event_id: _truth_event(ev, writer) for ev in events}
    articles: dict[str, list[str]] = {}
    meta: dict[str, dict] = {}
    seen: set[str] = set()
    width = max(5, len(str(len(plans))))
    for i, plan in enumerate(plans, 1):
        text, lang, site = writer.page(plan)
        while text in seen:        # never two identical pages (ingest would keep only one)
            text += writer.permalink("dup.example.jp") + "\n"
        seen.add(text)
        name = f"{i:0{width}d}_{plan.kind}.txt"
        data = text.encode("utf-8")
        (art_dir / name).write_bytes(data)
        views = [plan.main] + plan.others
        articles[name] = [x.ev.event_id for x in views]
        meta[name] = {
            "kind": plan.kind, "lang": lang, "site": site, "published": plan.published.isoformat(),
            "bytes": len(data),
            "views": {x.ev.event_id: {"role": x.role, "status": x.status, "shift": x.shift} for x in views},
        }
    truth = Truth(seed, {"n_events": n_events, "min_sources": min_sources, "max_sources": max_sources,
                         "noise": noise, "hard_cases": hard_cases},
                  truth_events, articles, meta, art_dir)
    (out_dir / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    return truth


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def pairwise_scores(truth: Truth, assignment: Mapping[str, Mapping[str, str | None]],
                    roles: Iterable[str] | None = None) -> dict:
    """Pairwise precision / recall of a predicted clustering against the truth.

    Units: every (article file, true event id) pair listed in ``truth.articles`` — one article's
    report of one true event. ``assignment[file][true_event_id]`` is the predicted event id that
    unit was given (see :func:`align_rows`), or missing / None when the pipeline produced no
    mention for it (a *missed* unit).

    * a **true pair** is two units reporting the same true event;
    * a **predicted pair** is two units, both with a prediction, whose predicted ids are equal;
    * ``precision = |true ∩ predicted| / |predicted|`` (1.0 when nothing is predicted together);
    * ``recall    = |true ∩ predicted| / |true|`` (1.0 when no event has two units);
    * ``recall_matched`` is the recall over true pairs whose two units both have a prediction —
      dedup quality with extraction misses taken out; ``unit_recall`` is the share of units with
      a prediction (extraction recall as seen through alignment).

    ``roles`` keeps only units whose article presents the event in one of these roles
    (``main``, ``bundle``, ``card``, ``reference``; see ``article_meta[...]["views"]``).

    Counted with contingency sums, so the cost is linear in the number of units.
    """
    keep = set(roles) if roles is not None else None
    true_n: Counter = Counter()
    matched_n: Counter = Counter()
    pred_n: Counter = Counter()
    cell: Counter = Counter()
    units = matched = 0
    for art in sorted(truth.articles):
        got = assignment.get(art, {}) or {}
        views = truth.article_meta.get(art, {}).get("views", {})
        for tev in truth.articles[art]:
            if keep is not None and views.get(tev, {}).get("role", "main") not in keep:
                continue
            units += 1
            true_n[tev] += 1
            p = got.get(tev)
            if p is None:
                continue
            matched += 1
            matched_n[tev] += 1
            pred_n[p] += 1
            cell[(tev, p)] += 1

    def pairs(c: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in c.values())

    tp, tpairs, ppairs, mpairs = pairs(cell), pairs(true_n), pairs(pred_n), pairs(matched_n)
    precision = tp / ppairs if ppairs else 1.0
    recall = tp / tpairs if tpairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "recall_matched": tp / mpairs if mpairs else 1.0,
        "unit_recall": matched / units if units else 1.0,
        "units": units, "matched_units": matched,
        "true_pairs": tpairs, "predicted_pairs": ppairs, "true_positive_pairs": tp,
        "true_events": len(true_n), "predicted_clusters": len(pred_n),
    }


# One predicted mention: (source_uri or file name, predicted event id, event_type, start_date, end_date, medium)
Row = tuple[str, str, str, "date | None", "date | None", str]

_ALIGN_MIN = 3.0


def _fit(t: TrueEvent, etype: str, start: date | None, end: date | None, medium: str) -> float:
    s = 4.0 if etype == t.event_type else 0.0
    if start is None:
        s += 0.5
    else:
        end = end or start
        gap = max((start - t.end_date).days, (t.start_date - end).days, 0)
        s += 3.0 if gap == 0 else 2.0 if gap == 1 else 1.0 if gap <= 3 else 0.25 if gap <= 31 else -3.0
    if medium not in ("unknown", None) and t.medium != "unknown":
        s += 0.5 if medium == t.medium else -0.5
    return s


def align_rows(truth: Truth, rows: Iterable[Row]) -> tuple[dict[str, dict[str, str]], dict]:
    """Map each article's predicted events to the true events of that article.

    For every article, each predicted event id (from the rows of that article; several rows of one
    event take their best fit) is scored against each true event the truth lists for the article:
    +4 same type; date distance 0 / 1 / ≤3 / ≤31 / more days → +3 / +2 / +1 / +0.25 / −3 (undated
    +0.5); medium agreeing / conflicting → +0.5 / −0.5. Pairs scoring at least 3 (same type with a
    date within a month or undated, or another type on the same day) are matched greedily, best
    score first, one-to-one. Unmatched true events are missed units; unmatched predicted events are
    counted as ``spurious`` (reported, not part of the pairwise scores).

    Returns (assignment for :func:`pairwise_scores`, stats).
    """
    by_art: dict[str, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for uri, eid, etype, start, end, medium in rows:
        name = Path(str(uri)).name
        by_art[name][eid].append((etype, start, end, medium))
    assignment: dict[str, dict[str, str]] = {}
    spurious = predicted = outside = 0
    for art in sorted(by_art):
        preds = by_art[art]
        predicted += len(preds)
        tevs = truth.articles.get(art)
        if tevs is None:
            outside += len(preds)
            continue
        scored = []
        for eid in sorted(preds):
            for tid in tevs:
                t = truth.events[tid]
                best = max(_fit(t, *x) for x in preds[eid])
                if best >= _ALIGN_MIN:
                    scored.append((-best, eid, tid))
        scored.sort()
        used_p: set[str] = set()
        got: dict[str, str] = {}
        for _, eid, tid in scored:
            if eid in used_p or tid in got:
                continue
            used_p.add(eid)
            got[tid] = eid
        assignment[art] = got
        spurious += len(preds) - len(used_p)
    return assignment, {"predicted_article_events": predicted, "spurious": spurious, "outside_truth": outside}


def assignment_from_warehouse(truth: Truth, db: str | Path) -> tuple[dict[str, dict[str, str]], dict]:
    """Read ``articles`` and ``mentions`` (main evidence rows) of a warehouse and align them."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT a.source_uri, m.event_id, m.event_type, m.start_date, m.end_date, m.medium "
            "FROM mentions m JOIN articles a USING (article_id) WHERE m.is_main ORDER BY m.mention_id"
        ).fetchall()
    finally:
        con.close()
    return align_rows(truth, rows)


def assignment_from_records(truth: Truth, articles, records, event_of: Mapping[str, str]) -> tuple[dict, dict]:
    """Same as :func:`assignment_from_warehouse` from in-memory stage outputs: Articles, EventMentions
    and ``Events.assignment`` (mention_id → event_id)."""
    uri = {a.article_id: a.source_uri for a in articles}
    rows = [(uri[m.article_id], event_of[m.mention_id], m.event_type.value, m.start_date, m.end_date, m.medium.value)
            for m in records if m.article_id in uri]
    return align_rows(truth, rows)


def score_warehouse(truth: Truth, db: str | Path) -> dict:
    assignment, stats = assignment_from_warehouse(truth, db)
    return {**pairwise_scores(truth, assignment), **stats}


def score_stages(truth: Truth, articles_dir: Path) -> dict:
    """Run the pipeline's stages in this process (ingest → extract + validate → dedupe, as the
    flow calls them, without Prefect or a warehouse) on ``articles_dir`` and score the result.
    The same scores as :func:`score_warehouse` on a warehouse built from the same articles."""
    from datetime import datetime, timezone

    from timeline.dedupe import dedupe
    from timeline.ingest import ingest_all
    from timeline.validate import extract_all

    now = datetime.now(timezone.utc)
    ingested = ingest_all(articles_dir, now)
    mentions, _ = extract_all(ingested.articles, now)
    events = dedupe(mentions)
    assignment, stats = assignment_from_records(truth, ingested.articles, mentions, events.assignment)
    return {**pairwise_scores(truth, assignment), **stats, "mentions": len(mentions), "events": len(events.meetings)}


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m timeline.synth", description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, help="number of true events (required unless --score)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True, help="output directory (articles/ and truth.json)")
    ap.add_argument("--min-sources", type=int, default=1)
    ap.add_argument("--max-sources", type=int, default=5)
    ap.add_argument("--no-noise", action="store_true", help="no page chrome, ranking lists or chatter")
    ap.add_argument("--no-hard-cases", action="store_true", help="no planted same-day / phone-then-meet bundles")
    ap.add_argument("--score", type=Path, metavar="WAREHOUSE",
                    help="instead of generating, score this warehouse against OUT/truth.json")
    ap.add_argument("--score-stages", action="store_true",
                    help="run ingest → extract → dedupe in process on OUT/articles (after generating them, "
                         "if --events is given) and print the dedup scores")
    args = ap.parse_args(argv)
    if args.score:
        truth = Truth.load(args.out)
        print(json.dumps(score_warehouse(truth, args.score), indent=1, sort_keys=True))
        return 0
    if args.score_stages and args.events is None:
        return _print_stage_scores(args.out)
    if args.events is None:
        ap.error("--events is required when generating")
    t0 = _time.perf_counter()
    truth = generate(args.events, args.seed, args.out, min_sources=args.min_sources, max_sources=args.max_sources,
                     noise=not args.no_noise, hard_cases=not args.no_hard_cases)
    dt = _time.perf_counter() - t0
    sizes = [m["bytes"] for m in truth.article_meta.values()]
    print(f"{len(truth.events)} events, {len(truth.articles)} articles, mean {sum(sizes) / len(sizes):.0f} bytes, "
          f"{dt:.2f}s → {args.out}")
    return _print_stage_scores(args.out) if args.score_stages else 0


def _print_stage_scores(out: Path) -> int:
    truth = Truth.load(out)
    t0 = _time.perf_counter()
    s = score_stages(truth, out / "articles")
    print(json.dumps(s, indent=1, sort_keys=True))
    print(f"pairwise precision {s['precision']:.4f} recall {s['recall']:.4f} (recall among extracted units "
          f"{s['recall_matched']:.4f}, units extracted {s['unit_recall']:.4f}); {len(truth.events)} events, "
          f"{s['units']} units, {_time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
