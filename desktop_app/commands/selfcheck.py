"""`desktop-app selfcheck …` sub-commands: evidence findings and exports of the 自我檢核表."""

from __future__ import annotations

import argparse

from desktop_app.commands import fail, open_db, school_year, write_json
from desktop_app.domain.roc_date import Term


def _term(text: str) -> Term:
    try:
        term = Term.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    school_year(str(term.year))  # the same plausible 學年度 range as --year
    return term


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """``selfcheck evidence`` and ``selfcheck export``."""
    parser = sub.add_parser("selfcheck", help="自我檢核表：佐證檢核、匯出")
    inner = parser.add_subparsers(dest="selfcheck_command", metavar="SUBCOMMAND", required=True)

    ev = inner.add_parser("evidence", parents=[common], help="列出某學期每條佐證規則的檢核結果")
    ev.add_argument("--term", type=_term, required=True, help="學期，例如 113-1")
    ev.add_argument("--json", metavar="FILE", help="另存為 JSON 檔")
    ev.set_defaults(handler=run_evidence)

    ex = inner.add_parser("export", parents=[common], help="匯出某學期的自我檢核表（Excel / PDF）")
    ex.add_argument("--term", type=_term, required=True, help="學期，例如 113-1")
    ex.add_argument("--form", metavar="ID", help="表單代號（預設：第一張表單）")
    ex.add_argument("--xlsx", metavar="FILE", help="Excel 檔")
    ex.add_argument("--pdf", metavar="FILE", help="PDF 檔（A4）")
    ex.set_defaults(handler=run_export)


def run_evidence(args: argparse.Namespace) -> int:
    from desktop_app.services.selfcheck import evidence_report

    db = open_db(args)
    try:
        report = evidence_report(db, args.term)
    finally:
        db.close()
    print(f"{report['term_title']} 佐證檢核")
    findings, counts = report["findings"], report["counts"]
    assert isinstance(findings, list) and isinstance(counts, dict)  # evidence_report's plain data
    for f in findings:
        print(f"[{f['status_label']}] {f['title']}：{f['summary']}")  # the rule id is in --json
        for line in f["details"]:
            print(f"      {line}")
    print("合計：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    if args.json:
        write_json(args.json, report)
        print(f"已寫入 {args.json}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from desktop_app.services.printing import FontNotFoundError
    from desktop_app.services.selfcheck import export_fill, find_form, load_catalog

    if not args.xlsx and not args.pdf:
        return fail("請用 --xlsx FILE 或 --pdf FILE 指定要匯出的檔案")
    catalog = load_catalog()
    for error in catalog.errors:
        print(f"警告：{error}（已略過此檔）")
    form = find_form(catalog, args.form)
    db = open_db(args)
    try:
        written = export_fill(db, form, args.term, xlsx=args.xlsx, pdf=args.pdf)
    except FontNotFoundError as exc:
        return fail(str(exc))
    finally:
        db.close()
    for path in written:
        print(f"已寫入 {path}")
    return 0
