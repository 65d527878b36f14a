"""The bad-file corpus (tests/data/precheck/manifest.json): the right F code or a correct run."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from desktop_app.demo.precheck_samples import sample_plan
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.readers import ReaderError, read_workbook
from desktop_app.services.precheck.check import check_roster

CORPUS = Path(__file__).resolve().parents[1] / "data" / "precheck"
MANIFEST: dict[str, dict[str, object]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
PLAN = sample_plan(113)
OPTIONS = CheckOptions(school_code="011302", year=113, term=1)


def test_corpus_is_complete() -> None:
    assert len(MANIFEST) >= 20
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".xlsx", ".xls", ".csv", ".ods")}
    assert on_disk == set(MANIFEST)
    assert {"F01", "F02", "F05", "ok"} <= {str(e["outcome"]) for e in MANIFEST.values()}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_corpus_file(name: str) -> None:
    expected = MANIFEST[name]
    path = CORPUS / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    started = time.perf_counter()
    result = check_roster(path, PLAN, OPTIONS)
    assert time.perf_counter() - started < 10, "a bad file must be refused quickly, not hang"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before == result.sha256
    outcome = expected["outcome"]
    if outcome == "ok":
        assert not result.fatal, result.findings
        assert result.counts == expected.get("counts", {}), result.findings
        if "rows" in expected:
            assert result.rows == expected["rows"]
        if "encoding" in expected:
            assert result.encoding == expected["encoding"]
        if "pua" in expected:
            assert len(result.pua) == expected["pua"]
            assert result.pua[0].chars == "\ue000" and result.pua[0].student_id
    else:
        assert result.fatal
        assert result.counts == {outcome: 1}
        (finding,) = result.findings
        assert finding.code == outcome and name in finding.message
        assert finding.message.strip()


@pytest.mark.parametrize(
    "name",
    sorted(n for n, e in MANIFEST.items() if e["outcome"] in ("F01", "F02") and e.get("reader") != "ok"),
)
def test_reader_refuses_with_the_code(name: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_workbook(CORPUS / name)
    assert info.value.code == MANIFEST[name]["outcome"]
    assert name in info.value.message or "位元組" in info.value.message


def test_limits_are_stated_in_the_message() -> None:
    for name, words in (
        ("zipbomb_declared.xlsx", ("MB", "上限")),
        ("zipbomb_ratio.xlsx", ("倍", "上限")),
        ("encrypted.xlsx", ("密碼",)),
        ("html_saved_as.xls", ("HTML",)),
    ):
        message = check_roster(CORPUS / name, PLAN, OPTIONS).findings[0].message
        assert all(w in message for w in words), message


def test_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\r\n" * 1000)
    with pytest.raises(ReaderError, match="超過上限") as info:
        read_workbook(big, max_bytes=1000)
    assert info.value.code == "F01"
