"""Extraction alone (extract + validate, one core), A/B between source trees, alternately.

    .venv/bin/python bench/extract_speed.py                          # this tree, 3 rounds
    .venv/bin/python bench/extract_speed.py --code ../wt-base --code .  --rounds 5
    .venv/bin/python bench/extract_speed.py --profile 30            # cProfile, top 30 by tottime

The articles are the first ``--n`` (default 1,000) files of the 10,000-article bench corpus,
ingested before timing, exactly as `make bench` samples them (bench/run.py: sample_articles,
extraction_speed). Each (tree, round) runs in a fresh process so the trees never share
imported modules; the rounds alternate between the trees so that a machine shared with other
work loads both alike. Prints articles/s per run and the median per tree, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def _one(code: Path, n: int, profile: int) -> dict:
    """Runs inside the child: import the tree under test, then time it."""
    sys.path.insert(0, str(code))
    from bench.run import extraction_speed, sample_articles  # noqa: the tree's own bench module

    corpus = sorted((HERE / "bench" / ".work" / "corpora").glob("n10000-seed7-*"))
    if not corpus:
        from bench import corpus as corpora

        corpus = [corpora.ensure(10_000, 7, HERE / "bench" / ".work" / "corpora").folder]
    arts = sample_articles(corpus[-1] / "articles", n)
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        res = extraction_speed(arts)
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(profile)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(profile)
    else:
        cpu = time.process_time()
        res = extraction_speed(arts)
        # CPU seconds of this process: less disturbed than wall time when others load the machine
        res["cpu_articles_per_s"] = round(res["articles"] / (time.process_time() - cpu), 1)
    res.pop("per_article")
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--code", type=Path, action="append", help="source tree(s) to time (default: this one)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--profile", type=int, default=0, help="cProfile one run, print this many functions")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_one(args.child.resolve(), args.n, args.profile)))
        return 0
    codes = [c.resolve() for c in (args.code or [HERE])]
    rounds = 1 if args.profile else args.rounds
    got: dict[Path, list[float]] = {c: [] for c in codes}
    cpu: dict[Path, list[float]] = {c: [] for c in codes}
    for r in range(rounds):
        for c in codes:
            out = subprocess.run([sys.executable, __file__, "--child", str(c), "--n", str(args.n),
                                  "--profile", str(args.profile)], cwd=c, check=True, capture_output=True, text=True,
                                 env={**os.environ, "PYTHONHASHSEED": "0"})
            if args.profile:
                print(out.stderr)
            res = json.loads(out.stdout.strip().splitlines()[-1])
            got[c].append(res["articles_per_s_per_core"])
            cpu[c].append(res.get("cpu_articles_per_s", 0.0))
            print(f"round {r + 1} {c}: {res['articles_per_s_per_core']} articles/s, {cpu[c][-1]} per CPU s ({res['seconds']} s, "
                  f"{res['articles']} articles), load {os.getloadavg()[0]:.2f}", flush=True)
    for c, xs in got.items():
        print(f"median {c}: {statistics.median(xs):.1f} articles/s wall, {statistics.median(cpu[c]):.1f} per CPU s, "
              f"over {len(xs)} runs {xs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
