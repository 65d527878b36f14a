"""收訖明細 services, one module per job:

- :mod:`.students`: the student master (學生名冊) and the 難字對照表
- :mod:`.reading`: reading a 收訖明細 file (header row found by known column names)
- :mod:`.mapping`: column-mapping guesses, remembered per header shape
- :mod:`.importing`: the dry run and the import of a file as a new batch
- :mod:`.batches`: the batch list (the contract other features read), period, deleting a batch
- :mod:`.confirmation`: statuses per student and category, 免確認, 視為已確認, progress
- :mod:`.slips`: the slips' and reminders' data, returned slips (回條) scanned back
- :mod:`.objections`: 疑義
- :mod:`.printing`: every file the feature writes (slips and reminders PDF, progress xlsx)

Callers import from the module that does the job. This package re-exports the batch contract
other features read (``list_batches``, ``get_batch``, ``batch_term_title``, ``ReceiptBatchInfo``).
"""

from desktop_app.domain.receipts import ReceiptBatchInfo, batch_term_title
from desktop_app.services.receipts.batches import get_batch, list_batches

__all__ = ["ReceiptBatchInfo", "batch_term_title", "get_batch", "list_batches"]
