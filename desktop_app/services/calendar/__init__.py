"""作業期程 services, one module per job.

- :mod:`.timings` — the task template and the timing words (開學初 …), the school's overrides;
- :mod:`.tasks` — a 學年度's tasks: read (``list_tasks``, the self-check evidence's contract),
  add, edit, move, mark done, official 國教署 deadlines;
- :mod:`.planning` — plan a 學年度 from the template (preview, then create/update);
- :mod:`.evidence` — progress from the other features (開課預檢 runs, 工作小組 meetings,
  收訖明細 batches);
- :mod:`.deadlines` — ``deadline_items``: every item with its state (done, overdue, due soon …);
- :mod:`.reminders` — what is overdue or due soon (``calendar due``, the window's banner);
- :mod:`.exports` — the .ics, xlsx and PDF agenda exports, one function each for window and CLI.

Callers import from the module that does the job; the few names other features read are also
available here.
"""

from __future__ import annotations

from desktop_app.domain.calendar import DeadlineItem, TaskInfo, TaskStatus
from desktop_app.services.calendar.deadlines import deadline_items
from desktop_app.services.calendar.reminders import banner_summary, due_items
from desktop_app.services.calendar.tasks import list_tasks, planned_years

__all__ = [
    "DeadlineItem",
    "TaskInfo",
    "TaskStatus",
    "banner_summary",
    "deadline_items",
    "due_items",
    "list_tasks",
    "planned_years",
]
