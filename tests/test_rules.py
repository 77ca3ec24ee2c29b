"""timeline.rules.led_by_first_chars: a lookahead on the first characters of a pattern, for
speed, that must never change a match."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline.extract  # noqa: F401  (its patterns register in rules.LED too)
from timeline import rules
from timeline.rules import led_by_first_chars

ROOT = Path(__file__).resolve().parents[1]

# (pattern, flags, the lookahead put in front, or None when the pattern is left as it is)
CASES = [
    (r"会談|met", re.I, "(?=[m会])"),
    (r"\bagreed\b|一致|\bagree to\b", re.I, "(?=[a一])"),
    (r"a[|(]b|c", 0, "(?=[ac])"),              # "|" and "(" inside a class split nothing
    (r"a[]|]b|c", 0, "(?=[ac])"),              # a "]" first in a class is a literal
    (r"a(b|c)|d", 0, "(?=[ad])"),              # nor does "|" inside a group
    (r"a\|b|c", 0, "(?=[ac])"),                # an escaped "|"
    (r"a+b|-x", 0, "(?=[\\-a])"),              # "+" leaves the first character required
    (r"ab{2}|c", 0, "(?=[ac])"),               # a count after a character that is not the first
    (r"a?b|c", 0, "(?=[abc])"),                # an optional first character: the next one too
    (r"a*?b|c", 0, "(?=[abc])"),
    (r"(日米)?会談|met", re.I, "(?=[m会日])"),    # an optional group
    (r"(a|)b|(?:c)d|(?P<n>e)f", 0, "(?=[abce])"),  # a group that may match empty; named, non-capturing
    (r"(?<!The )summit|\bleaders", re.I, "(?=[ls])"),   # lookbehinds and \b match no character
    (r"\(?DICAS\)?", 0, "(?=[\\(D])"),           # an escaped punctuation mark is that character
    (r"a?", 0, None),                          # a match may be empty
    (r"\b(a|)", 0, None),
    (r"(?i)a", 0, None),                       # inline flags
    (r"\da|b", 0, None),                       # a class escape
    (r"a{0,2}b|c", 0, None),
    (r"[ab]c|d", 0, "(?=[abd])"),              # a class of characters as written first
    (r"[a-c]d|e", 0, None),                    # a range first
    (r"[^a]c|d", 0, None),                     # a negated class first
    (r"[\dx]c|d", 0, None),                    # a class escape in a class
    (r"ab|", 0, None),                         # an empty alternative matches anywhere
    (r".b|c", 0, None),
    (r"^ab|c$", 0, "(?=[ac])"),                # nor do anchors
    (r"a|b", re.X, None),                      # verbose: spaces and comments are not characters
]


@pytest.mark.parametrize("pattern, flags, lookahead", CASES)
def test_lookahead(pattern, flags, lookahead):
    rx = re.compile(pattern, flags)
    led = led_by_first_chars(rx)
    if lookahead is None:
        assert led is rx
    else:
        assert led.pattern == f"{lookahead}(?:{pattern})" and led.flags == rx.flags
        assert rules.LED[led] is rx


def test_ignorecase_class_matches_what_the_letter_matches():
    """Under IGNORECASE a letter also matches ſ (s), K (Kelvin sign, k), İ and ı (i): the
    lookahead's class must match exactly the same characters as the letter itself."""
    folding = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and re.match("[a-z]", chr(c), re.I)]
    assert {"ſ", "\u212a", "İ", "ı"} <= set(folding)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for ch in folding:
            assert bool(re.match(f"(?=[{letter}])", ch, re.I)) == bool(re.match(letter, ch, re.I)), (letter, ch)


def _corpus_lines() -> list[str]:
    paths = sorted((ROOT / "tests" / "fixtures").glob("*/articles/*.txt")) + sorted((ROOT / "seeds" / "articles").glob("*.txt"))
    return [unicodedata.normalize("NFKC", line) for p in paths for line in p.read_text(encoding="utf-8").splitlines()]


def _same(led: re.Pattern, rx: re.Pattern, text: str) -> None:
    assert [(m.span(), m.groups()) for m in led.finditer(text)] == [(m.span(), m.groups()) for m in rx.finditer(text)]


def test_led_patterns_match_as_written_on_the_corpora():
    assert len(rules.LED) >= 10   # trigger words, triggers, outcome predicates, status and medium cues
    lines = _corpus_lines()
    for led, rx in rules.LED.items():
        for line in lines:
            _same(led, rx, line)


# Words of the led patterns, their case variants and the characters IGNORECASE folds
_WORDS = sorted({w for rx in rules.LED.values() for w in re.findall(r"\w+", re.sub(r"\\.", " ", rx.pattern)) if len(w) < 20})
_PIECES = _WORDS + [w.upper() for w in _WORDS[:50]] + list("ſ\u212aİı 、。,.!?") + ["2+2", "co-chair", "in-person"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join))
def test_led_patterns_match_as_written_on_any_text(text):
    for led, rx in rules.LED.items():
        _same(led, rx, text)


def test_any_outcome_is_any_of_the_kinds():
    texts = _corpus_lines() + [" ".join(_PIECES[i::7]) for i in range(7)]
    for text in texts:
        for part in (text, text[-28:]):
            assert bool(rules.ANY_OUTCOME.search(part)) == any(rx.search(part) for _, rx in rules.OUTCOME_KINDS), part


# ---------------------------------------------------------------------------------------------
# rules.lowered_for_ascii: an IGNORECASE pattern, case-sensitive over the lowered ASCII text
# ---------------------------------------------------------------------------------------------

def _same_lowered(low: re.Pattern, rx: re.Pattern, text: str) -> None:
    assert text.isascii()
    assert [m.regs for m in low.finditer(text.lower())] == [m.regs for m in rx.finditer(text)], (rx.pattern, text)


def test_lowered_patterns_match_as_written_on_the_corpora():
    assert len(rules.LOWERED) >= 10   # trigger words, English triggers, outcome predicates
    lines = [line for line in _corpus_lines() if line.isascii()]
    assert len(lines) > 100
    for low, rx in rules.LOWERED.items():
        for line in lines:
            _same_lowered(low, rx, line)


_ASCII_PIECES = [p for p in _PIECES if p.isascii()] + [w.title() for w in _WORDS if w.isascii()][:80] + list("-'\"()[]")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ASCII_PIECES), max_size=12).map(" ".join))
def test_lowered_patterns_match_as_written_on_any_ascii_text(text):
    for low, rx in rules.LOWERED.items():
        _same_lowered(low, rx, text)


@pytest.mark.parametrize("pattern", [r"[!-Z]x", r"[A-z]", r"(?i)x", r"(?P<n>x)", r"\x41", r"[\x41-Z]", "ſ", "\u212a", "ı", r"\N{LATIN SMALL LETTER A}"])
def test_lowered_refuses_what_lowering_could_change(pattern):
    assert rules.lowered_for_ascii(re.compile(pattern, re.I)) is None


def test_lowered_keeps_class_escapes_and_folds_classes():
    low = rules.lowered_for_ascii(re.compile(r"\bA[^B-D]\S[\w.-]\W[Ww]", re.I))
    assert low.pattern == r"\ba[^b-d]\S[\w.-]\W[ww]" and not low.flags & re.I
    assert rules.lowered_for_ascii(re.compile("a")) is None   # not IGNORECASE


def test_outcome_heads_hold_every_outcome_of_every_piece():
    """_outcome_clauses skips a sentence without an outcome head: no clause of it, nor a clause's
    tail, may hold a match of ANY_OUTCOME."""
    from timeline.extract import _may_hold_outcome

    texts = _corpus_lines() + [" ".join(_PIECES[i::7]) for i in range(7)] + [w.upper() for w in _PIECES]
    for text in texts:
        if _may_hold_outcome(text):
            continue
        for a in range(len(text)):
            assert not rules.ANY_OUTCOME.search(text[a:a + 40]) and not rules.ANY_OUTCOME.search(text[a:]), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + [w.upper() for w in _WORDS[:60]]), max_size=10).map(" ".join))
def test_outcome_heads_hold_every_outcome_on_any_text(text):
    from timeline.extract import _may_hold_outcome

    if not _may_hold_outcome(text):
        assert not any(rules.ANY_OUTCOME.search(text[a:]) or rules.ANY_OUTCOME.search(text[:a]) for a in range(len(text) + 1))


@pytest.mark.parametrize("pattern, flags, heads", [
    (r"\bagreed\b|一致|\bagree to\b", re.I, ("agreed", "一致", "agree to")),
    (r"(?<!x)Abc(d|e)|f\.g|hi?j|k+l", 0, ("Abc", "f.g", "h", "k")),
    (r"a|[bc]d", 0, None),
    (r"a|b?c", 0, None),
    (r"\dx", 0, None),
])
def test_literal_heads(pattern, flags, heads):
    assert rules.literal_heads(re.compile(pattern, flags)) == heads


def test_contains_any():
    rx = rules.contains_any(["agree", "agreed", "affirm", "a.b", "一致"])
    assert rx.pattern == r"(?:a(?:\.b|ffirm|gree)|一致)"
    assert [bool(rx.search(t)) for t in ["we agre", "reaffirmed", "a.b", "axb", "で一致"]] == [False, True, True, False, True]


# ---------------------------------------------------------------------------------------------
# rules.first_chars: the characters a match starts with (the trigger loop skips the others)
# ---------------------------------------------------------------------------------------------

def test_folds_to_ascii_are_all_the_non_ascii_characters_ignorecase_matches_to_a_letter():
    folding = {chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000 and re.match("[a-z]", chr(c), re.I)}
    assert folding == set("".join(rules._FOLDS_TO_ASCII.values()))
    for letter, chars in rules._FOLDS_TO_ASCII.items():
        assert all(re.match(letter, ch, re.I) for ch in chars)


@pytest.mark.parametrize("pattern, flags, firsts", [
    (r"(日米)?会談|met", 0, "日会m"),
    (r"(?<!The )summit|\bleaders", re.I, "sSlLſ"),
    (r"kick|Ice", re.I, "kK\u212aiI\u0130\u0131"),
    (r"[ab]c", 0, "ab"),
    (r"[a-b]c", 0, None),
    (r"a?", 0, None),
    (r"Σx", re.I, None),             # a cased letter beyond ASCII: its cases are not worked out
    (r"会談", re.I, "会"),
])
def test_first_chars(pattern, flags, firsts):
    got = rules.first_chars(re.compile(pattern, flags))
    assert got == (None if firsts is None else frozenset(firsts))


def _starts_within_firsts(text: str) -> None:
    for t in rules.TRIGGERS:
        if t.firsts is not None:
            assert all(m.start() == m.end() or text[m.start()] in t.firsts for m in t.pattern.finditer(text)), (t.name, text)


def test_trigger_matches_start_with_their_first_chars_on_the_corpora():
    assert sum(t.firsts is not None for t in rules.TRIGGERS) >= 20
    for line in _corpus_lines():
        _starts_within_firsts(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join))
def test_trigger_matches_start_with_their_first_chars_on_any_text(text):
    _starts_within_firsts(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("abc", min_size=1, max_size=4), min_size=1, max_size=8), st.text("abcd", max_size=30))
def test_longest_word_matches_as_the_alternation_longest_first(words, text):
    trie = re.compile(rules.longest_word(words))
    alternation = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in alternation.finditer(text)]
    for i in range(len(text)):   # at every position, not only where finditer stops
        a, b = trie.match(text, i), alternation.match(text, i)
        assert (a and a.span()) == (b and b.span())


def test_topics_of_finds_every_keyword():
    from timeline.extract import _topic_rules, topics_of
    from timeline.registry import load_registry

    by_kw = {}
    for t in load_registry().topics:
        for k in (t.get("keywords_ja") or []) + (t.get("keywords_en") or []):
            if k:
                by_kw.setdefault(k.lower(), set()).add(t["id"])
    texts = _corpus_lines() + [" ".join(sorted(by_kw)[i::5]) for i in range(5)] + ["".join(sorted(by_kw))]
    for text in texts:
        low = text.lower()
        assert topics_of(text) == sorted({i for k, ids in by_kw.items() if k in low for i in ids}), text


def test_reading_is_the_same_without_the_speed_ups(monkeypatch):
    """A trigger word or outcome predicate that lowered_for_ascii refuses, or one without a literal
    head, turns its speed-up off (None), never the reading: the same words and kinds as with them."""
    import timeline.extract as X

    texts = _corpus_lines() + [" ".join(_PIECES[i::7]) for i in range(7)] + [w.title() for w in _WORDS]
    want = [(X._has_trigger_word(t), X._kind(t)) for t in texts]
    for name in ("_TRIGGER_WORDS_LOWERED", "OUTCOME_HEADS_ANY", "OUTCOME_HEADS_ASCII", "OUTCOME_KINDS_LOWERED",
                 "ANY_OUTCOME_LOWERED"):
        monkeypatch.setattr(X, name, None)
    assert [(X._has_trigger_word(t), X._kind(t)) for t in texts] == want
    assert rules.literal_heads(re.compile(r"(改めて)?明言|agreed")) is None
