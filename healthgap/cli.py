"""The `healthgap` command: `data fetch`, `data build`, `data add`, `data catalogue-be`, `serve`."""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="healthgap", description="Gezondheidskloof dashboard and data tools")
    sub = p.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="fetch the open data and build the database")
    dsub = data.add_subparsers(dest="data_command", required=True)
    fetch = dsub.add_parser("fetch", help="download every source from its publisher")
    fetch.add_argument("--sources", help="sources folder (default: HEALTHGAP_SOURCES or data/sources)")
    fetch.add_argument("--only", nargs="*", help="source ids to fetch (default: all)")
    fetch.add_argument(
        "--mirror",
        help="base URL of a mirror holding the reference layout (default: HEALTHGAP_MIRROR); "
        "every file is checked against data/sources.toml",
    )
    build = dsub.add_parser("build", help="build the DuckDB database from the sources folder")
    build.add_argument("--sources", help="sources folder (default: HEALTHGAP_SOURCES, data/sources or ../shared/data)")
    build.add_argument("--db", help="database file (default: HEALTHGAP_DB or data/healthgap.duckdb)")

    add = dsub.add_parser("add", help="check an own indicator table (CSV/xlsx) and add it to the "
                          "user database")
    add.add_argument("file", help="CSV or Excel file in the upload template")
    add.add_argument("--user-db", help="user database (default: HEALTHGAP_USER_DB or data/user.duckdb)")
    add.add_argument("--db", help="built database to check against, opened read-only "
                     "(default: HEALTHGAP_DB or data/healthgap.duckdb)")
    add.add_argument("--report", help="where to write the problem report (default: FILE.rapport.csv)")
    add.add_argument("--accept-valid", action="store_true",
                     help="add the valid rows even when other rows are rejected")

    cat = dsub.add_parser("catalogue-be", help="list the Flemish Gemeente-Stadsmonitor health and "
                          "socio-economic indicators with their download URL")
    cat.add_argument("--catalogue", help="catalogue CSV (default: <sources>/be/catalog/...)")
    cat.add_argument("--sources", help="sources folder (default: HEALTHGAP_SOURCES or ../shared/data)")
    cat.add_argument("--all", action="store_true", help="list all 422 indicators, not only health/SES")

    serve = sub.add_parser("serve", help="build the database if missing, then start the dashboard")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", default="127.0.0.1", help="bind address (localhost by default)")
    serve.add_argument("--sources", help="sources folder used when the database must be built")
    serve.add_argument("--db", help="database file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "data" and args.data_command == "fetch":
        from healthgap.fetch import run_fetch

        return run_fetch(args)
    if args.command == "data" and args.data_command == "build":
        from healthgap.build.pipeline import run_build

        return run_build(args)
    if args.command == "data" and args.data_command == "add":
        from healthgap.upload.command import run_add

        return run_add(args)
    if args.command == "data" and args.data_command == "catalogue-be":
        from healthgap.be_catalogue import run_catalogue

        return run_catalogue(args)
    if args.command == "serve":
        from healthgap.serve import run_serve

        return run_serve(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
