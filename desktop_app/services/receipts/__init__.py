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

New code imports from the module that does the job. The package re-exports the public API of
those modules (not :mod:`.students` nor :mod:`.printing`, which load more) so that callers written
against the single ``services/receipts.py`` keep working; the value types the exports print live in
:mod:`desktop_app.domain.receipts`.
"""

from desktop_app.domain.receipts import (
    CLOSED_OBJECTION_STATUSES,
    TOTAL_CLASS,
    ProgressRow,
    ReceiptBatchInfo,
    StudentStatus,
    batch_term_title,
)
from desktop_app.services.receipts.batches import (
    BatchContents,
    batch_contents,
    delete_batch,
    get_batch,
    list_batches,
    set_period,
)
from desktop_app.services.receipts.confirmation import (
    DeemedRow,
    apply_deemed,
    batch_progress,
    check_exemptions,
    deemed_preview,
    get_exemptions,
    list_student_statuses,
    progress_json,
    set_confirmation,
    set_exemptions,
)
from desktop_app.services.receipts.importing import (
    ID_BLANK,
    ID_MASKED,
    NOT_IN_MASTER,
    ReceiptDryRun,
    ReceiptImportResult,
    RowProblem,
    UnknownId,
    dry_run_receipts,
    import_receipts,
    split_year_term,
)
from desktop_app.services.receipts.mapping import (
    MAPPING_KIND,
    MappingGuess,
    guess_mapping,
    merge_mapping,
    parse_mapping_spec,
    suggest_mapping,
)
from desktop_app.services.receipts.objections import (
    ObjectionInfo,
    list_objections,
    open_objection,
    update_objection,
)
from desktop_app.services.receipts.reading import (
    FIELD_LABELS,
    REQUIRED_FIELDS,
    VERBATIM_FIELDS,
    ReceiptFile,
    read_receipt_file,
)
from desktop_app.services.receipts.slips import (
    SCAN_ALREADY,
    SCAN_OK,
    SCAN_OTHER_BATCH,
    SCAN_UNKNOWN,
    ReminderLine,
    ScanResult,
    reminder_lines,
    scan_slip,
    slip_batch,
)

__all__ = [
    "CLOSED_OBJECTION_STATUSES",
    "FIELD_LABELS",
    "ID_BLANK",
    "ID_MASKED",
    "MAPPING_KIND",
    "NOT_IN_MASTER",
    "REQUIRED_FIELDS",
    "SCAN_ALREADY",
    "SCAN_OK",
    "SCAN_OTHER_BATCH",
    "SCAN_UNKNOWN",
    "TOTAL_CLASS",
    "VERBATIM_FIELDS",
    "BatchContents",
    "DeemedRow",
    "MappingGuess",
    "ObjectionInfo",
    "ProgressRow",
    "ReceiptBatchInfo",
    "ReceiptDryRun",
    "ReceiptFile",
    "ReceiptImportResult",
    "ReminderLine",
    "RowProblem",
    "ScanResult",
    "StudentStatus",
    "UnknownId",
    "apply_deemed",
    "batch_contents",
    "batch_progress",
    "batch_term_title",
    "check_exemptions",
    "deemed_preview",
    "delete_batch",
    "dry_run_receipts",
    "get_batch",
    "get_exemptions",
    "guess_mapping",
    "import_receipts",
    "list_batches",
    "list_objections",
    "list_student_statuses",
    "merge_mapping",
    "open_objection",
    "parse_mapping_spec",
    "progress_json",
    "read_receipt_file",
    "reminder_lines",
    "scan_slip",
    "set_confirmation",
    "set_exemptions",
    "set_period",
    "slip_batch",
    "split_year_term",
    "suggest_mapping",
    "update_objection",
]
