"""Benchmark of the roster pre-check (issue 3, point 7).

Generates (deterministically) a course plan and a 150,000-row FINAL day roster with errors, then
alternately times, each as a separate process:

  (a) the full check writing its JSON: ``desktop-app precheck ROSTER --plan PLAN --json OUT``;
  (b) a bare python-calamine read of the same file (every sheet, every row).

Prints both medians, their ratio (target ≤ 1.5) and the peak memory of (a) (target ≤ 600 MB),
measured with ``os.wait4`` on the child (ru_maxrss).

    python bench/precheck_bench.py                  # 150,000 rows, 3 rounds
    python bench/precheck_bench.py --rows 20000 --rounds 2 --keep /tmp/pb
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_READ = (
    "import sys\n"
    "from python_calamine import CalamineWorkbook\n"
    "wb = CalamineWorkbook.from_path(sys.argv[1])\n"
    "n = 0\n"
    "for name in wb.sheet_names:\n"
    "    for row in wb.get_sheet_by_name(name).iter_rows():\n"
    "        n += 1\n"
)


# Hermetic children: without this, a default database left in this user's data folder (the demo,
# another session) makes the CLI read its profile (SQLAlchemy import + open, ~0.3 s fixed), and the
# figure would depend on the machine rather than on the check. The bench passes --school-code.
BENCH_ENV = dict(os.environ, DESKTOP_APP_DATA_DIR=os.path.join(tempfile.gettempdir(), "precheck_bench_no_db"))
# An installed program runs from compiled bytecode (pip and PyInstaller compile it). A checkout run
# with PYTHONDONTWRITEBYTECODE would compile every module of (a) at every run (~0.1 s, nothing to do
# with the check): the children keep their bytecode in a cache of this bench, written by the warm-up
# (as bench/startup_bench.py does).
BENCH_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
BENCH_ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "precheck_bench_pycache")


def _timed(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MB, exit status) of a child process."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, env=BENCH_ENV)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code  # reaped by wait4 above: tell Popen, or it warns that it still runs
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if code not in (0, 1):
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{stderr}")
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1024**2
    return seconds, peak_mb, code


def generate(workdir: Path, rows: int) -> tuple[Path, Path, dict[str, int]]:
    from desktop_app.demo.precheck_samples import bench_roster, plan_rows, sample_plan, write_xlsx

    plan = sample_plan(113)
    plan_path = workdir / "plan.xlsx"
    roster_path = workdir / f"roster_final_day_{rows}.xlsx"
    meta_path = workdir / f"roster_final_day_{rows}.json"
    write_xlsx(plan_path, {"課程計畫": plan_rows(plan)})
    if roster_path.exists() and meta_path.exists():
        return plan_path, roster_path, json.loads(meta_path.read_text(encoding="utf-8"))
    injected = bench_roster(roster_path, plan, rows, year=113, term=1)
    meta_path.write_text(json.dumps(injected), encoding="utf-8")
    return plan_path, roster_path, injected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the generated files in DIR")
    parser.add_argument(
        "--cli-only", action="store_true", help="kept for old scripts (only the CLI is timed)"
    )
    args = parser.parse_args(argv)

    tmp = None
    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="precheck_bench_")
        workdir = Path(tmp.name)
    started = time.perf_counter()
    plan_path, roster_path, injected = generate(workdir, args.rows)
    print(
        f"generated {roster_path.name} ({roster_path.stat().st_size / 1024**2:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s; injected {dict(sorted(injected.items()))}"
    )

    out = workdir / "result.json"
    options = ["--school-code", "011302", "--year", "113", "--term", "1", "--json", str(out)]
    commands: dict[str, list[str]] = {
        "(a) desktop-app precheck --json": [
            sys.executable,
            "-m",
            "desktop_app",
            "precheck",
            str(roster_path),
            "--plan",
            str(plan_path),
            *options,
        ]
    }
    read_label = "(b) bare python-calamine read"
    commands[read_label] = [sys.executable, "-c", BARE_READ, str(roster_path)]

    for cmd in commands.values():  # warm the page cache and the interpreter's bytecode caches
        _timed(cmd)
    times: dict[str, list[float]] = {label: [] for label in commands}
    peaks: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(args.rounds):
        for label, cmd in commands.items():
            seconds, peak, _code = _timed(cmd)
            times[label].append(seconds)
            peaks[label].append(peak)

    result = json.loads(out.read_text(encoding="utf-8"))
    read_median = statistics.median(times[read_label])
    verdict = True
    for label, runs in times.items():
        median = statistics.median(runs)
        line = f"{label}: median {median:.2f} s  runs {[round(t, 2) for t in runs]}  peak {max(peaks[label]):.0f} MB"
        if label != read_label:
            ratio = median / read_median
            line += f"  ratio {ratio:.2f} (target <= 1.5)"
            if label.startswith("(a)"):
                verdict = ratio <= 1.5 and max(peaks[label]) <= 600
        print(line)
    main_label = next(iter(commands))
    print(
        f"ratio (a)/(b) = {statistics.median(times[main_label]) / read_median:.2f}  (target <= 1.5); "
        f"peak memory of (a) = {max(peaks[main_label]):.0f} MB  (target <= 600 MB)"
    )
    # on a shared machine the medians move with other load; the fastest runs move much less
    print(f"ratio of the fastest runs min(a)/min(b) = {min(times[main_label]) / min(times[read_label]):.2f}")
    print(f"rows {result['rows']}  counts {result['counts']}")
    if tmp is not None:
        tmp.cleanup()
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
