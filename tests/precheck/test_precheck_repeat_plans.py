"""A 重修重讀成績名冊 checked from the app: 重修 codes are looked up in every stored plan version."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import precheck_layouts as L

from desktop_app.demo.precheck_samples import plan_rows, write_xlsx
from desktop_app.domain.precheck.model import CheckOptions
from desktop_app.services.precheck import runs as svc


def test_run_precheck_passes_every_stored_plan_version(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roster = L.write(tmp_path / "重修重讀成績名冊.xlsx", L.repeat_roster())
    current = svc.import_plan(db, write_xlsx(tmp_path / "p113.xlsx", {"課程計畫": plan_rows(L.PLAN)})).version
    options = CheckOptions(school_code="011302")
    alone = svc.run_precheck(db, roster, plan_version_id=current.id, options=options)
    assert alone.result.counts == {"R08": 1}  # the cohort-110 code is in no stored version yet
    svc.import_plan(db, write_xlsx(tmp_path / "p112.xlsx", {"課程計畫": plan_rows(L.OLD_PLAN)}))
    both = svc.run_precheck(db, roster, plan_version_id=current.id, options=options)
    assert both.result.counts == {} and both.result.rows == {"重修成績": 2, "重修成績(缺)": 0, "重讀成績": 4}
    assert both.run.plan_version_id == current.id  # the run still records the plan it was given
