"""The roster pre-check (開課預檢): rule catalogue, plan model and the one-pass engine.

The rule catalogue is ``docs/precheck-rules.md`` in this repository. The data types in
:mod:`desktop_app.domain.precheck.model` are the interface between the engine (``engine.py``:
``check_workbook``), the services/CLI/reports and the tab.
"""
