"""Text handling that keeps offsets: NFKC normalisation with a map back to the stored text,
page-chrome detection, and sentence segmentation.

Every span produced here indexes into the article text *as stored*; the normalised text is
only a lens for pattern matching (style: keep raw offsets through normalisation).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Normalized", "Line", "Sentence", "normalize", "split_lines", "segment"]


@dataclass(frozen=True)
class Normalized:
    """NFKC text plus, for each of its characters, the index of the raw character it came from."""

    text: str
    # len(text) + 1 entries; the last one is len(raw). Where nothing moved (most sentences) the
    # identity: a range, not an array of it (filling one per sentence was ~2% of extraction)
    raw_index: array | range

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.raw_index[start], self.raw_index[start]
        return self.raw_index[start], self.raw_index[end - 1] + 1


@lru_cache(maxsize=1)
def _nfkc_tables() -> tuple[dict[int, str], re.Pattern]:
    """Characters whose NFKC form is one other character (a translate table: offsets stay put),
    and a pattern of those whose form is longer or empty (rare: handled one by one)."""
    one: dict[int, str] = {}
    other: list[str] = []
    for cp in range(0x80, 0x30000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        n = unicodedata.normalize("NFKC", ch)
        if n == ch:
            continue
        if len(n) == 1:
            one[cp] = n
        elif not (n.startswith(" ") and len(n) > 1):   # ゛゜ stay inert (see normalize)
            other.append(re.escape(ch))
    return one, re.compile("[" + "".join(other) + "]") if other else re.compile(r"(?!x)x")


def normalize(raw: str) -> Normalized:
    """NFKC per character (full-width digits, letters and brackets become ASCII), with offsets.

    Characters whose NFKC form is empty are dropped; a character that expands keeps pointing at
    its source, so any normalised span maps back to a raw span containing exactly its source.
    The spacing sound marks (゛゜), which NFKC turns into space + combining mark, are kept as they are.
    """
    one, expanding = _nfkc_tables()   # built on the first call: by the warm-up before workers fork
    if unicodedata.is_normalized("NFKC", raw):
        # nothing to change, and most sentences are so: a character whose NFKC form differs
        # never occurs in NFKC text (tests/test_text.py), and the check is far cheaper than the tables
        return Normalized(raw, range(len(raw) + 1))
    text = raw.translate(one)
    if not expanding.search(text):
        return Normalized(text, range(len(raw) + 1))
    out: list[str] = []
    idx = array("l")
    last = 0
    for m in expanding.finditer(text):
        out.append(text[last:m.start()])
        idx.extend(range(last, m.start()))
        n = unicodedata.normalize("NFKC", m.group(0))
        out.append(n)
        idx.extend([m.start()] * len(n))
        last = m.end()
    out.append(text[last:])
    idx.extend(range(last, len(text)))
    idx.append(len(raw))
    return Normalized("".join(out), idx)


# ---------------------------------------------------------------------------------------------
# Lines and chrome
# ---------------------------------------------------------------------------------------------

@dataclass
class Line:
    start: int            # raw offsets of the line content (without the newline)
    end: int
    text: str             # raw text
    kind: str = "body"    # body | chrome | heading | title | meta | source | teaser | chatter
    block: int = 0        # aggregator card / section number
    reason: str = ""


# Lists of other headlines, follow-me links and site furniture. Everything after a ranking or
# related-articles header is other stories, not the article.
_LIST_HEADER = re.compile(
    r"^\s*[■◆●▼▶►□◇【\[]*\s*(Ranking|ランキング|アクセスランキング|人気記事|関連記事|関連ニュース|読まれている記事|おすすめ記事|"
    r"新着記事|最新記事|注目記事|あわせて読みたい|こちらもおすすめ|Related Articles|Related Stories|Top stories|Latest news|"
    r"Related (articles|stories)|Most (read|popular)|Popular (posts|stories)|Recommended|Read more:?$|"
    r"Trending|More (news|stories) from|More from|Related (coverage|links|content)|Related\s*:?\s*$|"
    r"Read next|Up next|More (news|stories)\s*:?\s*$|You (may|might) also like|Editor'?s picks|Latest (stories|headlines)|"
    r"Associated coverage|Further reading|See also\s*:?\s*$|"
    # ministry pages end on "(参考)" / "関連リンク": links to other records, each with its own date
    r"[(（]参考[)）]\s*$|参考リンク|関連リンク|関連情報)",
    re.IGNORECASE,
)
_CHROME_LINE = re.compile(
    r"^\s*[▼▲■□◆●]?\s*(menu|site search|pagetop|page top|bnrname|search|share|tweet|print|"
    r"シェア|ツイート|印刷|メニュー|検索|ホーム|トップ(ページ)?|"
    r"([\w .&'-]{1,40} )?Logo( Menu opener)?|Menu opener|"
    r"写真[:：].*|画像[:：].*|Photo[:：].*|\(写真\).*|\(Photo.*|\(?以上\)?|"
    r"◎.*(次の記事|前の記事).*|.*\[(次の記事|前の記事)\].*|次の記事.*|前の記事.*|"
    r"次のページを読む.*|Next page.*|Subscribe.*|Sign up.*|Follow us.*|"
    r"(さらに読む|続きを読む)\s*⇒.*|.*出典/画像元[:：].*|"
    r"\[.{1,30}\]|24時間|1週間|1ヶ月|1か月|Copyright.*|©.*|All rights reserved.*|"
    r"E-?mail.*|Contact us.*|お問い?合わせ.*)\s*$",
    re.IGNORECASE,
)
# Navigation: breadcrumbs ("ホーム > 政治 > 外交") and menus (short words separated by spaces or bars)
_NAV_LINE = re.compile(r"^(\S{1,12}\s*[>＞»/|｜]\s*){1,8}\S{1,20}$|^(\S{1,8}[\s|｜・]+){3,}\S{1,8}$")
_NAV_SEPARATOR = re.compile(r"[\s>＞»/|｜・]")   # every navigation line holds one (the cheap test first)
_SOURCE_LINE = re.compile(r"(出典/画像元|Source)[:：]?\s*(?P<url>https?://\S+)")
_BULLET = re.compile(r"^\s*([-•・*●■◆▶►✅💡📘🚩]+|\(\d+\)|（\d+）|\d+\s|[①-⑳])\s*")
_SENTENCE_END = re.compile(r"[。．！？!?]")
# an English sentence of short words ("Gen Nakatani hosted Hegseth in Tokyo on March 30.") is not a menu
_EN_SENTENCE = re.compile(r"\b[a-z]{2,}\b.*[.!?][\"'”’)]?$")
# A question or an exclamation-with-question in a heading is a teaser ("What did they confirm?"),
# not a report of an event.
_TEASER = re.compile(r"[?？]\s*$|[?？](?=[^。]*$)")
# Aggregator chatter: the page's own reactions, ending in sentence-final particles of opinion.
_CHATTER_END = re.compile(
    r"(ね|よね|よ|な|かな|わ|でしょう|ましょう|ほしいな|あかんな|ですね|ますね|ですわ|ますわ)"
    r"[。!！?？]*\s*$"
)
_URL = re.compile(r"https?://\S+")
# a short line naming such a list anywhere near its start ("■Ranking", "今週の読まれている記事")
_LIST_HEADER_WORD = re.compile(r"Ranking|読まれている記事|最近の記事|最新の記事")


_DATE_LINE = re.compile(
    r"^\s*((公開日|更新日|投稿日|配信日|掲載日|Published|Updated|Posted)\s*[:：]?\s*)?"
    r"[\w ,./:年月日時分-]{6,40}+$"   # (possessive: a shorter run cannot end the line either)
)


_KANA = re.compile(r"[ぁ-んァ-ヶ]")
_BULLETED = re.compile(r"^\s*[-•・*]")
_CARD_DATE_LABELS = ("公開日", "更新日", "投稿日", "配信日", "掲載日")


# what a date line ends with: a character of _DATE_LINE's run (\w is what str.isalnum says, and "_")
_DATE_LINE_LAST = frozenset("_ ,./:年月日時分-")


def _is_date_line(tn: str) -> bool:
    # cheapest test first: a line ending otherwise (in "。", most sentences) is none, nor one with
    # kana (found within a few characters of a Japanese line); the digits are counted only for a
    # line of the date line's shape
    last = tn[-1:]
    return bool(last) and (last.isalnum() or last in _DATE_LINE_LAST) and (tn.isascii() or not _KANA.search(tn)) \
        and bool(_DATE_LINE.match(tn)) and sum(map(str.isdigit, tn)) >= 4


# a post's labels ("タグ:#防衛相会談 #外相会談", "Tags: Japan, Defense") name topics, not events
_TAGS = re.compile(r"(タグ|Tags?)\s*[:：]|(^|\s)#\S+\s+#\S+")
# a footnote that cites a source ("[1] Ministry of Foreign Affairs of Japan, "Japan-U.S. Security
# Consultative Committee (2+2)," January 7, 2022."): the title of a document, not a report
_CITATION = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}\.|注\d{1,3}|\*\d{1,3})\s+[^\n]{0,120}?[\"“「『]")
_COMMENT_AUTHOR = re.compile(r"^\S{1,16}\*{3,}\S{0,4}$")   # (only tried on a line with "***")


def _is_tags(tn: str) -> bool:
    # a line without タグ, Tag or # holds no label: three substring tests spare the pattern,
    # which would try its second branch at every character
    return ("#" in tn or "タグ" in tn or "Tag" in tn) and _TAGS.search(tn) is not None


def split_lines(raw: str) -> list[Line]:
    """Split into lines with raw offsets and mark site chrome, headings, teasers and chatter.

    `block` numbers the stretches of the page: an aggregator card (a repeated card title, an
    optional date, the quoted summary, then the source link) is one block, and the page's own
    text between cards is another, so later stages can tell whose words a sentence is.
    """
    lines: list[Line] = []
    pos = 0
    for part in raw.split("\n"):
        lines.append(Line(pos, pos + len(part), part))
        pos += len(part) + 1
    norm = [unicodedata.normalize("NFKC", ln.text.strip()) for ln in lines]
    nonblank = [i for i, t in enumerate(norm) if t]
    card_start = _card_starts(norm, nonblank)
    in_list = False
    in_comment = False
    block = 0
    seen_recent: deque[str] = deque(maxlen=3)
    for i, ln in enumerate(lines):
        tn = norm[i]
        if not tn:
            ln.kind, ln.reason, ln.block = "blank", "blank", block
            in_comment = False
            continue
        # a portal's reader comments: a masked user name ("ｋｏｕ＊＊＊＊"), then the comment up to
        # the next blank line — readers' words, not the article's
        if "***" in tn and _COMMENT_AUTHOR.match(tn):
            in_comment = True
        if in_comment:
            ln.kind, ln.reason, ln.block = "chatter", "reader comment", block
            continue
        if i in card_start:
            block += 1
        if in_list:
            ln.kind, ln.reason = "chrome", "list of other headlines"
            if len(tn) > 25 and "。" in tn or len(tn) > 120 and _SENTENCE_END.search(tn[-2:]):
                in_list = False  # a real paragraph after the list: the body resumes
                ln.kind, ln.reason = "body", ""
            elif _is_date_line(tn) and not _BULLETED.match(tn) and _paragraph_follows(norm, i):
                # a headline over its dateline: the article starts here, not another list item
                in_list = False
                ln.kind, ln.reason = "meta", "date line"
                prev = next((p for p in reversed(lines[:i]) if p.kind != "blank"), None)
                if prev is not None and prev.kind == "chrome" and prev.reason == "list of other headlines" \
                        and not _BULLETED.match(prev.text):
                    prev.kind, prev.reason = "body", ""
        elif len(tn) <= 40 and (_LIST_HEADER.match(tn) or _LIST_HEADER_WORD.search(tn, 0, 30)):
            in_list, ln.kind, ln.reason = True, "chrome", "ranking/related list header"
        elif "://" in tn and _SOURCE_LINE.search(tn) or tn.startswith(("さらに読む", "続きを読む")):
            ln.kind, ln.reason = "source", "quoted-source link"
        elif _CHROME_LINE.match(tn) or _is_tags(tn):
            ln.kind, ln.reason = "chrome", "site furniture"
        elif _CITATION.match(tn):
            ln.kind, ln.reason = "note", "source citation"
        elif len(tn) <= 80 and not _SENTENCE_END.search(tn) and _NAV_SEPARATOR.search(tn) and _NAV_LINE.match(tn) \
                and not _is_date_line(tn) and not _EN_SENTENCE.search(tn):
            ln.kind, ln.reason = "chrome", "navigation"
        elif tn in seen_recent:
            ln.kind, ln.reason = "chrome", "repeated card title"
        elif _is_date_line(tn):
            ln.kind, ln.reason = "meta", "date line"
        elif _TEASER.search(tn) and len(tn) < 120:
            ln.kind, ln.reason = "teaser", "question heading"
        elif tn.startswith("※"):
            ln.kind, ln.reason = "note", "footnote or definition"
        ln.block = block
        if ln.kind == "source":
            block += 1  # an aggregator card ends with its source link
        seen_recent.append(tn)
    return lines


def _paragraph_follows(norm: list[str], i: int) -> bool:
    """A dateline opens an article when a paragraph comes within the next few lines; in a list of
    related items ("NOVEMBER 9, 2023 / <headline> / READ MORE") only headlines follow."""
    for t in [x for x in norm[i + 1:i + 8] if x][:3]:
        if "。" in t or len(t) > 60 and re.search(r"[.!?\"”]$", t):
            return True
    return False


def _card_starts(norm: list[str], nonblank: list[int]) -> set[int]:
    """Lines that open an aggregator card: a title line repeated within the next three lines."""
    starts = set()
    texts = [norm[i] for i in nonblank]
    repeated = {t for t, n in Counter(texts).items() if n > 1}   # (most lines occur once: no window to read)
    for k, i in enumerate(nonblank):
        if norm[i] in repeated and len(norm[i]) >= 8 and norm[i] in texts[k + 1 : k + 4] \
                and (k == 0 or texts[k - 1] != norm[i]):
            starts.add(i)
        # a card's date line ("公開日:2025/03/28") sits right under the card's title
        elif k > 0 and norm[i].startswith(_CARD_DATE_LABELS) and _is_date_line(norm[i]):
            prev = nonblank[k - 1]
            if not any(prev > x for x in starts if x in nonblank[max(0, k - 3):k]):
                starts.add(prev)
    return starts


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------

@dataclass
class Sentence:
    start: int             # raw span of the sentence (bullets and surrounding spaces trimmed)
    end: int
    text: str              # raw text
    norm: Normalized       # normalised text of the sentence, offsets relative to `start`
    line: int              # index of the line
    kind: str              # the line's kind, or "chatter"
    block: int
    index: int = 0
    extra: dict = field(default_factory=dict)
    ntext: str = field(init=False, repr=False)   # norm.text, read all over the extractor

    def __post_init__(self) -> None:
        self.ntext = self.norm.text

    def raw(self, nstart: int, nend: int) -> tuple[int, int]:
        """Map a span of the normalised sentence to raw article offsets."""
        a, b = self.norm.raw_span(nstart, nend)
        return self.start + a, self.start + b


_EN_ABBREV = re.compile(
    r"(Mr|Ms|Mrs|Dr|Gen|Lt|Col|Adm|Sen|Rep|Gov|Sec|Amb|St|Jr|Sr|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
    r"Oct|Nov|Dec|U\.S|U\.K|[A-Z]|a\.m|p\.m|e\.g|i\.e|vs|etc)\.$"
)


_FOOTNOTE_MARK = re.compile(r"(\[\d{1,3}\])+")
_SPLIT_CHARS = re.compile(r"[「『(（」』)）。！？.!?]")


def _split_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans in one line: Japanese 。！？, and English . ! ? followed by a space and a capital."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    depth = 0
    # only brackets and sentence ends change anything: jump from one to the next
    m = _SPLIT_CHARS.search(text)
    while m is not None:
        i = m.start()
        ch = text[i]
        if ch in "「『(（":
            depth += 1
        elif ch in "」』)）" and depth:
            depth -= 1
        cut = False
        if ch in "。！？" and depth == 0:
            cut = True
        elif ch in ".!?" and (i + 1 == n or text[i + 1] == " " or text[i + 1] == "["):
            # "… Under Secretary LaPlante.[2] The two signed …": a footnote mark ends with its sentence
            note = _FOOTNOTE_MARK.match(text, i + 1) if text[i + 1 : i + 2] == "[" else None
            j = note.end() - 1 if note else i
            nxt = text[j + 2 : j + 3]
            word = text[max(start, i - 6) : i + 1].split(" ")[-1]
            if (j + 1 == n or text[j + 1] == " ") and (j + 1 == n or nxt.isupper() or nxt in "\"'“(") \
                    and not _EN_ABBREV.search(word):
                cut, i = True, j
        if cut:
            while i + 1 < n and text[i + 1] in "」』)）!！?？":
                i += 1
            spans.append((start, i + 1))
            start = i + 1
        m = _SPLIT_CHARS.search(text, i + 1)
    if start < n:
        spans.append((start, n))
    return [piece for a, b in spans for piece in (_bounded(text, a, b) if b - a > _MAX_SENTENCE else [(a, b)])]


_MAX_SENTENCE = 600


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A "sentence" with no sentence end (a dump, a table flattened into one line) is cut at
    commas or spaces into pieces of at most _MAX_SENTENCE characters, so the work done per
    sentence stays bounded and the extractor stays linear in the text."""
    out = []
    while end - start > _MAX_SENTENCE:
        window = text[start + _MAX_SENTENCE // 2:start + _MAX_SENTENCE]
        cut = max(window.rfind("、"), window.rfind(","), window.rfind(" "), window.rfind("　"))
        stop = start + _MAX_SENTENCE // 2 + cut + 1 if cut >= 0 else start + _MAX_SENTENCE
        out.append((start, stop))
        start = stop
    out.append((start, end))
    return out


# A paragraph hard-wrapped at a fixed width (a release converted from PDF, a plain-text mail):
# a line that stops mid-sentence goes on in the next one.
_WRAP_END_CHARS = frozenset("。．！？!?」』)）:：")
_WRAP_NEXT_STARTS_NEW = re.compile(r"^(\u3000|\s*([(（]?\d{1,2}[)）.．\u3000 ]|[①-⑳]|[-•●■◆▶►※]|[(（][一二三四五六七八九十]+[)）]))")
_WRAP_EN_GOES_ON = re.compile(r"([,;:]|\b(and|or|of|the|for|to|in|on|at|by|with|a|an))\s*$")
_WRAP_EN_LONGEST = 4   # "with": no match of _WRAP_EN_GOES_ON in a stripped line starts earlier from its end


def _wrapped(lines: list[Line], li: int, inside: bool) -> bool:
    """Line `li` goes on in line `li + 1`: both body lines, `li` long and without a sentence end,
    the next neither indented nor a numbered or bulleted item; a Japanese line must open an
    indented paragraph (or already continue one), an English one end on a word that needs more."""
    ln = lines[li]
    t = ln.text.rstrip()
    if len(t) < 30 or t[-1] in _WRAP_END_CHARS or li + 1 >= len(lines):   # (most lines end a sentence)
        return False
    nx = lines[li + 1]
    if ln.kind != "body" or nx.kind != "body" or len(t.strip()) < 30 or _WRAP_NEXT_STARTS_NEW.match(nx.text):
        return False
    if t.isascii():
        # (a match ends the stripped line and is at most four characters long: looked for there)
        return _WRAP_EN_GOES_ON.search(t, max(0, len(t) - _WRAP_EN_LONGEST)) is not None or nx.text[:1].islower()
    return inside or ln.text.startswith("\u3000")


def _unwrap(norm: Normalized) -> Normalized:
    """The normalised text without its line breaks (and the spaces around them): nothing between
    two Japanese characters, one space between English words. Offsets keep pointing at the raw text."""
    if "\n" not in norm.text:
        return norm
    text, idx = norm.text, norm.raw_index
    out: list[str] = []
    keep = array("l")
    i = 0
    for m in re.finditer(r"[ \t\u3000]*\n[ \t\u3000]*", text):
        out.append(text[i:m.start()])
        keep.extend(idx[i:m.start()])
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        if before.isascii() and after.isascii() and before.strip() and after.strip():
            out.append(" ")
            keep.append(idx[m.start()])
        i = m.end()
    out.append(text[i:])
    keep.extend(idx[i:len(text)])
    keep.append(idx[len(text)])
    return Normalized("".join(out), keep)


def segment(raw: str, lines: list[Line] | None = None) -> list[Sentence]:
    """Sentences of every non-chrome line, with raw spans and normalised text (a hard-wrapped
    paragraph is read as one text: its sentences may cross lines)."""
    lines = split_lines(raw) if lines is None else lines
    out: list[Sentence] = []
    li = 0
    while li < len(lines):
        ln = lines[li]
        if ln.kind in ("blank", "chrome", "source"):
            li += 1
            continue
        last, inside = li, False
        while _wrapped(lines, last, inside):
            last, inside = last + 1, True
        start, end = ln.start, lines[last].end
        para = ln.text if last == li else raw[start:end]
        for a, b in _split_spans(para):
            seg = para[a:b]
            m = _BULLET.match(seg)
            lead = m.end() if m else 0
            lead += len(seg[lead:]) - len(seg[lead:].lstrip())
            trail = len(seg) - len(seg.rstrip())
            if lead >= len(seg) - trail:
                continue
            s, e = start + a + lead, start + b - trail
            text = raw[s:e]
            norm = _unwrap(normalize(text)) if last > li else normalize(text)
            kind = ln.kind
            if kind == "body" and _CHATTER_END.search(norm.text):
                kind = "chatter"
            line_of = li + raw.count("\n", start, s) if last > li else li
            out.append(Sentence(s, e, text, norm, line_of, kind, ln.block))
        li = last + 1
    for i, s in enumerate(out):
        s.index = i
    return out
