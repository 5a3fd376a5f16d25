"""Security basics, checked on the code and the configuration: XSRF protection on, an upload cap,
localhost by default, no user or data text rendered as HTML, SQL built only from fixed identifiers,
and pinned dependencies with a documented audit. See docs/deploy.md."""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from healthgap import serve
from healthgap.cli import _parser
from healthgap.settings import PROJECT_ROOT

CONFIG = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
SQL_SCAN_ROOTS = ["healthgap", "bench", "indicators", "pages", "app.py"]
HTML_SCAN_ROOTS = ["healthgap", "bench", "indicators", "pages", "app.py"]
SQL_METHODS = {"execute", "executemany", "query", "rows", "sql"}


def python_files(roots) -> list[Path]:
    out = []
    for root in roots:
        p = PROJECT_ROOT / root
        out += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return out


def rel(p: Path) -> str:
    return p.relative_to(PROJECT_ROOT).as_posix()


# ---------------------------------------------------------------------------------------------
# Server configuration


def test_xsrf_protection_is_on_and_cors_is_not_switched_off():
    server = CONFIG["server"]
    assert server.get("enableXsrfProtection") is True
    # Streamlit silently drops XSRF protection when CORS protection is switched off
    assert server.get("enableCORS", True) is True


def test_upload_size_is_capped_and_the_app_cap_fits_inside_it():
    from healthgap.ui import uploads

    cap_mb = CONFIG["server"].get("maxUploadSize")
    assert isinstance(cap_mb, int) and 0 < cap_mb <= 50, cap_mb
    assert uploads.DEFAULT_MAX_MB <= cap_mb


def test_the_server_binds_to_localhost_by_default():
    assert CONFIG["server"].get("address") == "127.0.0.1"
    args = _parser().parse_args(["serve"])
    assert args.address == "127.0.0.1"
    argv = serve.streamlit_argv(args.port, args.address)
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"


def test_no_usage_statistics_or_external_requests_are_configured():
    assert CONFIG["browser"].get("gatherUsageStats") is False


# ---------------------------------------------------------------------------------------------
# HTML


def module_str_constants(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def unsafe_html_offenders(source: str, name: str) -> list[str]:
    """Calls with unsafe_allow_html set to anything but False whose body is not a constant
    string (a literal, or a module-level name bound to one)."""
    tree = ast.parse(source)
    constants = module_str_constants(tree)
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        kw = next((k for k in node.keywords if k.arg == "unsafe_allow_html"), None)
        if kw is None or (isinstance(kw.value, ast.Constant) and kw.value.value is False):
            continue
        body = node.args[0] if node.args else next(
            (k.value for k in node.keywords if k.arg in ("body", "data")), None)
        if isinstance(body, ast.Constant) and isinstance(body.value, str):
            continue
        if isinstance(body, ast.Name) and body.id in constants:
            continue
        out.append(f"{name}:{node.lineno}: {ast.unparse(node)[:120]}")
    return out


def test_no_user_or_data_text_is_rendered_as_html():
    offenders = []
    for f in python_files(HTML_SCAN_ROOTS):
        offenders += unsafe_html_offenders(f.read_text(encoding="utf-8"), rel(f))
    assert not offenders, "unsafe_allow_html with a non-constant body:\n" + "\n".join(offenders)


def test_the_html_scan_catches_formatted_markup():
    bad = 'import streamlit as st\nst.markdown(f"<b>{name}</b>", unsafe_allow_html=True)\n'
    good = 'import streamlit as st\nCSS = "<style>p{}</style>"\nst.markdown(CSS, unsafe_allow_html=True)\n'
    assert unsafe_html_offenders(bad, "x.py")
    assert not unsafe_html_offenders(good, "x.py")


# ---------------------------------------------------------------------------------------------
# SQL built from strings


# Pieces interpolated into SQL that are fixed identifiers but cannot be proven so by the scan
# below (which accepts module-level string constants and loop variables over module-level tuples
# of string literals). Key: (file, source text of the piece); value: why it is safe.
ALLOWED_SQL_PIECES = {
    ("healthgap/store.py", "' UNION ALL BY NAME '.join(parts)"):
        "connect_overlay: parts are 'SELECT * FROM {alias}.{table}' with the catalog aliases "
        "'base'/'userdb' and a USER_TABLES name",
    ("healthgap/build/writer.py", "name"): "insert_frame: checked against TABLE_ORDER (the "
                                           "schema's table names) before it is used",
}


@dataclass(frozen=True)
class Piece:
    file: str
    line: int
    call: str
    text: str


def _constant_tuple_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to a tuple/list of string literals (e.g. TABLE_ORDER)."""
    out = set()
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        if isinstance(value, (ast.Tuple, ast.List)) and value.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts):
            out |= {t.id for t in targets if isinstance(t, ast.Name)}
    return out


def _loop_vars_over_constants(tree: ast.Module, tuples: set[str]) -> set[str]:
    """Names bound by `for x in CONSTANT_TUPLE` anywhere in the module."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name) \
                and isinstance(node.iter, ast.Name) and node.iter.id in tuples:
            out.add(node.target.id)
    return out


def _dynamic_pieces(arg: ast.expr) -> list[ast.expr] | None:
    """The non-constant parts of a string-built SQL argument; None when it is not string-built
    (a literal, or a plain variable passed through such as Store.query's `sql`)."""
    if isinstance(arg, ast.JoinedStr):
        return [v.value for v in arg.values if isinstance(v, ast.FormattedValue)]
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, (ast.Add, ast.Mod)):
        pieces = []
        for side in (arg.left, arg.right):
            if isinstance(side, ast.Constant):
                continue
            sub = _dynamic_pieces(side)
            pieces += [side] if sub is None else sub
        return pieces
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) \
            and arg.func.attr == "format" and isinstance(arg.func.value, ast.Constant):
        return list(arg.args) + [k.value for k in arg.keywords]
    return None


def string_built_sql(source: str, name: str) -> tuple[list[Piece], list[Piece]]:
    """(accepted, offending) interpolated pieces of SQL calls in one module."""
    tree = ast.parse(source)
    fixed = module_str_constants(tree) | _loop_vars_over_constants(tree, _constant_tuple_names(tree))
    accepted, offending = [], []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_METHODS and node.args):
            continue
        pieces = _dynamic_pieces(node.args[0])
        for piece in pieces or []:
            text = ast.unparse(piece)
            p = Piece(name, node.lineno, node.func.attr, text)
            ok = (isinstance(piece, ast.Name) and piece.id in fixed) or (name, text) in ALLOWED_SQL_PIECES
            (accepted if ok else offending).append(p)
    return accepted, offending


def test_every_sql_statement_built_from_strings_interpolates_only_fixed_identifiers():
    accepted, offending = [], []
    for f in python_files(SQL_SCAN_ROOTS):
        a, o = string_built_sql(f.read_text(encoding="utf-8"), rel(f))
        accepted += a
        offending += o
    assert not offending, (
        "SQL built from strings with pieces that are not fixed identifiers; pass values as "
        "parameters (?), or add the piece to ALLOWED_SQL_PIECES with the reason it is fixed:\n"
        + "\n".join(f"  {p.file}:{p.line} .{p.call}(...): {{{p.text}}}" for p in offending))
    used = {(p.file, p.text) for p in accepted}
    stale = [k for k in ALLOWED_SQL_PIECES if k not in used]
    assert not stale, f"ALLOWED_SQL_PIECES entries no longer used: {stale}"


@pytest.mark.parametrize("snippet", [
    'con.execute(f"SELECT * FROM areas WHERE area_code = \'{code}\'")',
    'store.query("SELECT * FROM areas WHERE name = \'" + name + "\'")',
    'con.execute("SELECT * FROM %s" % table)',
    'cur.sql("SELECT {} FROM areas".format(column))',
    's.rows(f"SELECT * FROM {TABLE} WHERE x = {value}")',
])
def test_the_sql_scan_flags_values_formatted_into_sql(snippet):
    source = f'TABLE = "areas"\n{snippet}\n'
    _, offending = string_built_sql(source, "x.py")
    assert offending, snippet


def test_the_sql_scan_accepts_parameters_and_constant_identifiers():
    source = (
        'COLS = "a, b"\nTABLES = ("areas", "sources")\n'
        'con.execute("SELECT * FROM areas WHERE area_code = ?", [code])\n'
        'store.query(f"SELECT {COLS} FROM areas")\n'
        'for t in TABLES:\n    con.execute(f"SELECT count(*) FROM {t}")\n'
    )
    accepted, offending = string_built_sql(source, "x.py")
    assert not offending and len(accepted) == 2


# ---------------------------------------------------------------------------------------------
# Dependencies


def test_dependencies_are_pinned_in_a_constraints_file_used_by_make_install():
    constraints = (PROJECT_ROOT / "constraints.txt").read_text(encoding="utf-8")
    pins = [line for line in constraints.splitlines() if line.strip() and not line.startswith("#")]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^\s=]+", p) for p in pins), [
        p for p in pins if "==" not in p]
    pinned = {re.split(r"[=\[]", p)[0].lower().replace("_", "-") for p in pins}
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = pyproject["project"]["dependencies"] + pyproject["project"]["optional-dependencies"]["dev"]
    names = {re.match(r"[A-Za-z0-9_.\-]+", d).group(0).lower().replace("_", "-") for d in declared}
    assert names <= pinned, f"declared but not pinned: {sorted(names - pinned)}"
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-c constraints.txt" in makefile


def test_every_ignored_advisory_is_documented_with_a_reason_and_a_review_date():
    lines = [line for line in (PROJECT_ROOT / "audit-ignore.txt").read_text(encoding="utf-8")
             .splitlines() if line.strip() and not line.startswith("#")]
    for line in lines:
        fields = [f.strip() for f in line.split("|")]
        assert len(fields) == 4, f"expected 'ID | package | why | review by YYYY-MM-DD': {line}"
        adv_id, package, why, until = fields
        assert re.fullmatch(r"(PYSEC|GHSA|CVE)-[\w-]+", adv_id), line
        assert package and len(why) > 20, line
        assert re.fullmatch(r"review by \d{4}-\d{2}-\d{2}", until), line
