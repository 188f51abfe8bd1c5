"""What an import did: counts, and every record it refused with the reason why."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One refused record (or file, line 0): `FILE:LINE: reason`, lines counted from 1."""
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class ImportReport:
    files: int = 0              # files read (explicit or found in folders)
    imported: int = 0           # articles added to the project
    duplicates: int = 0         # texts already in the project or earlier in this run
    skipped: int = 0            # unknown files in folders, Prodigy "reject"/"ignore" answers
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)   # imported, but not all of it
    new_labels: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected
