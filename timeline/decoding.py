"""Bytes → article text: UTF-8, the Japanese legacy encodings, then whatever charset_normalizer
recognises; bytes that are not one text in one encoding are refused with a reason.

The order, and why:

1. Empty or whitespace-only → ``empty``. A byte-order mark decides: UTF-8 (the mark is
   dropped), UTF-16 or UTF-32. NUL bytes without a mark → ``binary``.
2. ISO-2022-JP: 7-bit bytes with JIS escape sequences (``ESC $ B``…). They are also valid
   ASCII, so this comes before UTF-8 (``iso2022_jp``, then the ``_ext``/``_2``/``_2004``/``_3``
   variants for half-width kana and JIS X 0212/0213).
3. UTF-8, strict.
4. The Shift_JIS and EUC-JP families, each decoded strictly: ``cp932`` (the Windows superset
   of Shift_JIS that also holds the NEC/IBM rows such as ①; pages labelled Shift_JIS are in
   practice CP932), ``euc_jp``, then the JIS X 0213 variants ``shift_jis_2004`` and
   ``euc_jis_2004``. Bytes of one family often also decode in the other as mojibake
   (EUC-JP read as CP932 is mostly half-width katakana), so every candidate that decodes is
   scored by `text_share` (the share of characters a Japanese or English page is made of) and
   the best one wins; ties go to the earlier codec. charset_normalizer is not trusted here:
   on short texts it reads EUC-JP as cp949 (Korean), e.g. "日米防衛相会談を実施".
5. Anything else (windows-1252, latin-1, …): charset_normalizer's best guess
   (a maintained detector), kept only if it scores as text.
6. A file cut inside a multi-byte character (a truncated download) loses only the incomplete
   last character (at most 3 bytes); the rest is decoded by the same rules.

Nothing is ever stored with replacement characters: bytes that are mostly UTF-8 but hold
sequences that are not (a page pasted together from two encodings) are refused as
``mixed_encoding`` with the offset of the first bad byte, and bytes no encoding reads as text
are refused as ``undecodable`` or ``binary``.

CP932 and Shift_JIS map six JIS X 0208 characters to different code points (CP932 gives
～ ∥ － ￠ ￡ ￢ where Shift_JIS gives 〜 ‖ − ¢ £ ¬); the bytes are the same, so a file decodes to
the CP932 forms. Line endings are normalised to ``\\n``; nothing else in the text is changed.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

__all__ = ["Decoded", "DecodeProblem", "decode", "text_share", "JAPANESE_CODECS", "ISO2022_CODECS"]

ISO2022_CODECS = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3")
JAPANESE_CODECS = ("cp932", "euc_jp", "shift_jis_2004", "euc_jis_2004")
MIN_SHARE = 0.95          # a legacy decoding must read as text for at least this share of characters
MIN_PRINTABLE = 0.9       # UTF-8 text: at least this share printable (else it is binary in disguise)
_JIS_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I", b"\x1b$(D", b"\x1b$(O", b"\x1b$(Q", b"\x1b$(P")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    truncated: bool = False        # an incomplete last character was dropped


@dataclass(frozen=True)
class DecodeProblem:
    reason: str                    # empty | binary | mixed_encoding | undecodable
    detail: str


def decode(data: bytes) -> Decoded | DecodeProblem:
    """The text of an article file, or the reason it has none."""
    if not data.strip():
        return DecodeProblem("empty", "the file holds no text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            got = _strict(data, codec)
            if got is None:
                return DecodeProblem("undecodable", f"the file starts with a {codec.upper()} byte-order mark but is not {codec.upper()}")
            return _finish(got)
    if b"\x00" in data:
        for codec in ("utf-16-le", "utf-16-be"):    # UTF-16 saved without a byte-order mark
            got = _strict(data, codec)
            if got is not None and "\x00" not in got.text and text_share(got.text) >= MIN_SHARE:
                return _finish(got)
        return DecodeProblem("binary", f"the file holds NUL bytes (first at byte {data.index(0)}): not a text article")
    controls = sum(1 for b in data[:65536] if b < 0x20 and b not in b"\t\n\r\f\x0b\x1b")
    if controls > 0.05 * min(len(data), 65536):
        return DecodeProblem("binary", f"{controls} control bytes in the first {min(len(data), 65536)}: not a text article")
    if max(data) < 0x80 and any(e in data for e in _JIS_ESCAPES):
        for codec in ISO2022_CODECS:
            got = _strict(data, codec)
            if got is not None:
                return _finish(got)
    got = _strict(data, "utf-8")
    if got is not None:
        return _finish(got)
    damaged = _damaged_utf8(data)
    if damaged:
        return damaged
    best: tuple[float, Decoded] | None = None
    for codec in JAPANESE_CODECS:
        got = _strict(data, codec)
        if got is not None:
            share = text_share(got.text)
            if best is None or share > best[0]:
                best = (share, got)
    if best is not None and best[0] >= MIN_SHARE:
        return _finish(best[1])
    guess = _detector_guess(data)
    if guess is not None and text_share(guess.text) >= MIN_SHARE:
        return _finish(guess)
    if best is not None or guess is not None:
        return DecodeProblem("undecodable", "the bytes decode only to garbage in every candidate encoding "
                                            "(UTF-8, CP932/Shift_JIS, EUC-JP, ISO-2022-JP and the detector's guess): "
                                            "mixed encodings or not text")
    return DecodeProblem("undecodable", "no single text encoding fits all the bytes (tried UTF-8, CP932/Shift_JIS, "
                                        "EUC-JP, ISO-2022-JP and charset_normalizer): a page mixing encodings, or not text")


def _strict(data: bytes, codec: str) -> Decoded | None:
    """Strict decoding; a file cut inside its last character loses that character only."""
    try:
        return Decoded(data.decode(codec), _name(codec))
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and exc.start >= len(data) - 3 and exc.start > 0:
            try:
                return Decoded(data[:exc.start].decode(codec), _name(codec), truncated=True)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


def _name(codec: str) -> str:
    return {"utf-8-sig": "utf-8"}.get(codec, codec)


def _damaged_utf8(data: bytes) -> DecodeProblem | None:
    """Mostly UTF-8 with some sequences that are not: a page pasted from two encodings, or bytes
    damaged in transit. Legacy Japanese bytes almost never form valid multi-byte UTF-8, so a run
    of real UTF-8 characters before the first bad byte, or a majority of them, means UTF-8."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        first = exc.start
    before = sum(1 for c in data[:first].decode("utf-8") if ord(c) > 0x7F)
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 0x7F and c != "\ufffd")
    if before >= 8 or (good >= 8 and good >= 2 * bad):
        return DecodeProblem("mixed_encoding", f"UTF-8 text ({good} non-ASCII characters) with {bad} byte sequence(s) "
                                               f"that are not UTF-8, the first at byte {first}: a page mixing two "
                                               "encodings or damaged bytes; re-save it in one encoding")
    return None


def _detector_guess(data: bytes) -> Decoded | None:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # the detector is advisory: any failure is "no guess"
        return None
    if best is None or best.encoding is None:
        return None
    return _strict(data, best.encoding)


def _finish(got: Decoded) -> Decoded | DecodeProblem:
    text = got.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return DecodeProblem("empty", "the file holds no text")
    sample = text[:4096]
    # one pass in C for the usual page (everything printable but its line breaks and tabs);
    # the count character by character only for the others
    if sample.replace("\n", "").replace("\t", "").isprintable():
        printable = len(sample)
    else:
        printable = sum(1 for c in sample if c.isprintable() or c in "\n\t")
    if printable < MIN_PRINTABLE * len(sample):
        return DecodeProblem("binary", f"mostly non-printable characters ({got.encoding}): not a text article")
    return Decoded(text, got.encoding, got.truncated)


def _plausible(c: str) -> bool:
    o = ord(c)
    if o < 0x80:
        return c.isprintable() or c in "\n\r\t"
    if 0xFF61 <= o <= 0xFF9F:          # half-width katakana: what EUC-JP looks like read as CP932
        return False
    if 0xE000 <= o <= 0xF8FF or o == 0xFFFD:   # private use (CP932 user rows), replacement
        return False
    if 0xAC00 <= o <= 0xD7AF:          # Hangul syllables: what short EUC-JP looks like read as cp949
        return False
    cat = unicodedata.category(c)
    if cat[0] == "C":                  # controls (C1 from latin-1 misreads), unassigned, surrogates
        return False
    return (0x3000 <= o <= 0x30FF or 0x4E00 <= o <= 0x9FFF or 0xFF01 <= o <= 0xFF60 or 0xFFE0 <= o <= 0xFFEE
            or 0x00A0 <= o <= 0x024F or 0x0370 <= o <= 0x04FF or 0x2000 <= o <= 0x27BF or 0x3400 <= o <= 0x4DBF
            or 0x2E80 <= o <= 0x2FDF or 0x31F0 <= o <= 0x33FF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF)


def text_share(text: str) -> float:
    """The share of characters that a Japanese or English news page is made of (ASCII, kana,
    kanji, Japanese and general punctuation, full-width forms, Latin/Greek/Cyrillic letters);
    mojibake is mostly half-width katakana, private-use, Hangul or control characters."""
    if not text:
        return 0.0
    sample = text[:20000]
    return sum(map(_plausible, sample)) / len(sample)
