"""The build script, the PyInstaller spec and the Inno Setup script.

The real build runs in ``.ci/run`` (``python installer/build.py``); the test that builds here is
slow and skipped unless ``DESKTOP_APP_BUILD_TEST=1`` so CI does not build twice.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

from desktop_app import APP_NAME, __version__

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "installer" / "desktop-app.spec"
ISS = REPO / "installer" / "desktop-app.iss"


def _build_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("installer_build", REPO / "installer" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


build = _build_module()


def test_executable_name_per_platform(tmp_path: Path) -> None:
    assert build.frozen_executable(tmp_path, "win32") == tmp_path / APP_NAME / f"{APP_NAME}.exe"
    assert build.frozen_executable(tmp_path, "linux") == tmp_path / APP_NAME / APP_NAME
    assert build.bundle_dir(tmp_path) == tmp_path / APP_NAME


def test_folder_size_counts_every_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.bin").write_bytes(b"1" * 1000)
    (tmp_path / "y.bin").write_bytes(b"2" * 24)
    assert build.folder_size(tmp_path) == 1024


def test_smoke_env_isolates_the_user_data(tmp_path: Path) -> None:
    env = build.smoke_env(tmp_path)
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env["DESKTOP_APP_DATA_DIR"] == str(tmp_path / "data")
    assert env["TMPDIR"] == env["TEMP"] == str(tmp_path / "tmp")
    assert "PYTHONPATH" not in env and "VIRTUAL_ENV" not in env


def test_smoke_test_passes_on_the_source_app() -> None:
    """The same smoke test the build runs on the frozen app, on ``python -m desktop_app``."""
    runs = build.smoke_test([sys.executable, "-m", "desktop_app"])
    assert [r.name for r in runs] == ["self-test", "demo-screenshot"]
    for run in runs:
        assert run.ok, run.output
    assert runs[0].output.strip().splitlines()[-1].endswith("OK")
    assert "bytes PNG" in runs[1].output


def test_smoke_test_fails_on_a_broken_app(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import sys\nprint('boom')\nsys.exit(3)\n", encoding="utf-8")
    runs = build.smoke_test([sys.executable, str(broken)])
    assert [r.ok for r in runs] == [False, False]
    assert "no PNG written" in runs[1].output


def _spec_calls() -> dict[str, dict[str, ast.expr]]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    calls: dict[str, dict[str, ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls.setdefault(node.func.id, {}).update({k.arg: k.value for k in node.keywords if k.arg})
    return calls


def test_spec_is_one_folder_windowed_with_icon_and_version() -> None:
    calls = _spec_calls()
    exe = calls["EXE"]
    assert ast.literal_eval(exe["console"]) is False
    assert ast.literal_eval(exe["exclude_binaries"]) is True  # one-folder: binaries go to COLLECT
    assert "COLLECT" in calls
    assert "ICON_ICO" in ast.unparse(exe["icon"]) and "version_info()" in ast.unparse(exe["version"])
    text = SPEC.read_text(encoding="utf-8")
    assert 'ROOT / "resources" / "icons" / "app.ico"' in text
    assert (REPO / "resources" / "icons" / "app.ico").is_file()
    # resources/ and forms/ come from the resource helper; migrations are copied as files
    assert "shipped_resources()" in text
    assert '"desktop_app" / "storage" / "migrations"' in text


def _iss() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the .iss must be UTF-8 with BOM for the Chinese names"
    return raw.decode("utf-8-sig")


def _section(text: str, name: str) -> list[str]:
    match = re.search(rf"^\[{name}\]\r?\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert match, name
    return [line for line in match.group(1).splitlines() if line.strip() and not line.startswith(";")]


def test_inno_setup_installs_per_user_without_admin() -> None:
    setup = _section(_iss(), "Setup")
    assert "PrivilegesRequired=lowest" in setup
    assert not any(line.startswith("PrivilegesRequiredOverridesAllowed") for line in setup)
    assert r"DefaultDirName={autopf}\{#AppShortName}" in setup  # {userpf} when not admin
    assert f'#define AppShortName "{APP_NAME}"' in _iss()
    assert '#define AppExe "desktop-app.exe"' in _iss()


def test_inno_setup_makes_start_menu_and_desktop_shortcuts() -> None:
    icons = _section(_iss(), "Icons")
    assert any(line.startswith(r'Name: "{group}\{#AppName}"') for line in icons)
    desktop = [line for line in icons if line.startswith('Name: "{autodesktop}')]
    assert desktop and "Tasks: desktopicon" in desktop[0]
    tasks = _section(_iss(), "Tasks")
    assert "unchecked" not in tasks[0]  # the desktop shortcut is offered checked


def test_inno_setup_keeps_the_data_folder_on_uninstall() -> None:
    text = _iss()
    deleted = _section(text, "UninstallDelete") + _section(text, "InstallDelete")
    assert deleted, "the program folder's leftovers are removed"
    for line in deleted:
        assert "{app}" in line
        for data_root in ("{localappdata}", "{userappdata}", "{commonappdata}", "{userdocs}", APP_NAME):
            assert data_root not in line.replace(r"{app}\_internal", "")
    assert "[Code]" not in text  # no script that could delete data behind the sections' back


def test_build_passes_the_version_to_inno_setup() -> None:
    assert build.app_version() == __version__
    source = (REPO / "installer" / "build.py").read_text(encoding="utf-8")
    assert "/DAppVersion=" in source and "/DSourceDir=" in source


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("DESKTOP_APP_BUILD_TEST") != "1",
    reason="builds the bundle (~1 min); .ci/run builds it with installer/build.py instead",
)
def test_build_and_smoke_test_the_frozen_app(tmp_path: Path) -> None:
    status = build.main(["--dist", str(tmp_path / "dist"), "--work", str(tmp_path / "work")])
    assert status == 0
    exe = build.frozen_executable(tmp_path / "dist")
    internal = exe.parent / "_internal"
    assert (internal / "resources" / "guide" / "使用說明.html").is_file()
    assert (internal / "desktop_app" / "storage" / "migrations" / "env.py").is_file()
    assert list((internal / "desktop_app" / "storage" / "migrations" / "versions").glob("0001_*.py"))
