"""The pre-check gives the same findings when a large sheet is parsed in two halves at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.demo.precheck_samples import bench_roster, sample_plan
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.readers import xlsx_split
from desktop_app.services.precheck.check import check_roster_file


def test_findings_are_the_same_read_whole_or_in_halves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = sample_plan(113)
    roster = tmp_path / "roster.xlsx"
    injected = bench_roster(roster, plan, 6000, year=113, term=1)
    options = CheckOptions(school_code="011302", year=113, term=1)
    results = []
    for threshold in (1 << 40, 0):
        monkeypatch.setattr(xlsx_split, "SPLIT_MIN_XML", threshold)
        results.append(check_roster_file(roster, plan, options))
    whole, halves = results
    assert xlsx_split.load_split(roster, "學期成績") is not None  # the second run really split
    assert halves.findings == whole.findings and halves.rows == whole.rows and halves.counts == whole.counts
    assert halves.patterns == whole.patterns and halves.offering == whole.offering
    assert whole.counts["R14"] == injected["R14"] and whole.rows["學期成績"] >= 6000
