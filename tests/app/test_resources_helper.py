"""The resource helper finds every shipped file, from source and from a (simulated) frozen bundle."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import sys
from pathlib import Path

import pytest

from desktop_app import resources
from desktop_app.resources import (
    RESOURCE_DIRS,
    app_root,
    forms_dir,
    guide_path,
    icon_ico_path,
    icon_path,
    license_files,
    missing_required_resources,
    require_resource,
    resource_path,
    shipped_resources,
)

REPO = Path(__file__).resolve().parents[2]


def _files_on_disk(root: Path) -> set[str]:
    found = set()
    for name in RESOURCE_DIRS:
        for path in (root / name).rglob("*"):
            rel = path.relative_to(root)
            if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
                found.add(rel.as_posix())
    return found


def test_from_source_the_root_is_the_repository() -> None:
    assert app_root() == REPO
    assert not resources.is_frozen()
    assert forms_dir() == REPO / "forms"


def test_every_shipped_file_is_found_from_source() -> None:
    on_disk = _files_on_disk(REPO)
    listed = shipped_resources()
    assert set(listed) == on_disk
    assert len(listed) == len(set(listed))
    for rel in listed:
        top, *rest = rel.split("/")
        found = resource_path(*rest) if top == "resources" else forms_dir().joinpath(*rest)
        assert found.is_file(), rel
        assert found.read_bytes() == (REPO / rel).read_bytes()


def test_required_resources_are_present() -> None:
    assert missing_required_resources() == []
    assert require_resource("icons", "app.png") == icon_path()
    with pytest.raises(FileNotFoundError, match="重新安裝"):
        require_resource("no", "such-file.txt")


def test_frozen_bundle_root_is_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "_internal"
    for rel in shipped_resources():  # what the spec copies, at the same relative paths
        target = bundle / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / rel, target)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources.is_frozen()
    assert app_root() == bundle
    assert guide_path() == bundle / "resources" / "guide" / "使用說明.html"
    assert missing_required_resources() == []
    assert set(shipped_resources()) == _files_on_disk(REPO)


def test_frozen_bundle_missing_a_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    missing = missing_required_resources()
    assert tmp_path / "resources" / "icons" / "app.png" in missing
    assert len(missing) == len(resources.REQUIRED_RESOURCES)


def test_icon_files_are_valid() -> None:
    assert icon_path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = icon_ico_path().read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1) and count >= 4
    sizes = []
    for i in range(count):
        width, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        sizes.append(width or 256)
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
    assert {16, 32, 48, 256} <= set(sizes)


def test_guide_covers_every_tab_and_the_it_topics() -> None:
    from desktop_app.ui.tabs import TAB_CLASSES

    text = guide_path().read_text(encoding="utf-8")
    for cls in TAB_CLASSES:
        assert f"{cls.title}</h2>" in text, cls.title
    for topic in ("第一次使用", "備份與還原", "換新電腦", "backups", "保留最近 10 份", "--self-test"):
        assert topic in text, topic


def _collect_licenses_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "collect_licenses", REPO / "installer" / "collect_licenses.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_bundled_part_has_its_licence() -> None:
    collect = _collect_licenses_module()
    names = {p.name for p in license_files()}
    assert license_files()[0].name == "README.txt"
    index = (REPO / "resources" / "licenses" / "README.txt").read_text(encoding="utf-8")
    expected = {"python.txt", "pyinstaller-bootloader.txt"}
    expected |= {collect.license_file_name(d.metadata["Name"]) for d in collect.runtime_distributions()}
    assert {"pyside6-essentials.txt", "sqlalchemy.txt", "reportlab.txt"} <= expected
    missing = expected - names
    assert not missing, f"licence texts missing: {sorted(missing)}; run python installer/collect_licenses.py"
    for name in expected:
        assert f"({name})" in index
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (
        REPO / "resources/licenses/pyside6-essentials.txt"
    ).read_text(encoding="utf-8")
