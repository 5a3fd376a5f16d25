"""Parser registry: each source in data/sources.toml names a parser by key; a parser is a function
`(ctx, source, path) -> None` that adds what it read to the BuildContext.

Stages order the work: reference lists first (codes and names per division year), then boundaries
(checked against those lists), then values (checked against the areas). A Belgian parser is one more
entry here; nothing in the pipeline assumes the Netherlands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

REFERENCE, BOUNDARY, VALUES = 1, 2, 3


@dataclass(frozen=True)
class ParserSpec:
    name: str
    stage: int
    func: Callable


PARSERS: dict[str, ParserSpec] = {}


def parser(name: str, stage: int):
    def register(func: Callable) -> Callable:
        if name in PARSERS:
            raise RuntimeError(f"parser {name!r} registered twice")
        PARSERS[name] = ParserSpec(name, stage, func)
        return func
    return register


def load_all() -> dict[str, ParserSpec]:
    # Importing the modules registers their parsers.
    from healthgap.build.parsers import (  # noqa: F401
        be_boundaries,
        be_health,
        be_regions,
        be_ses,
        boundaries,
        nl_health,
        nl_regions,
        nl_ses,
    )
    return PARSERS
