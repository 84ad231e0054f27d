"""Content problems, collected (never raised one at a time) so an editor sees them all."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, slots=True)
class Issue:
    path: Path
    line: int
    field: str  # dotted key ("montant.min"), or "-" for the whole file
    message: str  # French, for editors
    severity: Severity = Severity.ERROR
    kind: str = ""  # what sort of problem, to summarise repeated warnings

    def format(self) -> str:
        prefix = "" if self.severity is Severity.ERROR else "avertissement : "
        return f"{self.path}:{self.line}: {self.field}: {prefix}{self.message}"


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]


def warnings(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.WARNING]
