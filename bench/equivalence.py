"""Before/after equivalence of ingest + extract + validate, for changes meant to be speed-only.

    .venv/bin/python -m bench.equivalence record bench/.work/equiv-main.jsonl   # with the code before
    .venv/bin/python -m bench.equivalence check  bench/.work/equiv-main.jsonl   # after each change

Runs every article of seeds/articles, tests/fixtures/*/articles (dev, dev2, …),
tests/fixtures/negative and the first ``--bench N`` (default 2,000) files of the 10,000-article
bench corpus (bench/corpus.py, generated once under bench/.work) through `ingest_file`, then
`extract` and `validate`, and writes one JSON line per article: the Article (or the Rejection)
as stored, the page's lines and sentences as `split_lines` and `segment` see them (kind, block,
offsets, normalised text), and the validated EventMentions and Rejections. `check` recomputes
the same and lists every article whose line differs (with the first differing key), so a
refactoring of the extractor can be shown to change nothing at all. The golden files
(tests/golden) only cover the seeds, and only a summary of each mention.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
FIXTURES = ROOT / "tests" / "fixtures"
SETS = {"seeds": ROOT / "seeds" / "articles",
        **{p.parent.name: p for p in sorted(FIXTURES.glob("*/articles"))},   # dev, dev2, dev3, …
        "negative": FIXTURES / "negative"}


def files(bench_n: int, work: Path, corpus_dir: Path | None = None) -> list[tuple[str, Path, Path]]:
    """(label, file, root) of every article checked, in a fixed order. The files are copied to
    one fixed folder first: a source_uri (and so a rejection's id) holds the file's path, which
    must not differ between the two trees compared."""
    found = []
    for label, folder in SETS.items():
        found += [(label, p) for p in sorted(folder.iterdir()) if p.is_file() and p.suffix != ".md"]
    if bench_n:
        if corpus_dir is None:
            from bench import corpus

            corpus_dir = corpus.ensure(10_000, 7, work / "corpora").articles
        found += [("bench", p) for p in sorted(corpus_dir.iterdir())[:bench_n]]
    stage = Path(tempfile.gettempdir()) / "timeline-equivalence"
    out = []
    for label, p in found:
        dst = stage / label / p.name
        if not dst.exists() or dst.read_bytes() != p.read_bytes():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dst)
        out.append((f"{label}/{p.name}", dst, stage / label))
    return out


def record(path: Path, root: Path) -> dict:
    """Everything the extractor's speed work must leave unchanged, for one article file."""
    from timeline.extract import extract
    from timeline.ingest import ingest_file
    from timeline.text import segment, split_lines
    from timeline.validate import validate

    got = ingest_file(path, NOW, root=root)
    if not hasattr(got, "text"):
        return {"rejected": got.model_dump(mode="json")}
    lines = split_lines(got.text)
    sents = segment(got.text, lines)
    out = {
        "article": got.model_dump(mode="json"),
        "lines": [[ln.start, ln.end, ln.kind, ln.block, ln.reason] for ln in lines],
        # the offset map only where normalisation moved characters (it is the identity otherwise)
        "sentences": [[s.start, s.end, s.kind, s.block, s.line, s.norm.text,
                       None if list(s.norm.raw_index) == list(range(len(s.text) + 1)) else list(s.norm.raw_index)]
                      for s in sents],
    }
    try:
        ok, bad = validate(got, extract(got), NOW)
        out["mentions"] = [m.model_dump(mode="json") for m in ok]
        out["rejects"] = [r.model_dump(mode="json") for r in bad]
    except Exception as exc:  # an extractor error is an outcome too (the flow rejects the article)
        out["error"] = f"{type(exc).__name__}: {exc}"
    return out


def _first_difference(a, b, where: str = "") -> str:
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                return f"{where}.{k}: only in {'after' if k in b else 'before'}"
            if a[k] != b[k]:
                return _first_difference(a[k], b[k], f"{where}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return f"{where}: {str(a)[:200]!r} vs {str(b)[:200]!r}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench.equivalence", description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("record", "check"))
    ap.add_argument("baseline", type=Path, help="JSON-lines file: written by record, read by check")
    ap.add_argument("--bench", type=int, default=2000, help="files of the 10,000-article bench corpus (0: none)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    ap.add_argument("--corpus", type=Path, help="an articles folder to take the bench files from "
                                                 "(default: the 10,000-article corpus of the current generator)")
    args = ap.parse_args(argv)
    todo = files(args.bench, args.work, args.corpus)
    t0 = time.perf_counter()
    if args.mode == "record":
        args.baseline.parent.mkdir(parents=True, exist_ok=True)
        with args.baseline.open("w", encoding="utf-8") as f:
            for label, path, root in todo:
                f.write(json.dumps({"file": label, **record(path, root)}, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"recorded {len(todo)} articles in {time.perf_counter() - t0:.1f} s: {args.baseline}")
        return 0
    before = {}
    with args.baseline.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            before[row["file"]] = row
    differ = []
    for label, path, root in todo:
        now = json.loads(json.dumps({"file": label, **record(path, root)}, ensure_ascii=False, sort_keys=True))
        if label not in before:
            differ.append(f"{label}: not in the baseline")
        elif now != before[label]:
            differ.append(f"{label}: {_first_difference(before[label], now)}")
    missing = set(before) - {label for label, _, _ in todo}
    differ += [f"{label}: in the baseline only" for label in sorted(missing)]
    n_mentions = sum(len(r.get("mentions", [])) for r in before.values())
    print(f"checked {len(todo)} articles ({n_mentions} mentions in the baseline) in {time.perf_counter() - t0:.1f} s: "
          + ("identical" if not differ else f"{len(differ)} differ"))
    for d in differ[:50]:
        print("  " + d)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
