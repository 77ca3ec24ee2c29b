"""Before/after equivalence of the warehouse tables a flow run writes, for changes to how the
flow gets there (streaming, batching) that must not change what it writes.

    .venv/bin/python -m bench.tables_equivalence record bench/.work/tables-main.json   # code before
    .venv/bin/python -m bench.tables_equivalence check  bench/.work/tables-main.json   # code after

Runs the Prefect flow (`python -m timeline.cli run`, from the code tree given by --code, default
this one) twice on a fixed folder: cold on every article of seeds/articles, tests/fixtures/*/
(negative included: rejects) and the first ``--bench N`` (default 3,000) files of the
10,000-article bench corpus; then again after adding the next ``--extra`` (default 60) bench
files, so the incremental path is compared too. After each run every table is dumped (rows
sorted; the clock's columns — ingested_at, rejected_at — and the runs and fetch_cache tables left
out), and `check` lists every table whose rows differ, with a few differing rows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
STAGE = Path("/tmp/timeline-tables-equivalence")
TABLES = ("articles", "article_sources", "mention_records", "mentions", "meetings", "participants", "outcomes",
          "dedupe_decisions", "event_redirects", "rejects")
CLOCK = {"ingested_at", "rejected_at"}


def _sources(bench_n: int, extra: int, corpus_dir: Path) -> tuple[list[Path], list[Path]]:
    first = [p for p in sorted((ROOT / "seeds" / "articles").iterdir()) if p.is_file()]
    for folder in sorted(FIXTURES.glob("*/articles")) + [FIXTURES / "negative"]:
        first += [p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix != ".md"]
    bench = sorted(corpus_dir.iterdir())
    return first + bench[:bench_n], bench[bench_n:bench_n + extra]


def _copy(files: list[Path], dst: Path) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for p in files:
        label = p.parent.parent.name if p.parent.name == "articles" else p.parent.name
        shutil.copyfile(p, dst / f"{label}--{p.name}")


def dump(db: Path) -> dict[str, list]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in TABLES:
            cols = [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall() if r[0] not in CLOCK]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall()
            out[t] = sorted(json.dumps(dict(zip(cols, r)), default=str, ensure_ascii=False, sort_keys=True) for r in rows)
        return out
    finally:
        con.close()


def run(code: Path, src: Path, db: Path) -> None:
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120", "PYTHONPATH": str(code)}
    subprocess.run([sys.executable, "-m", "timeline.cli", "run", "--source", str(src), "--warehouse", str(db)],
                   cwd=code, env=env, check=True, stdout=subprocess.DEVNULL)


def measure(code: Path, bench_n: int, extra: int, corpus_dir: Path) -> dict:
    first, more = _sources(bench_n, extra, corpus_dir)
    if STAGE.exists():
        shutil.rmtree(STAGE)
    src, db = STAGE / "src", STAGE / "wh" / "timeline.duckdb"
    _copy(first, src)
    # rejects (an empty file, a binary one) and one content under two names
    (src / "zz-empty.txt").write_bytes(b"")
    (src / "zz-binary.txt").write_bytes(bytes(range(256)) * 64)
    shutil.copyfile(more[-1], src / "zz-dup-a.txt")
    shutil.copyfile(more[-1], src / "zz-dup-b.txt")
    run(code, src, db)
    out = {"cold": dump(db)}
    _copy(more, src)
    # a source whose content changed: its old article and events are replaced
    victim = sorted(src.glob(f"{corpus_dir.parent.name}--*"))[0]
    victim.write_bytes(more[0].read_bytes())
    run(code, src, db)
    out["incr"] = dump(db)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("record", "check"))
    ap.add_argument("file", type=Path)
    ap.add_argument("--code", type=Path, default=ROOT, help="the code tree to run (default: this one)")
    ap.add_argument("--bench", type=int, default=3000)
    ap.add_argument("--extra", type=int, default=60)
    ap.add_argument("--corpus", type=Path, help="the bench corpus's articles folder (default: bench/corpus.py)")
    args = ap.parse_args(argv)
    corpus_dir = args.corpus
    if corpus_dir is None:
        sys.path.insert(0, str(ROOT))
        from bench import corpus

        corpus_dir = corpus.ensure(10_000, 7, ROOT / "bench" / ".work" / "corpora").articles
    got = measure(args.code.resolve(), args.bench, args.extra, corpus_dir)
    if args.mode == "record":
        args.file.write_text(json.dumps(got, ensure_ascii=False))
        for phase, tables in got.items():
            print(phase, {t: len(rows) for t, rows in tables.items()})
        return 0
    want = json.loads(args.file.read_text())
    bad = 0
    for phase in want:
        for t in TABLES:
            a, b = want[phase][t], got[phase][t]
            same = a == b
            digest = hashlib.sha256("\n".join(b).encode()).hexdigest()[:12]
            print(f"{phase:5s} {t:18s} {len(b):7d} rows {digest} {'same' if same else 'DIFFERENT'}")
            if not same:
                bad += 1
                sa, sb = set(a), set(b)
                for r in sorted(sa - sb)[:3]:
                    print("   before only:", r[:300])
                for r in sorted(sb - sa)[:3]:
                    print("   after only: ", r[:300])
    print("identical" if not bad else f"{bad} table(s) differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
