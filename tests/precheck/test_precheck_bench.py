"""The benchmark script runs end to end on a small roster (the real run uses 150,000 rows)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "precheck_bench.py"


def test_bench_runs_on_a_small_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("precheck_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    status = bench.main(["--rows", "1500", "--rounds", "1", "--keep", str(tmp_path), "--cli-only"])
    out = capsys.readouterr().out
    assert status in (0, 1)  # on 1,500 rows start-up time dominates: the verdict is for 150,000
    assert "ratio (a)/(b)" in out and "peak memory of (a)" in out
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert result["rows"] == {"學期成績": 1500 + result["counts"].get("R12", 0)}  # R12 rows are added copies
    assert result["counts"]["P01"] == 1 and result["counts"]["O01"] == 1
