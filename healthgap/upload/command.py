"""`healthgap data add FILE`: check an own indicator table and add it to the user database."""

from __future__ import annotations

import sys
from pathlib import Path

from healthgap import store
from healthgap.settings import db_path
from healthgap.ui.texts import t
from healthgap.upload.read import UploadError, read_table
from healthgap.upload.userdb import add_to_user_db, reference_from, user_db_path
from healthgap.upload.validate import report_csv, validate

SHOWN_PROBLEMS = 20


def run_add(args) -> int:
    """0 when rows were added, 1 when the file or its rows were refused, 2 for a missing DB."""
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(t("upload.cli.error", message=str(exc)), file=sys.stderr)
        return 1
    try:
        ref = reference_from(db_path(args.db))
    except store.DatabaseUnavailable as exc:
        print(t("upload.cli.db_unavailable", reason=str(exc)), file=sys.stderr)
        return 2
    try:
        table, warnings = read_table(data, path.name)
    except UploadError as exc:
        print(t("upload.cli.error", message=str(exc)), file=sys.stderr)
        return 1
    result = validate(table, ref.areas, ref.crosswalk, ref.indicator_ids)
    report = Path(args.report) if args.report else path.with_name(path.name + ".rapport.csv")
    report.write_bytes(report_csv(result))
    print(t("upload.cli.summary", file=path.name, n_rows=result.n_rows, n_valid=result.n_valid,
            n_rejected=result.n_rejected))
    for w in warnings + result.warnings[:10]:
        print(w)
    if not result.report.empty:
        print(t("upload.cli.problems_heading", report=str(report)))
        for rec in result.report.head(SHOWN_PROBLEMS).itertuples(index=False):
            print("  " + t("upload.cli.problem_line", row=rec.row, column=rec.column,
                           problem=rec.problem, suggestion=rec.suggestion).rstrip())
    if result.n_valid == 0:
        print(t("upload.cli.nothing_valid"), file=sys.stderr)
        return 1
    if result.n_rejected and not args.accept_valid:
        print(t("upload.cli.refused"), file=sys.stderr)
        return 1
    added = add_to_user_db(result, user_db_path(args.user_db))
    if added.replaced:
        print(t("upload.warning.replaced", indicator_ids=", ".join(added.replaced)))
    print(t("upload.cli.added", n_valid=added.n_added, n_indicators=len(added.indicator_ids),
            user_db=str(added.user_db)))
    return 0
