"""timeline.text: NFKC with offsets and sentence segmentation."""

from __future__ import annotations

import unicodedata

import pytest

from timeline.text import _nfkc_tables, normalize, segment

# (raw, normalised text, raw index of every normalised character)
NORMALIZE = [
    ("Secretary Austin met Kihara.", "Secretary Austin met Kihara.", list(range(28))),
    ("日米防衛相会談を実施", "日米防衛相会談を実施", list(range(10))),
    ("令和６（２０２４）年", "令和6(2024)年", list(range(10))),
    ("㍻元年", "平成元年", [0, 0, 1, 2]),                 # one character becomes two: both point at it
    ("ガ゛", "ガ゛", [0, 1]),                          # the spacing sound mark stays as it is
]


@pytest.mark.parametrize("raw,text,index", NORMALIZE)
def test_normalize(raw, text, index):
    got = normalize(raw)
    assert got.text == text
    assert list(got.raw_index) == index + [len(raw)]


def test_no_character_nfkc_changes_occurs_in_nfkc_text():
    """normalize skips its tables when the text is NFKC already: that is only right if no
    character they change can occur in NFKC text, whatever surrounds it."""
    one, expanding = _nfkc_tables()
    changed = [chr(cp) for cp in one] + [chr(cp) for cp in range(0x80, 0x30000)
                                         if not 0xD800 <= cp < 0xE000 and expanding.match(chr(cp))]
    assert len(changed) > 3000
    for ch in changed + ["゛", "゜"]:
        for text in (ch, "a" + ch, ch + "a", "あ" + ch, ch + "\u0301", "か" + ch + "\u3099"):
            assert not unicodedata.is_normalized("NFKC", text), (hex(ord(ch)), text)


# a line this long with a sentence end is a paragraph, not a menu (text._NAV_LINE)
_LONG = "The two ministers reaffirmed the importance of the alliance for the peace of the region."
# (line, its sentences)
SENTENCES = [
    ("日米は会談した。両氏は一致した。", ["日米は会談した。", "両氏は一致した。"]),
    ("「会談した。」と述べた。", ["「会談した。」と述べた。"]),              # no cut inside quotes
    ("会談した。」次の文", ["会談した。」", "次の文"]),                         # a closing quote stays with its sentence
    ("会談した。!?次の文", ["会談した。!?", "次の文"]),
    ("会談した(東京。)。次", ["会談した(東京。)。", "次"]),
    (f"Mr. Austin met Minister Kihara. {_LONG}", ["Mr. Austin met Minister Kihara.", _LONG]),
    (f"The U.S. and Japan met. \"We agreed,\" {_LONG}", ["The U.S. and Japan met.", f"\"We agreed,\" {_LONG}"]),
    (f"They met at 3 p.m. on Monday. then {_LONG}", [f"They met at 3 p.m. on Monday. then {_LONG}"]),  # no capital
    (f"Talks (in Tokyo. Really.) {_LONG}", ["Talks (in Tokyo.", f"Really.) {_LONG}"]),  # English ends cut in brackets
    (f"Did they meet? Yes! {_LONG}", ["Did they meet?", "Yes!", _LONG]),
    ("- 日米首脳会談", ["日米首脳会談"]),                                       # a bullet is not part of it
    # a footnote mark stays with the sentence it ends
    (f"They met on Tuesday.[3] {_LONG}", ["They met on Tuesday.[3]", _LONG]),
    (f"They met on Tuesday.[3][4] {_LONG}", ["They met on Tuesday.[3][4]", _LONG]),
    (f"See the annex.[a] {_LONG}", [f"See the annex.[a] {_LONG}"]),            # not a footnote number
]


@pytest.mark.parametrize("line,sentences", SENTENCES)
def test_sentences(line, sentences):
    raw = "本文\n" + line + "\n"
    got = [s for s in segment(raw) if s.line == 1]
    assert [s.text for s in got] == sentences
    for s in got:
        assert raw[s.start:s.end] == s.text


def test_a_hard_wrapped_paragraph_is_one_text_whose_spans_map_back():
    from timeline.text import segment
    raw = ("見出し\n\n　防衛装備庁は、６月９日から１０日にかけて、防衛省において、日米防衛産業協力\n"
           "・取得・維持整備定期協議の第１回会合を開催した。次回は米国で開く。\n\n・短い項目\n・次の項目\n")
    sents = [s for s in segment(raw) if "協議" in s.ntext]
    assert len(sents) == 1 and "\n" not in sents[0].ntext and "日米防衛産業協力・取得" in sents[0].ntext
    s = sents[0]
    i = s.ntext.index("取得")
    a, b = s.raw(i, i + 2)
    assert raw[a:b] == "取得"
    # short bulleted lines stay lines of their own
    assert [x.ntext for x in segment(raw) if x.ntext.endswith("項目")] == ["短い項目", "次の項目"]


def test_wrap_en_goes_on_is_looked_for_at_the_end_only():
    """_wrapped searches the last _WRAP_EN_LONGEST characters of a stripped line: no match starts before."""
    from timeline import text as T

    lines = ["We met in Tokyo and", "the meeting of", "a,", "He spoke with", "in an", "x with", "withwith",
             "talks on; ", "bandwith", "a", "", "held in Washington, D.C. on"]
    for t in lines:
        t = t.rstrip()
        assert all(m.start() >= len(t) - T._WRAP_EN_LONGEST for m in T._WRAP_EN_GOES_ON.finditer(t))
        assert bool(T._WRAP_EN_GOES_ON.search(t)) == bool(T._WRAP_EN_GOES_ON.search(t, max(0, len(t) - T._WRAP_EN_LONGEST)))
