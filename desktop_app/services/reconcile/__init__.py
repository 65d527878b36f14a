"""收訖對照 (a 收訖明細 batch against the final 修課紀錄/成績名冊 the school submitted), one module per job:

- :mod:`.roster`: opening and reading a roster (SHA-256 before and after; never written), and
  :mod:`.sheet`: the rows of one of its data sheets
- :mod:`.run`: the reconcile action (match, record the run, plain rows out)
- :mod:`.explanations`: the runs recorded and the clerk's notes on 未收訖 items
- :mod:`.export`: the result as an xlsx workbook (the window and the command line both call it)

The value types (``ReconcileResult``, ``ReconcileRow``, ``RosterFile``) are in
``desktop_app/domain/reconcile_result.py``. Callers import from the module that does the job; this
package imports nothing, so the command line can start reading the rosters (``roster.py``, no
database) before SQLAlchemy is loaded.
"""
