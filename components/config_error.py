"""The error that stops a program whose configuration (or existing cluster) has problems."""

from __future__ import annotations

import pulumi

from sandboxing.config.settings import Problem
from sandboxing.config.validate import format_errors


class ConfigError(pulumi.RunError):
    """Every problem at once, as text for the engine (a RunError ends the run without a
    traceback) and as data for whoever runs the program (`problems`), so the offline plan reads
    them instead of parsing the text."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(format_errors(problems))
        self.problems = list(problems)
