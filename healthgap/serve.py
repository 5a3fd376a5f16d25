"""`healthgap serve`: build the database when it is missing, then start the dashboard.

Streamlit runs in this process through `streamlit.web.cli`, bound to 127.0.0.1 unless an
address is given, with app.py beside this package as the entry point (its .streamlit/config.toml
and static/ folder are picked up from there).
"""

from __future__ import annotations

import os
import sys

from healthgap import settings

APP = settings.PROJECT_ROOT / "app.py"


def ensure_database(db_path, sources_arg=None) -> int:
    """0 when the database exists or was built; 1 with a message saying how to get the data."""
    if db_path.is_file():
        return 0
    sources = settings.sources_dir(sources_arg)
    if not sources.is_dir() or not any(sources.iterdir()):
        print(
            f"De database {db_path} bestaat nog niet en er is geen map met bronbestanden "
            f"({sources}).\nHaal de open data op met `healthgap data fetch`, of wijs een bestaande "
            f"map aan met --sources of de omgevingsvariabele HEALTHGAP_SOURCES.",
            file=sys.stderr,
        )
        return 1
    from healthgap.build.pipeline import build_database

    print(f"Database {db_path} ontbreekt; bouwen uit {sources} ...", file=sys.stderr)
    build_database(sources, db_path)
    return 0


def streamlit_argv(port: int, address: str) -> list[str]:
    return ["streamlit", "run", str(APP), "--server.port", str(port),
            "--server.address", address, "--server.headless", "true",
            "--browser.gatherUsageStats", "false"]


def run_serve(args) -> int:
    db_path = settings.db_path(getattr(args, "db", None))
    status = ensure_database(db_path, getattr(args, "sources", None))
    if status:
        return status
    # the app finds the database through the same setting, also in Streamlit's script thread
    os.environ["HEALTHGAP_DB"] = str(db_path)
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as stcli

    # Streamlit treats a folder named pages/ beside the entry script as a legacy (v1) multipage
    # app until some session has called st.navigation: a first visit to a deep link such as
    # /kaart would then run pages/kaart.py without app.py (no sidebar, no selection). Our app
    # always uses st.navigation, so switch the legacy mode off before the server starts.
    PagesManager.uses_pages_directory = False

    sys.argv = streamlit_argv(getattr(args, "port", 8501), getattr(args, "address", "127.0.0.1"))
    try:
        stcli.main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
