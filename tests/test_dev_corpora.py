"""The development corpora written for the project after the first one (which has its own file,
tests/test_dev_corpus.py): their gold is valid, and the pipeline's scores stay inside floors
(measured values minus a margin; raise them as the extractor improves) and ceilings.

- **dev2** (13 pages): styles the first corpus lacks (MOFA/官邸 releases, NHK/Kyodo wires,
  transcripts, full-width text, chronology tables, a cancellation).
- **dev3** (12 pages, written by a helper who never saw the extractor): DoD/State readouts, a
  防衛省 phone-call release, a portal with reader comments, a blog, an analysis citing past
  meetings, an EDD release, an exercise, a planned trip, a TV page, a page of third-country
  summits. Scored once on arrival: event_precision 0.625, merged 1/5, negatives 8, outcome_recall 0.614.
- **dev4** (12 pages, the same way, written after the dev3 fixes): a video 2+2 release, 「総理の一日」,
  a press-conference transcript, the Shangri-La sideline meetings, an editorial, a 年表, a 時事-style
  wire, a US Embassy page, a think-tank commentary with footnotes, a Manila daily, a planned-then-held
  call, an exercise story. Scored once on arrival (the project's best estimate of unseen pages):
  event_recall 0.778, event_precision 0.611, merged 0/7, splits 11, negatives 6, outcome_recall 0.709.
- **dev5** (8 pages, the same way, written at the end of the session after the dev4 fixes; no rule has
  looked at it yet): an EDD release, a USFJ courtesy call, a 読売-style story, a 外務省 English page,
  a Camp David wire and its 共同 reprint, a DVIDS exercise story, an Okinawa paper. Scored on arrival:
  event_recall 0.857, event_precision 0.786, merged 1/4, outcome_recall 0.375; the next session's
  fixes started from its failures.
- **dev6** (10 pages, 7 English) and **dev7** (10 pages, 7 Japanese), written blind in the third
  session while the dev5 fixes were made: DoD/State/White House readouts, a joint press
  availability transcript, wires and dailies, 外務省/防衛省/官邸 pages, a 大臣会見, a portal and a
  まとめ blog. Scored on arrival with the dev5 fixes (no rule had looked at them): dev6 event_recall
  0.667, precision 0.885, outcome_recall 0.754; dev7 event_recall 0.857, precision 0.714,
  outcome_recall 0.579 (0.895 before the dev5 fixes: a regression they exposed and that was then fixed).
- **dev8** (10 pages, 5/5), written blind late in the third session (a 防衛装備庁 release as wrapped
  PDF text, a DoD release and transcript, a TV page, a think-tank explainer, a まとめ page, a Stars and
  Stripes-like story, a regional paper, a 共同 reprint of a called-off 2+2, a blog). On arrival:
  event_recall 0.800, precision 0.815, merged 0/7, outcome_recall 0.225.
- **dev9** (10 pages, 6 Japanese) and **dev10** (10 pages, 6 English), written blind in the fourth
  session: a national daily behind a paywall, a 時事 wire, a 大臣臨時記者会見, a portal with comments,
  総理の一日, a 在日米国大使館 仮翻訳 of a State readout, a Japan Times-like story, NHK World, a
  Reuters-like wire (dev9: Suga–Biden, Kishida–Biden 2023, Ishiba–Trump, Takaichi–Trump and
  Koizumi–Hegseth calls, Motegi–Rubio in Munich); a Marines release, a Defense.gov call readout, a
  State media note and the 外務省 page of one EDD round, a wire, a Japan Times-like story, a 統合幕僚監部
  exercise release, a regional paper, a TV page and a weekly newsletter (dev10: Resolute Dragon 23,
  Keen Edge 24, Malabar 2024, the Tri-CHOD in Tokyo, the Darwin trilateral). On arrival: dev9
  event_recall 0.833, precision 0.760, outcome_recall 0.440; dev10 event_recall 0.750, precision
  0.800, merged 3/6, outcome_recall 0.724.
- **dev11** (10 pages, 7 Japanese) and **dev12** (10 pages, 7 English), written blind in the fifth
  session (Suga–Biden call 2021, the Japan–US–Philippines summit of April 2024, the Lima meetings of
  November 2024, Keen Sword 23; the Honolulu defence ministers' meetings of May 2024, Kuala Lumpur
  2025). On arrival: dev11 event_recall 1.000, precision 0.720, merged 3/5, outcome_recall 0.640;
  dev12 event_recall 0.875, precision 0.727, merged 3/8, outcome_recall 0.243, negatives 12.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.corpus import assert_gold_is_valid, assert_scores_within_bounds

FIXTURES = Path(__file__).parent / "fixtures"
# corpus: (floors, ceilings), the figure measured when each floor was set in the comment
BOUNDS: dict[str, tuple[dict[str, float], dict[str, int]]] = {
    "dev2": (
        {
            "event_recall": 0.95,                    # 1.000 (12/12)
            "event_precision": 0.91,                 # 0.962 (25/26)
            "multi_source_merged": 0.80,             # 1.000 (6/6)
            "date_exact": 0.95,                      # 1.000
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.91,                    # 0.960
            "participant_recall": 0.82,              # 0.872
            "participant_precision": 0.95,           # 1.000
            "outcome_recall": 0.88,                  # 0.937
            "outcome_kind_exact": 0.88,              # 0.932
            "outcome_precision_lower_bound": 0.79,   # 0.847
        },
        {"negatives_extracted": 0, "duplicate_splits": 1},
    ),
    "dev3": (
        {
            "event_recall": 0.95,                    # 1.000 (7/7)
            "event_precision": 0.95,                 # 1.000
            "multi_source_merged": 0.75,             # 0.800 (4/5)
            "date_exact": 0.95,                      # 1.000
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.84,                    # 0.889
            "participant_recall": 0.87,              # 0.929
            "participant_precision": 0.87,           # 0.929
            "outcome_recall": 0.84,                  # 0.895
            "outcome_kind_exact": 0.87,              # 0.922
            "outcome_precision_lower_bound": 0.75,   # 0.806
        },
        {"negatives_extracted": 0, "duplicate_splits": 0},
    ),
    "dev4": (
        {
            "event_recall": 0.85,                    # 0.889 (8/9)
            "event_precision": 0.83,                 # 0.880 (22/25)
            "multi_source_merged": 0.55,             # 0.571 (4/7)
            "date_exact": 0.85,                      # 0.875
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.82,                    # 0.864
            "participant_recall": 0.75,              # 0.795
            "participant_precision": 0.75,           # 0.795
            "outcome_recall": 0.68,                  # 0.730
            "outcome_kind_exact": 0.90,              # 0.955
            "outcome_precision_lower_bound": 0.59,   # 0.636
        },
        {"negatives_extracted": 4, "duplicate_splits": 2},
    ),
    "dev5": (
        {   # on arrival: R 0.857, P 0.786, merged 1/4, date 0.667, part 0.765/0.619, outcome 0.375
            "event_recall": 0.95,                    # 1.000 (7/7)
            "event_precision": 0.88,                 # 0.938 (15/16)
            "multi_source_merged": 0.70,             # 0.750 (3/4)
            "date_exact": 0.80,                      # 0.857
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.88,                    # 0.933
            "participant_recall": 0.85,              # 0.905
            "participant_precision": 0.77,           # 0.826
            "outcome_recall": 0.80,                  # 0.862
            "outcome_kind_exact": 0.90,              # 0.960
            "outcome_precision_lower_bound": 0.60,   # 0.658
        },
        {"negatives_extracted": 1, "duplicate_splits": 0},
    ),
    "dev6": (
        {   # on arrival (d08d318's rules before any looked at dev6): R 0.667, P 0.885, merged 3/4, date 0.833,
            # part 0.742/0.622, outcome 0.754
            "event_recall": 0.95,                    # 1.000 (9/9)
            "event_precision": 0.84,                 # 0.897 (26/29)
            "multi_source_merged": 0.95,             # 1.000 (4/4)
            "date_exact": 0.72,                      # 0.778
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.79,                    # 0.846
            "participant_recall": 0.74,              # 0.795
            "participant_precision": 0.78,           # 0.833
            "outcome_recall": 0.78,                  # 0.836
            "outcome_kind_exact": 0.83,              # 0.887
            "outcome_precision_lower_bound": 0.56,   # 0.620
        },
        {"negatives_extracted": 1, "duplicate_splits": 3},
    ),
    "dev7": (
        {   # on arrival: R 0.857, P 0.714, merged 6/7, date 1.0, part 0.864/0.792, outcome 0.579
            "event_recall": 0.95,                    # 1.000 (7/7)
            "event_precision": 0.78,                 # 0.840 (21/25)
            "multi_source_merged": 0.50,             # 0.571 (4/7)
            "date_exact": 0.80,                      # 0.857
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.80,                    # 0.864
            "participant_recall": 0.83,              # 0.885
            "participant_precision": 0.72,           # 0.769 (gold writes "Gilberto Teodoro Jr.", the registry "Gilberto Teodoro")
            "outcome_recall": 0.78,                  # 0.841
            "outcome_kind_exact": 0.88,              # 0.943
            "outcome_precision_lower_bound": 0.42,   # 0.479
        },
        {"negatives_extracted": 1, "duplicate_splits": 3},
    ),
    "dev8": (
        {   # on arrival (36bc632's rules, before any looked at dev8): R 0.800, P 0.815, merged 0/7, date 0.625,
            # part 0.674/0.604, outcome 0.225 — the weakest unseen corpus of the third session
            "event_recall": 0.95,                    # 1.000 (10/10)
            "event_precision": 0.80,                 # 0.852
            "multi_source_merged": 0.50,             # 0.571 (4/7)
            "date_exact": 0.85,                      # 0.900
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.90,                    # 0.957
            "participant_recall": 0.71,              # 0.766
            "participant_precision": 0.78,           # 0.837
            "outcome_recall": 0.70,                  # 0.750
            "outcome_kind_exact": 0.86,              # 0.917
            "outcome_precision_lower_bound": 0.60,   # 0.656
        },
        {"negatives_extracted": 2, "duplicate_splits": 2},
    ),
    "dev9": (
        {   # on arrival (the fourth session's first rules, before any looked at dev9): R 0.833, P 0.760,
            # merged 3/4, date 1.000, status 0.789, part 0.711/1.000, outcome 0.440, negatives 5
            "event_recall": 0.95,                    # 1.000 (6/6)
            "event_precision": 0.78,                 # 0.833
            "multi_source_merged": 0.95,             # 1.000 (4/4)
            "date_exact": 0.95,                      # 1.000
            "type_exact": 0.78,                      # 0.833
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.80,                    # 0.850
            "participant_recall": 0.71,              # 0.766
            "participant_precision": 0.95,           # 1.000
            "outcome_recall": 0.67,                  # 0.724
            "outcome_kind_exact": 0.76,              # 0.810
            "outcome_precision_lower_bound": 0.60,   # see the report
        },
        {"negatives_extracted": 3, "duplicate_splits": 2},
    ),
    "dev10": (
        {   # on arrival (the same rules as dev9's): R 0.750, P 0.800, merged 3/6, date 0.667, status 0.812,
            # part 0.880/0.846, outcome 0.724, kind 0.714, negatives 3
            "event_recall": 0.95,                    # 1.000 (8/8)
            "event_precision": 0.85,                 # 0.900
            "multi_source_merged": 0.60,             # 0.667 (4/6)
            "date_exact": 0.57,                      # 0.625
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.83,                    # 0.889
            "participant_recall": 0.77,              # 0.828
            "participant_precision": 0.83,           # 0.889
            "outcome_recall": 0.65,                  # 0.703
            "outcome_kind_exact": 0.64,              # 0.692
            "outcome_precision_lower_bound": 0.56,   # 0.613
        },
        {"negatives_extracted": 1, "duplicate_splits": 2},
    ),
    "dev11": (
        {   # on arrival (fifth session, with its first fixes): R 1.000, P 0.720, merged 3/5, date 0.600,
            # status 0.889, part 0.824/0.933, outcome 0.640, kind 0.958, negatives 0
            "event_recall": 0.95,                    # 1.000
            "event_precision": 0.65,                 # 0.696
            "multi_source_merged": 0.55,             # 0.600 (3/5)
            "date_exact": 0.55,                      # 0.600
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.95,                    # 1.000
            "status_exact": 0.82,                    # 0.875
            "participant_recall": 0.82,              # 0.871
            "participant_precision": 0.88,           # 0.931
            "outcome_recall": 0.60,                  # 0.653
            "outcome_kind_exact": 0.90,              # 0.957
            "outcome_precision_lower_bound": 0.73,   # 0.784
        },
        {"negatives_extracted": 0, "duplicate_splits": 6},
    ),
    "dev12": (
        {   # on arrival (fifth session, with its first fixes): R 0.875, P 0.727, merged 3/8, date 0.429,
            # status 0.812, part 0.731/0.633, outcome 0.243, kind 0.833, negatives 12
            "event_recall": 0.82,                    # 0.875
            "event_precision": 0.73,                 # 0.789
            "multi_source_merged": 0.32,             # 0.375 (3/8)
            "date_exact": 0.50,                      # 0.571
            "type_exact": 0.95,                      # 1.000
            "medium_exact": 0.80,                    # 0.857
            "status_exact": 0.75,                    # 0.800
            "participant_recall": 0.79,              # 0.840
            "participant_precision": 0.67,           # 0.724
            "outcome_recall": 0.38,                  # 0.432
            "outcome_kind_exact": 0.85,              # 0.906
            "outcome_precision_lower_bound": 0.45,   # 0.510
        },
        {"negatives_extracted": 11, "duplicate_splits": 2},
    ),
}


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_gold_is_valid(name):
    assert_gold_is_valid(FIXTURES / name, f"{name}.gold.json")


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_metrics_stay_inside_their_bounds(name, tmp_path):
    floors, ceilings = BOUNDS[name]
    assert_scores_within_bounds(FIXTURES / name, f"{name}.gold.json", tmp_path / "w.duckdb", floors, ceilings)
