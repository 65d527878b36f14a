"""Self-check: time to open the form of a 學期 with live evidence (every rule evaluated).

Baseline, measured in the same run on the same database: one ``services.calendar.list_tasks``
call (a single indexed read). Prints the ratio so machines of different speed compare.

    python bench/selfcheck_bench.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from desktop_app.demo import build_demo_database
from desktop_app.demo.selfcheck import demo_term
from desktop_app.services.calendar.tasks import list_tasks
from desktop_app.services.selfcheck import find_form, load_catalog, open_fill


def _best(fn, rounds: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = build_demo_database(Path(folder))
        term = demo_term()
        form = find_form(load_catalog(), None)
        baseline = _best(lambda: list_tasks(db, term.year), args.rounds)
        opened = _best(lambda: open_fill(db, form, term), args.rounds)
        catalog = _best(load_catalog, args.rounds)
        db.close()
    print(f"baseline list_tasks        {baseline * 1000:8.2f} ms")
    print(f"open_fill (live evidence)  {opened * 1000:8.2f} ms  ratio {opened / baseline:6.1f}x")
    print(f"load_catalog (forms/)      {catalog * 1000:8.2f} ms  ratio {catalog / baseline:6.1f}x")


if __name__ == "__main__":
    main()
