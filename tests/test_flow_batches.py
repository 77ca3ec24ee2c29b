"""Batch sizes of the flow's mapped tasks (flows/build_timeline.py): small runs keep --batch-size,
big runs grow to about n / 16 articles a task, at most 500 (bench/run.py measured why)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("n,batch,want", [(0, 25, 25), (5, 25, 25), (400, 25, 25), (1_000, 25, 63), (10_000, 25, 500),
                                          (100_000, 25, 500), (10_000, 1_000, 1_000), (16 * 40 + 1, 25, 41)])
def test_extract_batch_size(n, batch, want):
    from flows.build_timeline import extract_batch_size

    assert extract_batch_size(n, batch) == want


def test_grown_batches_cover_every_item_once():
    from flows.build_timeline import _batches, extract_batch_size

    items = list(range(10_001))
    got = _batches(items, extract_batch_size(len(items), 25))
    assert [x for b in got for x in b] == items and len(got) == 21
