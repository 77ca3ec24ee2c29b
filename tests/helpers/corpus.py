"""Shared checks for the development corpora (tests/fixtures/dev2, dev3): the gold's strings are
slices of their articles, and the pipeline's scores stay inside floors and ceilings."""

from __future__ import annotations

from pathlib import Path

from timeline.evaluate import load_gold


def assert_gold_is_valid(root: Path, gold_name: str) -> None:
    gold = load_gold(root / gold_name)
    texts = {p.name: p.read_text(encoding="utf-8") for p in (root / "articles").glob("*.txt")}
    for e in gold["events"]:
        for m in e["mentions"]:
            assert m["evidence"] in texts[m["file"]], m["evidence"]
        for o in e["outcomes"]:
            assert any(o["key"] in texts[m["file"]] for m in e["mentions"]), o["key"]
    for n in gold["not_events"]:
        assert n["text"] in texts[n["file"]]


def assert_within_bounds(metrics: dict, floors: dict[str, float], ceilings: dict[str, int]) -> None:
    low = {k: (metrics.get(k), f) for k, f in floors.items() if (metrics.get(k) or 0) < f}
    high = {k: (metrics.get(k), c) for k, c in ceilings.items() if metrics.get(k, 0) > c}
    assert not low and not high, f"below floor: {low}; above ceiling: {high}"


def assert_scores_within_bounds(root: Path, gold_name: str, db: Path, floors: dict[str, float],
                                ceilings: dict[str, int]) -> None:
    """Run the stages on the corpus's articles into `db`, score it against its gold, check the bounds."""
    from test_dev_corpus import run_pipeline
    from timeline.evaluate import evaluate

    run_pipeline(root / "articles", db)
    assert_within_bounds(evaluate(db, root / gold_name), floors, ceilings)
