"""One-line takeaways: the guarded sentence templates of the Overzicht page, for one indicator.

A sentence only says "better/worse/higher/lower" when the comparison method (indicators/
comparison.py) classed the difference so; similar, not compared and missing values get their own
plain templates. Used by Overzicht and by presenter-mode slides.
"""

from __future__ import annotations

from healthgap.ui import fmt
from healthgap.ui.profile import gemeente_profile
from healthgap.ui.texts import t

CLASSED = ("much_worse", "much_better", "much_higher", "much_lower",
           "worse", "better", "higher", "lower")


def comparison_sentence(r, gemeente: str) -> str:
    """`r`: a row (itertuples) of healthgap.ui.profile.gemeente_profile."""
    period = fmt.period_label(r.period)
    if fmt.is_missing(r.value):
        return t("takeaway.missing", indicator=r.label, gemeente=gemeente, period=period,
                 status=t(f"status.{r.status}"))
    params = dict(indicator=r.label, gemeente=gemeente, benchmark=r.benchmark_label,
                  value=fmt.value_with_unit(r.value, r.unit, r.decimals),
                  benchmark_value=fmt.value_with_unit(r.benchmark, r.unit, r.decimals),
                  period=period)
    kind = r.category if isinstance(r.category, str) else None
    if kind in CLASSED:
        return t(f"overzicht.sentence_{kind}", **params)
    if kind == "similar":
        return t("takeaway.similar", **params)
    if fmt.is_missing(r.benchmark):
        return t("takeaway.no_benchmark", **params)
    return t("takeaway.not_compared", **params)


def for_selection(sel, profile=None) -> str | None:
    """The sentence for the sidebar's gemeente and indicator (None without a value row);
    `profile`: the gemeente_profile(sel) the page already has."""
    df = gemeente_profile(sel) if profile is None else profile
    if df.empty:
        return None
    row = df[df["indicator_id"] == sel.indicator_id]
    if row.empty:
        return None
    return comparison_sentence(next(row.itertuples()), sel.gemeente_name)
