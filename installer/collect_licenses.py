"""Write ``resources/licenses/``: the licence text of every part bundled with the application.

Run after a dependency is added (the results are committed; a test checks none is missing)::

    python installer/collect_licenses.py

The bundled parts are Python itself, the PyInstaller bootloader and the runtime dependency
closure of ``desktop-app`` (extras and test tools excluded), read from the installed
distributions' metadata. PySide6/shiboken6 wheels carry no licence file, so the LGPL-3.0 and
GPL-3.0 texts are added from the Debian ``/usr/share/common-licenses`` copies.
"""

from __future__ import annotations

import importlib.metadata as md
import re
import sys
import sysconfig
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "licenses"
COMMON_LICENSES = Path("/usr/share/common-licenses")
LICENSE_NAME = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)

QT_NOTE = """\
Qt 6 與 PySide6（Qt for Python）以 GNU LGPL 第 3 版授權使用，本程式以動態連結方式使用，未修改其原始碼。
依 LGPL，您可以用相容版本的 Qt/PySide6 程式庫替換安裝資料夾 _internal/PySide6 中的檔案。
Qt 原始碼：https://code.qt.io/ ，PySide6 原始碼：https://code.qt.io/cgit/pyside/pyside-setup.git/

Qt 6 and PySide6 (Qt for Python) are used under the GNU LGPL version 3, dynamically linked and
unmodified. Under the LGPL you may replace the Qt/PySide6 libraries in the installation folder
(_internal/PySide6) with compatible versions of your own. Sources: https://code.qt.io/ and
https://code.qt.io/cgit/pyside/pyside-setup.git/ . The LGPL-3.0 text follows, then the GPL-3.0
text it incorporates. Qt bundles third-party parts (ICU, FreeType, HarfBuzz, libpng, zlib, …)
under their own permissive licences, listed at https://doc.qt.io/qt-6/licenses-used-in-qt.html .
"""

LINUX_NOTE = """\
Linux 版另外附帶建置機器上的系統程式庫（libX11、glib、fontconfig、OpenSSL 等），各依其授權散布，
授權全文見各發行版的 /usr/share/doc/<套件>/copyright。
The Linux bundle also carries system libraries of the build machine (libX11, glib, fontconfig,
OpenSSL, …) under their own licences; see /usr/share/doc/<package>/copyright on Debian.
"""


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(root: str = "desktop-app") -> list[md.Distribution]:
    """The installed distributions ``root`` needs at run time (markers evaluated, no extras)."""
    seen: dict[str, md.Distribution] = {}
    todo = [root]
    while todo:
        name = _norm(todo.pop())
        if name in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue  # a marker-excluded or optional requirement that is not installed
        seen[name] = dist
        for raw in dist.requires or []:
            req = Requirement(raw)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            todo.append(req.name)
    seen.pop(_norm(root), None)
    return sorted(seen.values(), key=lambda d: _norm(d.metadata["Name"]))


def license_file_name(dist_name: str) -> str:
    return f"{_norm(dist_name)}.txt"


def _licence_label(dist: md.Distribution) -> str:
    meta = dist.metadata
    label = meta.get("License-Expression") or ""
    if not label:
        text = (meta.get("License") or "").strip()
        label = text.splitlines()[0][:80] if text and len(text) < 200 else ""
    if not label:
        classifiers = [
            c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License")
        ]
        label = ", ".join(classifiers)
    label = label.split(" (")[0].strip()  # "BSD license (see license.txt …)" → "BSD license"
    return label or "見下方全文 / see the text below"


def _licence_texts(dist: md.Distribution) -> list[tuple[str, str]]:
    texts = []
    for file in dist.files or []:
        if LICENSE_NAME.search(file.name) and ".dist-info" in str(file):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                texts.append((file.name, path.read_text(encoding="utf-8", errors="replace")))
    return texts


def _common(name: str) -> str:
    return (COMMON_LICENSES / name).read_text(encoding="utf-8")


def write_licenses(out: Path = OUT) -> list[tuple[str, str, str]]:
    """Write one file per part and the index; returns (part, licence, file name) rows."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    rows: list[tuple[str, str, str]] = []

    def emit(file_name: str, part: str, label: str, home: str, body: str) -> None:
        header = f"{part}\n授權 License: {label}\n網址 Home: {home}\n{'=' * 72}\n\n"
        (out / file_name).write_text(header + body.rstrip() + "\n", encoding="utf-8")
        rows.append((part, label, file_name))

    python_license = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    emit(
        "python.txt",
        "Python",
        "PSF-2.0",
        "https://www.python.org/",
        python_license.read_text(encoding="utf-8"),
    )
    try:
        pyi = md.distribution("pyinstaller")
        pyi_texts = _licence_texts(pyi)
        emit(
            "pyinstaller-bootloader.txt",
            "PyInstaller bootloader",
            "GPL-2.0-or-later WITH Bootloader-exception",
            "https://pyinstaller.org/",
            "\n\n".join(text for _name, text in pyi_texts),
        )
    except md.PackageNotFoundError:
        print("warning: pyinstaller not installed; its bootloader licence was not written", file=sys.stderr)

    for dist in runtime_distributions():
        name = dist.metadata["Name"]
        label = _licence_label(dist)
        home = dist.metadata.get("Home-page") or ""
        if not home:
            urls = dist.metadata.get_all("Project-URL") or []
            home = urls[0].split(",", 1)[-1].strip() if urls else ""
        texts = _licence_texts(dist)
        body = "\n\n".join(f"--- {fname} ---\n{text}" for fname, text in texts)
        if _norm(name) in ("pyside6-essentials", "shiboken6"):
            body = QT_NOTE + "\n\n" + _common("LGPL-3") + "\n\n" + _common("GPL-3")
        if not body.strip():
            raise SystemExit(f"no licence text found for {name}; add one by hand")
        emit(license_file_name(name), name, label, home, body)

    lines = [
        "本程式附帶的元件與授權 / Parts bundled with this application and their licences",
        "",
        "本程式（desktop-app）以 MIT 授權釋出。安裝資料夾內另附下列元件，各依其授權散布；全文見同資料夾各檔。",
        "desktop-app itself is MIT-licensed. The installation also carries these parts, each under",
        "its own licence; the full texts are in the files of this folder.",
        "",
    ]
    width = max(len(part) for part, _l, _f in rows)
    for part, label, file_name in rows:
        lines.append(f"- {part.ljust(width)}  {label}  ({file_name})")
    lines += [
        "",
        "PyInstaller bootloader：程式的啟動檔（desktop-app.exe），GPL 附例外條款，允許隨任何程式散布。",
    ]
    lines += ["", LINUX_NOTE]
    (out / "README.txt").write_text("\n".join(lines), encoding="utf-8")
    return rows


def main() -> int:
    rows = write_licenses()
    print(f"wrote {len(rows)} licence files and README.txt to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
