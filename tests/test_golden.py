"""One golden file per seed article: what the extractor reads out of it, reviewed by a person.

Regenerate after an intended change with `TIMELINE_UPDATE_GOLDEN=1 make test-fast`, then read the
diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import FIXED_NOW, SEEDS
from timeline.extract import extract
from timeline.ingest import ingest_file

GOLDEN = Path(__file__).parent / "golden"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _summary(path: Path) -> dict:
    article = ingest_file(path, FIXED_NOW)
    return {
        "title": article.title,
        "site": article.site,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "language": article.language.value,
        "events": [
            {
                "event_type": m.event_type.value, "medium": m.medium.value, "status": m.status.value,
                "start_date": str(m.start_date) if m.start_date else None,
                "end_date": str(m.end_date) if m.end_date else None,
                "date_precision": m.date_precision.value,
                "start_time": m.start_time.strftime("%H:%M") if m.start_time else None,
                "duration_minutes": m.duration_minutes, "location": m.location,
                "evidence": m.evidence.text,
                "participants": sorted(f"{p.name_ja} / {p.name_en} / {p.role.value}" for p in m.participants),
                "outcomes": [f"{o.kind.value}: {o.span.text}" for o in m.outcomes],
            }
            for m in extract(article)
        ],
    }


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.stem for p in SEED_FILES])
def test_seed_article_matches_its_golden_file(path):
    golden = GOLDEN / f"{path.stem}.json"
    got = _summary(path)
    if os.environ.get("TIMELINE_UPDATE_GOLDEN") == "1":
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with TIMELINE_UPDATE_GOLDEN=1 and review it"
    assert got == json.loads(golden.read_text(encoding="utf-8"))
