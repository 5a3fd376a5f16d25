"""The one error class of the build: a source file that cannot be used as it is."""

from __future__ import annotations

from pathlib import Path


class SourceError(ValueError):
    """A source file is missing, empty, truncated or holds values the database must not accept.

    The message names the file, where in it (row or column) and what was expected, so the person
    running `healthgap data build` can fix the file or re-fetch it.
    """

    def __init__(self, path: Path | str, problem: str, *, where: str | None = None):
        self.path = str(path)
        self.where = where
        self.problem = problem
        location = f" ({where})" if where else ""
        super().__init__(f"{self.path}{location}: {problem}")
