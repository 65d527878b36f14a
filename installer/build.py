"""Build the one-folder bundle for this platform with PyInstaller, then smoke-test it.

    python installer/build.py              build dist/desktop-app/ and smoke-test it
    python installer/build.py --inno       … then, on Windows, the Inno Setup installer
    python installer/build.py --smoke-only smoke-test an existing dist/desktop-app/

The smoke test runs the frozen application offscreen (``QT_QPA_PLATFORM=offscreen``) with its
data folder and temporary files in a throw-away folder: ``--self-test`` (database migrations,
Chinese PDF, xlsx, Qt, bundled resources) and ``--demo --screenshot`` (the whole window with demo
data, which proves Qt and its plugins were bundled). It prints the bundle size and the times.
Exit status 0 when the build and both checks succeed.

Needs the ``build`` extra: ``pip install -e ".[build]"``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "desktop-app.spec"
ISS = ROOT / "installer" / "desktop-app.iss"
APP_NAME = "desktop-app"
SMOKE_TIMEOUT = 180  # seconds per run; a cold start on a slow CI disk takes a few
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass
class SmokeRun:
    name: str
    ok: bool
    seconds: float
    output: str


def bundle_dir(dist: Path) -> Path:
    """The one-folder bundle PyInstaller writes (``dist/desktop-app``)."""
    return Path(dist) / APP_NAME


def frozen_executable(dist: Path, platform: str = sys.platform) -> Path:
    """The launcher inside the bundle (``desktop-app.exe`` on Windows)."""
    return bundle_dir(dist) / (f"{APP_NAME}.exe" if platform == "win32" else APP_NAME)


def folder_size(path: Path) -> int:
    """Total bytes of the files under ``path`` (what ``du`` would roughly say)."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and not p.is_symlink())


def run_pyinstaller(dist: Path, work: Path) -> None:
    """Run the spec with a clean cache (``--clean``): what a fresh machine would do."""
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def smoke_env(scratch: Path) -> dict[str, str]:
    """Environment for the frozen app: offscreen Qt, data folder and temp files in ``scratch``."""
    env = dict(os.environ)
    for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):  # the bundle must not lean on the venv
        env.pop(var, None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["DESKTOP_APP_DATA_DIR"] = str(scratch / "data")
    for var in ("TMPDIR", "TEMP", "TMP"):
        env[var] = str(scratch / "tmp")
    (scratch / "tmp").mkdir(parents=True, exist_ok=True)
    env["DESKTOP_APP_SELFTEST_REPORT"] = str(scratch / "self-test.txt")
    return env


def _run(name: str, cmd: Sequence[str], env: dict[str, str]) -> tuple[int, float, str]:
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            list(cmd),
            env=env,
            capture_output=True,
            timeout=SMOKE_TIMEOUT,
            cwd=env["TMPDIR"],
            encoding="utf-8",
            errors="replace",
        )
    except subprocess.TimeoutExpired:
        return -1, time.perf_counter() - start, f"{name}: no answer after {SMOKE_TIMEOUT} s"
    return proc.returncode, time.perf_counter() - start, (proc.stdout + proc.stderr).strip()


def smoke_test(app: Sequence[str]) -> list[SmokeRun]:
    """Run ``app --self-test`` and ``app --demo --screenshot`` offscreen in a scratch folder.

    ``app`` is the command that starts the application: the frozen executable, or
    ``[python, -m, desktop_app]`` to try the same checks from source.
    """
    runs = []
    with tempfile.TemporaryDirectory(prefix=f"{APP_NAME}-smoke-", ignore_cleanup_errors=True) as tmp:
        scratch = Path(tmp)
        env = smoke_env(scratch)
        code, seconds, output = _run("self-test", [*app, "--self-test"], env)
        report_file = scratch / "self-test.txt"
        report = report_file.read_text(encoding="utf-8") if report_file.exists() else output
        last_line = report.strip().splitlines()[-1] if report.strip() else ""
        ok = code == 0 and last_line.endswith("OK")
        runs.append(SmokeRun("self-test", ok, seconds, report or output))

        png = scratch / "screenshot.png"
        code, seconds, output = _run("screenshot", [*app, "--demo", "--screenshot", str(png)], env)
        ok = code == 0 and png.is_file() and png.read_bytes()[:8] == PNG_MAGIC
        detail = output + (f"\n{png.stat().st_size} bytes PNG" if png.is_file() else "\nno PNG written")
        runs.append(SmokeRun("demo-screenshot", ok, seconds, detail.strip()))
    return runs


def find_iscc() -> Path | None:
    """Inno Setup's command-line compiler, from PATH or its default install folders."""
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for var in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        base = os.environ.get(var)
        if base:
            for sub in ("Inno Setup 6", r"Programs\Inno Setup 6"):
                candidate = Path(base) / sub / "ISCC.exe"
                if candidate.is_file():
                    return candidate
    return None


def app_version() -> str:
    sys.path.insert(0, str(ROOT))
    from desktop_app import __version__

    return __version__


def build_installer(dist: Path) -> Path:
    """Compile the Inno Setup script against the bundle; returns the setup .exe."""
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit("找不到 Inno Setup 6（ISCC.exe）。請從 https://jrsoftware.org/isdl.php 安裝後再試。")
    out = Path(dist) / "installer"
    version = app_version()
    cmd = [
        str(iscc),
        f"/DAppVersion={version}",
        f"/DSourceDir={bundle_dir(dist)}",
        f"/DOutputDir={out}",
        str(ISS),
    ]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)
    return out / f"{APP_NAME}-setup-{version}.exe"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller work folder")
    parser.add_argument("--smoke-only", action="store_true", help="smoke-test an existing build")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    parser.add_argument("--inno", action="store_true", help="also build the Windows installer (Inno Setup)")
    args = parser.parse_args(argv)

    if not args.smoke_only:
        start = time.perf_counter()
        run_pyinstaller(args.dist, args.work)
        print(f"build: {time.perf_counter() - start:.1f} s", flush=True)
    exe = frozen_executable(args.dist)
    if not exe.is_file():
        print(f"no frozen executable at {exe}", file=sys.stderr)
        return 1
    print(
        f"bundle: {bundle_dir(args.dist)}  {folder_size(bundle_dir(args.dist)) / 1024**2:.0f} MB", flush=True
    )

    failed = False
    if not args.no_smoke:
        for run in smoke_test([str(exe)]):
            print(f"--- smoke {run.name}: {'OK' if run.ok else 'FAILED'} in {run.seconds:.2f} s")
            print(run.output, flush=True)
            failed |= not run.ok
    if failed:
        print("smoke test FAILED", file=sys.stderr)
        return 1
    if args.inno:
        if sys.platform != "win32":
            print("--inno: Inno Setup runs on Windows only", file=sys.stderr)
            return 2
        print(f"installer: {build_installer(args.dist)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
