"""Benchmark of 收訖對照 (issue 14, point 6).

Builds (deterministically, cached with --keep) a database with 3,000 students × 25 received 修課紀錄
items and a 150,000-row final day roster (6,000 students × 25 courses: the batch's 3,000 with a few
differences injected, and 3,000 more with no receipt), then alternately times, each as a child
process:

  (a) ``desktop-app receipts reconcile BATCH --roster ROSTER --json OUT --db DB`` (the whole command:
      start-up, reading the roster, the batch from SQLite, matching, recording the run, the JSON);
  (b) reading the same roster with the pre-check's reader alone: ``desktop_app.readers.open_workbook``
      and every row of every sheet, in a fresh interpreter.

Prints both medians, their ratio (target ≤ 1.5) and the peak memory of (a) (target ≤ 600 MB), measured
with ``os.wait4`` on the child (ru_maxrss).

    python bench/reconcile_bench.py                     # 3 rounds
    python bench/reconcile_bench.py --rounds 2 --keep /tmp/rb
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

BARE_READ = (
    "import sys\n"
    "from desktop_app.readers import open_workbook\n"
    "wb = open_workbook(sys.argv[1])\n"
    "n = 0\n"
    "for name in wb.sheet_names:\n"
    "    for row in wb.sheet(name).iter_rows():\n"
    "        n += 1\n"
)
# (a') and (b') in one warm process: imports done, the database open; times only the work
IN_PROCESS = """
import json, sys, time
from desktop_app.readers import open_workbook
from desktop_app.services.reconcile.run import reconcile
from desktop_app.storage.migrate import open_database
db = open_database(sys.argv[1], backup=None)
roster, batch, rounds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
out = {"service": [], "reader": [], "service_cpu": [], "reader_cpu": []}
for _ in range(rounds):
    t, c = time.perf_counter(), time.process_time()
    wb = open_workbook(roster)
    for name in wb.sheet_names:
        for row in wb.sheet(name).iter_rows():
            pass
    out["reader"].append(time.perf_counter() - t)
    out["reader_cpu"].append(time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    reconcile(db, batch, [roster], record_run=False)
    out["service"].append(time.perf_counter() - t)
    out["service_cpu"].append(time.process_time() - c)
print(json.dumps(out))
"""
ENV = dict(
    os.environ, PYTHONPATH=str(ROOT), DESKTOP_APP_DATA_DIR=os.path.join(tempfile.gettempdir(), "rb_no_db")
)
# children run from compiled bytecode, as an installed program does (see bench/startup_bench.py):
# with PYTHONDONTWRITEBYTECODE a checkout would compile every module at every run
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "rb_pycache")


def _timed(cmd: list[str]) -> tuple[float, float, int, float]:
    """(seconds, peak MB, exit status, CPU seconds) of a child process."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, env=ENV)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if code not in (0, 1):
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{stderr}")
    return seconds, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime


def build(folder: Path, students: int, courses: int) -> tuple[Path, Path, int, dict[str, int]]:
    """(database, roster, batch id, expected counts); reused when already built in ``folder``."""
    import reconcile_builders as rb

    from desktop_app.demo import core
    from desktop_app.services.receipts.importing import import_receipts
    from desktop_app.services.receipts.students import import_students
    from desktop_app.storage.migrate import open_database

    folder.mkdir(parents=True, exist_ok=True)
    db_path, roster_path, meta = folder / "bench.sqlite3", folder / "roster.xlsx", folder / "meta.json"
    if meta.exists() and db_path.exists() and roster_path.exists():
        data = json.loads(meta.read_text(encoding="utf-8"))
        return db_path, roster_path, data["batch"], data["expected"]
    # 75 classes of at most 80 (the student master refuses a 座號 above 99)
    classes = tuple(f"{g}{c:02d}" for g in (1, 2, 3) for c in range(1, 26))
    people = rb.students(students * 2, classes=classes)
    course_list = [rb.Course(rb.code(n + 1), f"科目{n + 1}", 2 + n % 3, 60 + n) for n in range(courses)]
    roster = rb.Roster(113, 1, "day", term_rows=[(p, c) for p in people for c in course_list])
    started = time.perf_counter()
    rb.write_roster_xlsx(roster_path, roster)
    print(
        f"roster written: {len(roster.term_rows):,} rows in {time.perf_counter() - started:.0f} s", flush=True
    )
    expected = {"missing": 0, "extra": 0, "mismatch": 0, "no_receipt": students, "not_in_roster": 0}
    receipts = folder / "receipts.csv"
    with receipts.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([*rb.RECEIPT_HEADERS, "課程代碼", "成績"])
        for i, p in enumerate(people[:students]):
            for j, c in enumerate(course_list):
                if i % 100 == 0 and j == 0:
                    expected["missing"] += 1
                    continue
                credits = str(c.credits + 1) if i % 200 == 7 and j == 1 else str(c.credits)
                expected["mismatch"] += credits != str(c.credits)
                w.writerow(
                    [
                        p.nid,
                        p.birth,
                        p.name,
                        "修課紀錄",
                        113,
                        1,
                        c.title,
                        credits,
                        "",
                        "",
                        c.code,
                        int(c.score),
                    ]
                )
            if i % 150 == 3:
                expected["extra"] += 1
                w.writerow([p.nid, p.birth, p.name, "修課紀錄", 113, 1, "舊課程", 2, "", "", rb.code(99), 70])
    master = rb.write_students_csv(folder / "students.csv", people)
    db = open_database(db_path)
    try:
        core.seed(db)
        import_students(db, master)
        batch = import_receipts(db, receipts, name="bench", start="113/10/15", end="113/10/20").batch_id
    finally:
        db.close()
    meta.write_text(json.dumps({"batch": batch, "expected": expected}), encoding="utf-8")
    return db_path, roster_path, batch, expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--students", type=int, default=3000, help="students in the batch (the roster has twice)"
    )
    parser.add_argument("--courses", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="build (or reuse) the files here")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reconcile_bench_"))
    db_path, roster, batch, expected = build(folder, args.students, args.courses)
    out = folder / "out.json"
    exe = Path(sys.executable).with_name("desktop-app")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "desktop_app"]
    full = [*command, "receipts", "reconcile", str(batch), "--roster", str(roster), "--json", str(out),
            "--db", str(db_path)]  # fmt: skip
    bare = [sys.executable, "-c", BARE_READ, str(roster)]
    times_a, times_b, peaks, cpu_a, cpu_b = [], [], [], [], []
    _timed(full)  # warm-up: the page cache and the children's bytecode cache
    _timed(bare)
    for n in range(args.rounds):
        seconds, peak, code, cpu = _timed(full)
        cpu_a.append(cpu)
        times_a.append(seconds)
        peaks.append(peak)
        counts = json.loads(out.read_text(encoding="utf-8"))["counts"]
        if counts != expected:
            raise SystemExit(f"wrong counts: {counts} != {expected}")
        seconds_b, _peak_b, _, cpu = _timed(bare)
        times_b.append(seconds_b)
        cpu_b.append(cpu)
        print(f"round {n + 1}: reconcile {seconds:.2f} s ({peak:.0f} MB, exit {code}), reader alone {seconds_b:.2f} s",
              flush=True)  # fmt: skip
    warm = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(db_path), str(roster), str(batch), str(args.rounds)],
        capture_output=True, text=True, env=ENV, check=True,
    )  # fmt: skip
    inner = json.loads(warm.stdout)
    a, b = statistics.median(times_a), statistics.median(times_b)
    print(f"roster {roster.stat().st_size / 1024**2:.1f} MB, {args.students * 2 * args.courses:,} rows; "
          f"batch {args.students:,} students × {args.courses} items; counts {expected}")  # fmt: skip
    print(f"reconcile (whole command) median {a:.2f} s; reader alone median {b:.2f} s")
    print(f"ratio {a / b:.2f} (target ≤ 1.5); best rounds {min(times_a) / min(times_b):.2f}; "
          f"peak memory {max(peaks):.0f} MB (target ≤ 600 MB)")  # fmt: skip
    print(f"CPU seconds (all threads; robust when other work shares the machine): command "
          f"{statistics.median(cpu_a):.2f}, reader {statistics.median(cpu_b):.2f}, "
          f"ratio {statistics.median(cpu_a) / statistics.median(cpu_b):.2f}")  # fmt: skip
    sa, sb = statistics.median(inner["service"]), statistics.median(inner["reader"])
    print(f"in one warm process: reconcile() median {sa:.2f} s; reader alone median {sb:.2f} s; "
          f"ratio {sa / sb:.2f}; best rounds {min(inner['service']) / min(inner['reader']):.2f}; CPU ratio "
          f"{statistics.median(inner['service_cpu']) / statistics.median(inner['reader_cpu']):.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
