"""收訖對照 (a 收訖明細 batch against the final 修課紀錄/成績名冊 the school submitted).

Callers import from the module that does the job; this package imports nothing, so the command line
can start reading the rosters (``roster.py``, no database) before SQLAlchemy is loaded.
"""
