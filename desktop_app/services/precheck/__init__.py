"""開課預檢 (the roster pre-check): one module per job.

- :mod:`.check`: read and hash a roster, run the pure engine on it (no database: the fast CLI path)
- :mod:`.runs`: course-plan versions, recorded runs, the history and its comparisons
- :mod:`.export`: the report xlsx and the annotated copy (one export path for window and CLI)
- :mod:`.pass_marks`, :mod:`.pass_marks_file`: the school's pass marks and the per-student list

Nothing is imported here, so ``import desktop_app.services.precheck.check`` stays light.
"""
