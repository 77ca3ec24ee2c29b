"""Reliability suite: a folder of hostile inputs goes through the pipeline; every input is stored
or rejected with a reason, none is lost, and the seeds re-encoded in each Japanese legacy
encoding give the same text and the same events as their UTF-8 originals.

The folder is generated here (no binary junk committed). The report (inputs tried, stored,
rejected by reason, lost) is printed at the end of the test session and written to
test-artifacts/reliability-report.txt.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from conftest import FIXED_NOW, REPORTS, ROOT, SEEDS, run_stages
from timeline.decoding import Decoded, decode
from timeline.ingest import MAX_BYTES, ingest_all, ingest_file, redact, safe_uri

LEGACY = ("shift_jis", "cp932", "euc_jp", "iso2022_jp")
DEV = ROOT / "tests" / "fixtures" / "dev" / "articles"
GETA = "〓"   # the conventional stand-in for a character an encoding lacks (in every JIS encoding)
REPORT = ROOT / "test-artifacts" / "reliability-report.txt"
STORED = "stored"


def legacy_text(text: str, encoding: str) -> str:
    """The seed as a page in `encoding` would hold it: characters the encoding lacks (emoji,
    ①, •) become 〓; line endings as stored."""
    out = []
    for c in text.replace("\r\n", "\n"):
        try:
            c.encode(encoding)
            out.append(c)
        except UnicodeEncodeError:
            out.append(GETA)
    return "".join(out)


def _seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def build_hostile(src: Path, outside: Path) -> dict[str, object]:
    """Write the hostile folder; return source_uri → expected outcome: "stored",
    ("rejected", reason), ("rejected", None) for any reason, or None (either, but accounted)."""
    src.mkdir(parents=True)
    outside.mkdir(parents=True)
    expect: dict[str, object] = {}
    seeds = _seed_texts()
    seed3 = seeds["003_0bb852b01388ee52"]
    en = {p.stem: p.read_text(encoding="utf-8") for p in sorted(DEV.glob("en0*.txt"))}

    def put(name: str, data: bytes | str, outcome: object = STORED) -> Path:
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[safe_uri(str(path))] = outcome
        return path

    # the UTF-8 seeds, and each seed in each legacy encoding (characters it lacks as 〓)
    for stem, text in seeds.items():
        put(f"utf8/{stem}.txt", text)
        for enc in LEGACY:
            put(f"legacy/{enc}/{stem}.txt", legacy_text(text, enc).encode(enc))
    # nothing, or nothing readable
    put("empty.txt", b"", ("rejected", "empty"))
    put("whitespace.txt", b"  \n\t\r\n  \n", ("rejected", "empty"))
    put("binary.txt", bytes(range(256)) * 40, ("rejected", "binary"))
    put("png_named_txt.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 30, ("rejected", "binary"))
    put("nul_in_text.txt", seed3[:300].encode() + b"\x00" + seed3[300:].encode(), ("rejected", "binary"))
    put("huge.txt", b"a" * (MAX_BYTES + 1024 * 1024), ("rejected", "too_large"))
    put("no_suffix", seed3, ("rejected", "unsupported_type"))
    put("page.html", f"<html><body><script>alert(1)</script><p>{seed3}</p></body></html>", None)
    put("article.json", '{"title": "日米", "text": "' + seed3[:200].replace("\n", " ") + '"}', None)
    # broken or mixed encodings
    put("mixed_utf8_then_sjis.txt", seed3[:600].encode() + seed3[600:].encode("cp932"), ("rejected", "mixed_encoding"))
    put("mixed_sjis_then_eucjp.txt", seed3[:1500].encode("cp932") + seed3[1500:].encode("euc_jp"), ("rejected", None))
    put("one_bad_byte.txt", seed3[:400].encode() + b"\xff" + seed3[400:].encode(), ("rejected", "mixed_encoding"))
    put("truncated_mid_character.txt", seed3.encode()[:-2])
    put("truncated_sjis_mid_character.txt", seed3[:900].encode("cp932") + "日".encode("cp932")[:1])
    put("truncated_half.txt", seed3[: len(seed3) // 2])
    # other encodings and line conventions of the same article (duplicates of utf8/003 where exact)
    put("bom.txt", b"\xef\xbb\xbf" + seed3.encode())
    put("crlf.txt", seed3.replace("\n", "\r\n"))
    put("cr_only.txt", seed3.replace("\n", "\r"))
    put("utf16_bom.txt", seed3.encode("utf-16"))
    put("utf16_no_bom.txt", seed3.encode("utf-16-le"))
    put("euc_jp_short.txt", "日米防衛相会談を実施".encode("euc_jp"))           # charset_normalizer says cp949 here
    put("iso2022_halfwidth_kana.txt", "ﾆﾁﾍﾞｲ 日米防衛相会談を実施しました。".encode("iso2022_jp_ext"))
    put("cp1252_english.txt", en["en01_austin_kihara_readout_2024"].replace("’", "'").encode("cp1252"))
    # odd content
    put("one_line.txt", "2025年3月30日、中谷防衛大臣はヘグセス米国防長官と東京で日米防衛相会談を行いました。")
    put("no_events.txt", "防衛省の組織について\n防衛省は、わが国の平和と独立を守る組織です。各幕僚監部が置かれています。\n")
    put("no_date.txt", "日米防衛相電話会談\n中谷防衛大臣は、ヘグセス米国防長官と電話会談を行いました。両者は日米同盟の抑止力・対処力の強化を確認しました。\n")
    put("script_in_text.txt", "<script>alert('x')</script>\n" + seed3 + "\n<img src=x onerror=alert(1)>\n")
    put("control_characters.txt", "\x1b[2J\x1b[31m日米防衛相会談\x1b[0m \u202e逆方向\u202c\n" + seed3[:800])
    put("big_but_fine.txt", seed3 * 30)
    put("one_endless_sentence.txt", "日米防衛相会談を12月10日〜12日に開催した" * 4000)   # stored; read in bounded pieces
    # the same article under two names, and through a link inside the folder
    put("dup_a.txt", en["en02_hegseth_nakatani_release_2025"])
    put("dup_b.txt", en["en02_hegseth_nakatani_release_2025"])
    link_in = src / "link_inside.txt"
    link_in.symlink_to(src / "dup_a.txt")
    expect[str(link_in)] = STORED
    # names
    put("line\nbreak.txt", en["en03_joint_press_conference_2025"])
    raw = os.fsencode(str(src)) + b"/bad_\xff_name.txt"
    with open(raw, "wb") as f:
        f.write(en["en05_austin_kishi_call_readout_2021"].encode())
    expect[safe_uri(os.fsdecode(raw))] = STORED
    # a folder named like a file (its article is an input), and an empty one (no input)
    put("looks_like_a_file.txt/inner.txt", en["en06_rubio_iwaya_readout_2025"])
    (src / "empty_folder.txt").mkdir()
    (src / ".hidden.txt").write_text(seed3, encoding="utf-8")   # hidden names are skipped: not an input
    # links leaving the folder, broken links, link loops, pipes, unreadable files
    secret = outside / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-THE-SOURCE 日米防衛相会談\n" * 5, encoding="utf-8")
    for name, target in (("link_outside.txt", secret), ("link_to_etc", Path("/etc/hostname")),
                         ("link_folder_outside", outside)):
        (src / name).symlink_to(target)
        expect[str(src / name)] = ("rejected", "outside_source")
    (src / "broken_link.txt").symlink_to(src / "does_not_exist.txt")
    expect[str(src / "broken_link.txt")] = ("rejected", "unreadable")
    (src / "loop.txt").symlink_to(src / "loop.txt")
    expect[str(src / "loop.txt")] = ("rejected", None)
    os.mkfifo(src / "pipe.txt")
    expect[str(src / "pipe.txt")] = ("rejected", "not_a_file")
    locked = put("unreadable.txt", seed3[:500])
    locked.chmod(0)
    expect[str(locked)] = STORED if os.access(locked, os.R_OK) else ("rejected", "unreadable")  # root reads anyway
    return expect


def _outcomes(db: Path) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]], dict[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = dict(con.execute("SELECT s.source_uri, s.article_id FROM article_sources s "
                                  "JOIN articles a USING (article_id)").fetchall())
        rejected: dict[str, list[tuple[str, str]]] = {}
        for uri, stage, reason, detail in con.execute("SELECT source_uri, stage, reason, detail FROM rejects").fetchall():
            rejected.setdefault(uri, []).append((stage, reason, detail))
        texts = dict(con.execute("SELECT article_id, text FROM articles").fetchall())
    finally:
        con.close()
    return stored, rejected, texts


def _report(expect: dict, stored: dict, rejected: dict, accounting: dict) -> str:
    ingest_rejects = {u: next(r for r in rs if r[0] == "ingest") for u, rs in rejected.items()
                      if any(r[0] == "ingest" for r in rs) and u in expect}
    later = Counter(r[1] for u, rs in rejected.items() if u in stored for r in rs if r[0] != "ingest")
    lost = [u for u in expect if u not in stored and u not in ingest_rejects]
    by_reason = Counter(r[1] for r in ingest_rejects.values())
    lines = [
        "reliability report (tests/test_reliability.py)",
        f"  inputs tried    {len(expect):>4}",
        f"  stored          {sum(1 for u in expect if u in stored and u not in ingest_rejects):>4}"
        f"   ({len({stored[u] for u in expect if u in stored})} distinct articles; "
        f"{accounting['duplicate_names']} duplicate names)",
        f"  rejected        {len(ingest_rejects):>4}",
        *(f"    {reason:<20}{n:>4}" for reason, n in sorted(by_reason.items())),
        f"  lost            {len(lost):>4}",
        "  stored, with a later-stage reject: " + (", ".join(f"{k} {v}" for k, v in sorted(later.items())) or "none"),
        "",
        "  per input:",
    ]
    for uri in sorted(expect):
        name = os.path.relpath(uri, os.path.commonpath(list(expect))).replace("\n", "\\n")
        if uri in ingest_rejects:
            _, reason, detail = ingest_rejects[uri]
            lines.append(f"    {name:<52} rejected  {reason}: {detail[:90]}")
        elif uri in stored:
            extra = [r[1] for r in rejected.get(uri, [])]
            lines.append(f"    {name:<52} stored    {stored[uri]}" + (f"  ({', '.join(extra)})" if extra else ""))
        else:
            lines.append(f"    {name:<52} LOST")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    src, db = base / "src", base / "wh" / "timeline.duckdb"
    db.parent.mkdir()
    expect = build_hostile(src, base / "outside")
    old = os.environ.get("TIMELINE_EXTRACT_TIMEOUT")
    os.environ["TIMELINE_EXTRACT_TIMEOUT"] = "20"  # bounded sentences: the endless one takes about a second
    try:
        counts = run_stages(src, db)
    finally:
        if old is None:
            del os.environ["TIMELINE_EXTRACT_TIMEOUT"]
        else:
            os.environ["TIMELINE_EXTRACT_TIMEOUT"] = old
    yield base, src, db, expect, counts
    for p in src.rglob("*"):   # let tmp cleanup remove the unreadable file
        if p.is_file() and not p.is_symlink():
            p.chmod(0o644)


def test_hostile_folder_every_input_is_stored_or_rejected(hostile_run, request):
    base, src, db, expect, counts = hostile_run
    stored, rejected, texts = _outcomes(db)
    acc = counts["accounting"]
    report = _report(expect, stored, rejected, acc)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    summary = report.split("\n\n  per input:")[0] + f"\n  (every input, with its reason: {REPORT.relative_to(ROOT)})\n"
    request.config.stash.setdefault(REPORTS, []).append(("reliability report", summary))
    print(report)
    assert len(expect) >= 30
    # the accounting the run reports: every input accounted, nothing lost
    assert acc["inputs"] == len(expect)
    assert acc["lost"] == 0
    assert acc["inputs"] == (acc["articles_new_or_changed"] + acc["articles_unchanged"] + acc["duplicate_names"]
                             + acc["inputs_rejected"])
    # …and the warehouse agrees, input by input
    for uri, want in expect.items():
        ingest_reasons = [r for (stage, r, _) in rejected.get(uri, []) if stage == "ingest"]
        assert uri in stored or ingest_reasons, f"lost: {uri!r}"
        assert not (uri in stored and ingest_reasons) or want is None, f"both stored and rejected: {uri!r}"
        if want == STORED:
            assert uri in stored and not ingest_reasons, (uri, rejected.get(uri))
        elif isinstance(want, tuple):
            assert ingest_reasons and uri not in stored, (uri, stored.get(uri))
            if want[1] is not None:
                assert ingest_reasons == [want[1]], (uri, ingest_reasons)
    # every reason says something to a person
    for rs in rejected.values():
        for stage, reason, detail in rs:
            assert reason and detail and len(detail) > 10, (stage, reason, detail)
    # the endless sentence is stored and read in bounded pieces, well within the time limit
    endless = str(src / "one_endless_sentence.txt")
    assert endless in stored and endless not in rejected
    # nothing outside the source folder was read into the warehouse
    assert not any("SECRET-OUTSIDE-THE-SOURCE" in t for t in texts.values())
    hostname = Path("/etc/hostname").read_text() if Path("/etc/hostname").exists() else None
    assert hostname is None or all(t != hostname for t in texts.values())


def test_each_legacy_encoding_stores_the_same_text_as_its_utf8_original(hostile_run):
    base, src, db, expect, counts = hostile_run
    stored, _, texts = _outcomes(db)
    for stem, text in _seed_texts().items():
        original = stored[str(src / "utf8" / f"{stem}.txt")]
        for enc in LEGACY:
            got = stored[str(src / "legacy" / enc / f"{stem}.txt")]
            assert texts[got] == legacy_text(text, enc), (stem, enc)
            if legacy_text(text, enc) == text:       # nothing the encoding lacks: the very same article
                assert got == original, (stem, enc)
    seed3 = _seed_texts()["003_0bb852b01388ee52"]
    for name in ("bom.txt", "crlf.txt", "cr_only.txt", "utf16_bom.txt", "utf16_no_bom.txt"):
        assert stored[str(src / name)] == stored[str(src / "utf8" / "003_0bb852b01388ee52.txt")], name
    assert texts[stored[str(src / "euc_jp_short.txt")]] == "日米防衛相会談を実施"
    assert texts[stored[str(src / "iso2022_halfwidth_kana.txt")]].startswith("ﾆﾁﾍﾞｲ 日米")
    assert texts[stored[str(src / "truncated_mid_character.txt")]] == seed3.encode()[:-2].decode("utf-8", "ignore")
    assert texts[stored[str(src / "truncated_sjis_mid_character.txt")]] == seed3[:900]


def test_duplicate_names_are_stored_once_with_every_name_recorded(hostile_run):
    base, src, db, expect, counts = hostile_run
    stored, _, _ = _outcomes(db)
    names = [str(src / "dup_a.txt"), str(src / "dup_b.txt"), str(src / "link_inside.txt")]
    assert len({stored[n] for n in names}) == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles WHERE article_id = ?", [stored[names[0]]]).fetchone() == (1,)
    finally:
        con.close()


def test_a_second_run_on_the_hostile_folder_changes_nothing(hostile_run, tmp_path):
    base, src, db, expect, counts = hostile_run
    copy = tmp_path / "timeline.duckdb"
    shutil.copy(db, copy)
    before = _outcomes(copy)
    again = run_stages(src, copy)
    acc = again["accounting"]
    assert acc["lost"] == 0 and acc["articles_new_or_changed"] == 0 and again["events_created"] == 0
    assert acc["articles_unchanged"] + acc["duplicate_names"] + acc["inputs_rejected"] == acc["inputs"] == len(expect)
    assert _outcomes(copy) == before


def _events(source: Path, quote=lambda t: t, undated_ids: bool = True) -> list[tuple]:
    """What dedupe makes of the articles under `source`: event id, kind, dates, status, medium,
    title, participants and outcomes; `quote` maps quoted text (titles, outcome sentences)
    before comparing; without `undated_ids` the ids of undated events (which hash their
    article's content) are left out."""
    from timeline.dedupe import dedupe
    from timeline.validate import extract_all

    got = ingest_all(source, FIXED_NOW)
    mentions, _ = extract_all(got.articles, FIXED_NOW)
    events = dedupe(mentions)
    people: dict[str, list] = {}
    for p in events.participants:
        people.setdefault(p.event_id, []).append(p.person_key)
    outcomes: dict[str, list] = {}
    for o in events.outcomes:
        outcomes.setdefault(o.event_id, []).append((o.kind.value, quote(o.text)))
    return sorted((m.event_id if undated_ids or m.start_date else "undated", m.event_type.value, m.start_date, m.end_date, m.status.value, m.medium.value,
                   quote(m.title_ja or ""), sorted(people.get(m.event_id, [])), sorted(outcomes.get(m.event_id, [])))
                  for m in events.meetings)


@pytest.mark.parametrize("encoding", LEGACY)
def test_seeds_in_a_legacy_encoding_give_the_same_events_as_in_utf8(tmp_path, encoding):
    utf8, legacy = tmp_path / "utf8", tmp_path / encoding
    utf8.mkdir()
    legacy.mkdir()
    for stem, text in _seed_texts().items():
        (utf8 / f"{stem}.txt").write_text(legacy_text(text, encoding), encoding="utf-8")
        (legacy / f"{stem}.txt").write_bytes(legacy_text(text, encoding).encode(encoding))
    from_legacy = _events(legacy)
    assert from_legacy and from_legacy == _events(utf8)
    # and the same as the untouched seeds: 〓 in place of an emoji or ① changes no event, only
    # the quotes that held one and the content hash in the ids of undated events
    def without_standins(t: str) -> str:
        return legacy_text(t, encoding).replace(GETA, "").strip()

    assert _events(legacy, without_standins, undated_ids=False) == _events(SEEDS, without_standins, undated_ids=False)


@pytest.mark.parametrize("encoding", LEGACY)
def test_short_japanese_lines_decode_in_every_legacy_encoding(encoding):
    lines = {ln for text in _seed_texts().values() for ln in legacy_text(text, encoding).splitlines() if ln.strip()}
    wrong = []
    for ln in sorted(lines):
        got = decode(ln.encode(encoding))
        if not (isinstance(got, Decoded) and got.text == ln):
            wrong.append((ln, got))
    assert not wrong, wrong[:5]


def test_one_input_per_outcome_and_ingest_never_raises(tmp_path, monkeypatch):
    """An unexpected error inside ingest becomes a reject; a Pydantic failure lists the fields."""
    import timeline.ingest as ingest
    from timeline.ingest import PageMeta

    (tmp_path / "a.txt").write_text(_seed_texts()["003_0bb852b01388ee52"], encoding="utf-8")
    (tmp_path / "b.txt").write_text("日米防衛相会談を実施しました。", encoding="utf-8")
    naive = __import__("datetime").datetime(2025, 1, 1)
    monkeypatch.setattr(ingest, "read_metadata", lambda text, lines, uri="", fetched=None: PageMeta("t", None, ingest.Language.ja, naive, "x"))
    got = ingest_file(tmp_path / "a.txt", FIXED_NOW)
    assert got.reason == "invalid_article" and "published_at" in got.detail and "timezone" in got.detail
    monkeypatch.setattr(ingest, "decode", lambda data: 1 / 0)
    got = ingest_file(tmp_path / "b.txt", FIXED_NOW)
    assert got.reason == "ingest_error" and "ZeroDivisionError" in got.detail
    result = ingest_all(tmp_path, FIXED_NOW)
    assert len(result.inputs) == 2 and len(result.rejects) == 2 and not result.articles


def test_extractor_errors_crashes_and_invalid_records_become_rejects(monkeypatch):
    """One article raising, one killing its extractor process and one giving an invalid record:
    each becomes a reject with a reason; the other articles' events are kept."""
    import signal

    import timeline.extract as extract_mod
    from timeline.ingest import build_article
    from timeline.validate import extract_all

    real = extract_mod.extract
    arts = [build_article(f"{i}.txt", t, FIXED_NOW) for i, t in enumerate(_seed_texts().values())]
    raising, crashing, invalid = arts[0].article_id, arts[1].article_id, arts[2].article_id

    def hostile_extract(a):
        if a.article_id == raising:
            raise RuntimeError("boom")
        if a.article_id == crashing:
            os.kill(os.getpid(), signal.SIGKILL)
        found = real(a)
        if a.article_id == invalid and found:
            bad = found[0].evidence.model_copy(update={"char_start": found[0].evidence.char_start + 1})
            found = [found[0].model_copy(update={"evidence": bad}), *found[1:]]
        return found

    monkeypatch.setattr(extract_mod, "extract", hostile_extract)
    mentions, rejects = extract_all(arts, FIXED_NOW)
    reasons = {r.source_uri: r.reason for r in rejects}
    assert reasons == {"0.txt": "extractor_error", "1.txt": "extractor_crashed", "2.txt": "invalid_mention"}
    assert "RuntimeError: boom" in next(r.detail for r in rejects if r.source_uri == "0.txt")
    assert "evidence" in next(r.detail for r in rejects if r.source_uri == "2.txt")
    assert {m.article_id for m in mentions} >= {arts[3].article_id, arts[4].article_id}


def test_uris_never_carry_credentials_or_undecodable_bytes():
    assert safe_uri("https://user:pw@example.com/a?id=3&token=abc&api_key=k") == \
        "https://example.com/a?id=3&token=REDACTED&api_key=REDACTED"
    assert safe_uri("https://example.com/a?id=3") == "https://example.com/a?id=3"
    assert safe_uri(os.fsdecode(b"/x/bad_\xff.txt")) == "/x/bad_\\xff.txt"
    assert redact("http://u:hunter2@h:9/x?token=abc&id=1: refused (see https://a:b@h/p?secret=1).") == \
        "http://h:9/x?token=REDACTED&id=1: refused (see https://h/p?secret=REDACTED)."


def test_a_failed_fetch_keeps_no_secret_in_its_reject():
    from timeline.sources import FetchOptions, Fetcher, fetch_item

    with Fetcher(FetchOptions(timeout=2, retries=0)) as f:
        got = fetch_item("http://user:hunter2@127.0.0.1:9/x?token=abc123&id=1", FIXED_NOW, f)
    assert got.rejects
    for r in got.rejects:
        assert "hunter2" not in r.source_uri + r.detail and "abc123" not in r.source_uri + r.detail, r


def test_the_pipeline_writes_only_inside_its_warehouse_folder(tmp_path):
    """Source names and contents cannot steer a write: after a run on names like `..`, `~` and
    paths inside articles, only the warehouse folder changed; the sources are untouched."""
    src, wh, elsewhere = tmp_path / "src", tmp_path / "wh", tmp_path / "elsewhere"
    for d in (src, wh, elsewhere):
        d.mkdir()
    seed = _seed_texts()["003_0bb852b01388ee52"]
    for name in ("..txt", "~.txt", "-rf.txt", "$HOME.txt", "con.txt", "%2e%2e%2fescape.txt", "a b.txt"):
        (src / name).write_text(f"../../elsewhere/owned.txt\n{tmp_path}/elsewhere/owned\n" + seed, encoding="utf-8")
    (src / "nested").mkdir()
    (src / "nested" / "..\\..\\escape.txt").write_text(seed, encoding="utf-8")

    def tree(root: Path) -> dict[str, tuple]:
        return {str(p.relative_to(root)): (p.is_symlink(), p.stat().st_mtime_ns if not p.is_symlink() else 0,
                                           p.read_bytes() if p.is_file() and not p.is_symlink() else b"")
                for p in root.rglob("*")}

    before = tree(tmp_path)
    run_stages(src, wh / "timeline.duckdb")
    after = tree(tmp_path)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed and all(k.startswith("wh/") or k == "wh" for k in changed), sorted(changed)[:10]
    assert not list(elsewhere.iterdir())


def test_the_flows_source_path_gives_every_hostile_input_an_outcome(hostile_run):
    """The flow reads folders through timeline/sources.py (expand → fetch_item, which adds .html
    and .json): every hostile input is an item there too, and each ends as articles or rejects,
    the same as ingest_all for everything but those two types."""
    from timeline.sources import expand, fetch_item

    base, src, db, expect, counts = hostile_run
    items, rejects, roots = expand([str(src)], FIXED_NOW)
    assert not rejects
    assert {safe_uri(i) for i in items} == set(expect)
    direct = {x.source_uri: x for x in ingest_all(src, FIXED_NOW).rejects}
    for item in items:
        got = fetch_item(item, FIXED_NOW, root=roots.get(item))
        assert got.articles or got.rejects, item
        uri = safe_uri(item)
        if Path(item).suffix.lower() not in (".html", ".json"):
            if uri in direct:
                assert [r.reason for r in got.rejects] == [direct[uri].reason], item
            else:
                assert got.articles and not got.rejects, item


def test_an_article_past_the_time_limit_is_stored_and_its_extraction_rejected():
    """The watchdog itself: with a limit far below what extraction needs (1 ms against ~10 ms),
    the article's extraction is rejected as extract_timeout, the worker is replaced, and the next
    article under a normal limit is extracted as usual."""
    from timeline.ingest import ingest_file
    from timeline.validate import extract_all

    a, b = (ingest_file(p, FIXED_NOW) for p in sorted(SEEDS.glob("*.txt"))[3:5])
    mentions, rejects = extract_all([a], FIXED_NOW, timeout=0.001)
    assert mentions == [] and [r.reason for r in rejects] == ["extract_timeout"]
    assert a.source_uri == rejects[0].source_uri and "longer than" in rejects[0].detail
    mentions, rejects = extract_all([b], FIXED_NOW, timeout=30)
    assert mentions and rejects == []
