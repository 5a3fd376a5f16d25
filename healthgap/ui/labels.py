"""Option labels (format_func) and callbacks for widgets, defined outside the page scripts.

A widget keeps its format_func, on_change and on_click in the session's widget state for as
long as the session lives. A function defined in a page script (a lambda too) holds that run's
whole page namespace through its globals: every DataFrame and figure the page built stayed in
memory once per session (the Data page's unfiltered table alone was 95 MB per session).
Pages therefore pass functions from here, whose globals are this module's.
tests/test_page_memory.py checks that pages do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from healthgap.ui.frame import theme_label
from healthgap.ui.texts import t, t_optional


def prefixed(prefix: str, **fields) -> Callable[[object], str]:
    """format_func: the text `<prefix><option>` (with `fields` filled in)."""
    def label(option) -> str:
        return t(f"{prefix}{option}", **fields)
    return label


def optional(prefix: str) -> Callable[[object], str]:
    """format_func: the text `<prefix><option>` when it exists, else the option itself."""
    def label(option) -> str:
        return t_optional(f"{prefix}{option}") or str(option)
    return label


def theme_or_all(all_key: str, all_value: str = "alle") -> Callable[[str], str]:
    """format_func for a theme list with an 'all themes' entry first."""
    def label(theme: str) -> str:
        return t(all_key) if theme == all_value else theme_label(theme)
    return label


def bind(func: Callable, *args, **kwargs) -> Callable:
    """`func` with some arguments fixed (functools.partial), e.g. a gemeente name in a label."""
    return functools.partial(func, *args, **kwargs)
