"""A reader process for the concurrency tests (run as a script, never collected by pytest).

    python snapshot_reader.py hold ROOT   holds a connection to the current snapshot; on each stdin
                                          line reports what the held connection and a fresh one see
    python snapshot_reader.py poll ROOT STOPFILE
                                          opens the current snapshot again and again until STOPFILE
                                          exists; reports every version seen and whether each
                                          observation matched its manifest (complete, not half-written)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from warehouse.snapshot import manifest, open_current

TABLES = ("articles", "mentions", "meetings", "participants", "outcomes")


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def hold(root: str) -> None:
    held, folder = open_current(root)
    print(json.dumps({"ready": True, "stamp": folder.name, "counts": _counts(held)}), flush=True)
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        t0 = time.monotonic()
        fresh, fresh_folder = open_current(root)
        report = {"held_stamp": folder.name, "held": _counts(held), "fresh_stamp": fresh_folder.name,
                  "fresh": _counts(fresh)}
        fresh.close()
        report["seconds"] = time.monotonic() - t0
        print(json.dumps(report), flush=True)
    held.close()


def poll(root: str, stop: str) -> None:
    seen, errors, n, consistent = [], [], 0, True
    deadline = time.monotonic() + 120
    while not Path(stop).exists() and time.monotonic() < deadline:
        try:
            con, folder = open_current(root)
            counts = _counts(con)
            con.close()
            expected = manifest(folder)["tables"]
            consistent &= all(counts[t] == expected[t] for t in TABLES)
            if not seen or seen[-1] != folder.name:
                seen.append(folder.name)
            n += 1
        except Exception as exc:  # any failure to read is a finding
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.005)
    print(json.dumps({"versions": seen, "observations": n, "consistent": consistent, "errors": errors[:5]}),
          flush=True)


if __name__ == "__main__":
    {"hold": hold, "poll": poll}[sys.argv[1]](*sys.argv[2:])
