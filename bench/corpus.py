"""Deterministic benchmark corpora from the synthetic generator (timeline/synth.py), reused.

``ensure(n, seed, root)`` gives a folder holding

* ``articles/``  exactly ``n`` articles (Japanese and English pages, ~5 KB, page chrome noise),
* ``extra/``     ``ceil(n / 100)`` more articles of the same corpus (the "+1% new" re-run),
* ``truth.json`` the generator's truth restricted to those ``n + n/100`` files.

The generator draws events, not articles (≈2.7 articles per event): the number of events is
raised until the corpus holds enough articles, and the files past ``n + n/100`` (in the
generator's shuffled order) are dropped. A corpus is keyed by size, seed and a hash of the
generator's code, so a changed generator never reuses a stale corpus.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
ARTICLES_PER_EVENT = 2.7     # what the generator gives with its defaults (1–5 sources per event)
SHARD_ARTICLES = 20_000      # the generator's calendar (2021-02..2026-10) holds ~8,000 events (~22,000 articles)


@dataclass(frozen=True)
class Corpus:
    folder: Path
    n_articles: int
    n_extra: int
    mean_bytes: float
    ja_share: float
    generated_s: float | None      # None when reused

    @property
    def articles(self) -> Path:
        return self.folder / "articles"

    @property
    def extra(self) -> Path:
        return self.folder / "extra"

    @property
    def truth(self) -> Path:
        return self.folder / "truth.json"


def generator_hash() -> str:
    h = hashlib.sha256()
    for p in [_ROOT / "timeline" / "synth.py", *sorted((_ROOT / "seeds" / "reference").glob("*.yaml"))]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:10]


def ensure(n: int, seed: int, root: Path) -> Corpus:
    from timeline.synth import generate

    n_extra = max(1, math.ceil(n / 100))
    folder = Path(root) / f"n{n}-seed{seed}-{generator_hash()}"
    done = folder / "corpus.json"
    if done.exists():
        meta = json.loads(done.read_text())
        return Corpus(folder, meta["n_articles"], meta["n_extra"], meta["mean_bytes"], meta["ja_share"], None)
    t0 = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    want = n + n_extra
    # Past ~20,000 articles the corpus is made of shards with seeds seed*1000+i, their files and
    # event ids prefixed "sI-": the shards replay the same officials' calendar, so events of two
    # shards can look alike (dedup precision is not meaningful there; speed and memory are).
    shards = max(1, math.ceil(want / SHARD_ARTICLES))
    data: dict = {}
    pool: list[tuple[str, Path]] = []
    for i in range(shards):
        part = math.ceil(want / shards)
        gen = folder / f"gen{i}"
        shard_seed = seed if shards == 1 else seed * 1000 + i
        events = math.ceil(part / ARTICLES_PER_EVENT) + 2
        while True:
            truth = generate(events, shard_seed, gen)
            if len(truth.articles) >= part:
                break
            events = math.ceil(events * part / max(1, len(truth.articles)) * 1.02) + 1
        got = json.loads((gen / "truth.json").read_text(encoding="utf-8"))
        pre = "" if shards == 1 else f"s{i}-"
        if not data:
            data = {k: v for k, v in got.items() if k not in ("events", "articles", "article_meta")}
            data.update(events=[], articles={}, article_meta={})
        evs = got["events"]
        for ev in (evs.values() if isinstance(evs, dict) else evs):
            ev = dict(ev, event_id=pre + ev["event_id"])
            if isinstance(evs, dict):
                data["events"] = data["events"] or {}
                data["events"][ev["event_id"]] = ev
            else:
                data["events"].append(ev)
        for name in sorted(got["articles"])[:part]:
            meta = got["article_meta"][name]
            data["articles"][pre + name] = [pre + e for e in got["articles"][name]]
            data["article_meta"][pre + name] = dict(meta, views={pre + k: v for k, v in meta.get("views", {}).items()})
            pool.append((pre + name, gen / "articles" / name))
    names = sorted(x for x, _ in pool)[:want] if shards > 1 else [x for x, _ in pool][:want]
    where = dict(pool)
    keep, extra = names[:n], names[n:]
    for sub, group in (("articles", keep), ("extra", extra)):
        (folder / sub).mkdir(parents=True)
        for name in group:
            where[name].rename(folder / sub / name)
    chosen = set(names)
    data["articles"] = {k: v for k, v in data["articles"].items() if k in chosen}
    data["article_meta"] = {k: v for k, v in data["article_meta"].items() if k in chosen}
    data.setdefault("params", {})["bench_subset"] = {"articles": n, "extra": n_extra, "shards": shards}
    (folder / "truth.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for i in range(shards):
        shutil.rmtree(folder / f"gen{i}")
    metas = [data["article_meta"][k] for k in names]
    meta = {"n_articles": n, "n_extra": len(extra), "shards": shards, "seed": seed,
            "mean_bytes": sum(m["bytes"] for m in metas) / len(metas),
            "ja_share": sum(m["lang"] == "ja" for m in metas) / len(metas)}
    done.write_text(json.dumps(meta))
    return Corpus(folder, n, len(extra), meta["mean_bytes"], meta["ja_share"], time.perf_counter() - t0)
