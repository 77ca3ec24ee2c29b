"""Run accounting: every input of a run is stored or rejected, checked against the warehouse.

    inputs = new or changed + unchanged + duplicate names + rejected + lost,   lost = 0

`new or changed` and `unchanged` count distinct contents (articles), whether this run read them
or trusted its fetch cache (a 304, a local file of unchanged stat); a `duplicate name` is an
input whose content another input of the same run already holds (stored once, both names in
article_sources). Stored and rejected are read back from the warehouse after the load, so a
record that did not land shows up as lost instead of being assumed.
"""

from __future__ import annotations

from collections import Counter

import duckdb

__all__ = ["account", "format_accounting"]


def account(con: duckdb.DuckDBPyConnection, ingested, extracted: set[str]) -> dict:
    """`ingested`: the run's timeline.ingest.Ingested; `extracted`: article ids (re)extracted."""
    held = dict(con.execute("SELECT s.source_uri, s.article_id FROM article_sources s "
                            "JOIN articles a USING (article_id)").fetchall())
    reject_ids = {r for (r,) in con.execute("SELECT reject_id FROM rejects").fetchall()}
    stored = sum(1 for u, a in ingested.sources.items() if held.get(u) == a)
    rejected = sum(1 for r in ingested.rejects if r.reject_id in reject_ids)
    contents = ingested.contents    # what the inputs hold, read in this run or not (304, same stat)
    new = len(contents & set(extracted))
    return {
        "inputs": len(ingested.inputs),
        "articles_new_or_changed": new,
        "articles_unchanged": len(contents) - new,
        "duplicate_names": ingested.duplicates,
        "inputs_rejected": rejected,
        "lost": len(ingested.inputs) - stored - rejected,
        "rejected_by_reason": dict(sorted(Counter(r.reason for r in ingested.rejects).items())),
    }


def format_accounting(a: dict) -> str:
    line = (f"{a['inputs']} inputs = {a['articles_new_or_changed']} new or changed + {a['articles_unchanged']} "
            f"unchanged + {a['duplicate_names']} duplicate names + {a['inputs_rejected']} rejected; lost {a['lost']}")
    if a["rejected_by_reason"]:
        line += " (rejected: " + ", ".join(f"{k} {v}" for k, v in a["rejected_by_reason"].items()) + ")"
    return line
