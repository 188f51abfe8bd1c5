"""Claims CSV: the claims JSONL (app/exporting/claims.py) flattened to one row per claim.

    article_uid, article_title, claim_text, claim_start, claim_end, sentence,
    claimant_kind, claimant_text, claimant_label, cue, hedges (" | "), <every schema
    attribute: its value, else its default>, annotator

The records are ClaimsExporter's own, so both formats agree on sentence, claimant, cue and
hedges; a schema attribute named like a fixed column (claimant_kind, claimant_text) is not
repeated: the fixed column, resolved from the claimant relation, stands for it.

For spreadsheets: UTF-8 with a BOM (Excel reads UTF-8 only then), CRLF line ends and
minimal quoting (RFC 4180), and a cell beginning with = + - @, a tab or a CR gets a leading
`'` so it is never run as a formula (OWASP, CSV injection); so does a cell that begins with
quotes and then one of those, so that `unquote` removes exactly the quote `safe` added.

Round trip: the claim attributes filled in a spreadsheet come back onto their claims
(app/interop/claims_csv_import.py; `newsmark import PROJECT claims.csv`). A row holds a
claim and its sentence, not the article's text, so no article, span or relation is made
from it; sentence, claimant_*, cue and hedges are read by people, not imported.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

import orjson

from app.exporting.claims import ClaimsExporter
from app.exporting.common import discard, temp_path
from models.domain import Annotation

FIXED = ("article_uid", "article_title", "claim_text", "claim_start", "claim_end", "sentence",
         "claimant_kind", "claimant_text", "claimant_label", "cue", "hedges")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
HEDGE_SEPARATOR = " | "


def safe(value: Any) -> str:
    """A cell as text, neutralised when a spreadsheet would read it as a formula."""
    cell = "" if value is None else str(value)
    return "'" + cell if _formula(cell) else cell


def unquote(cell: str) -> str:
    """A cell as the user meant it: the quote `safe` added is removed, nothing else."""
    return cell[1:] if cell.startswith("'") and _formula(cell[1:]) else cell


def _formula(cell: str) -> bool:
    """Whether `safe` quotes the cell: it starts with = + - @ TAB CR, after any quotes."""
    return cell.lstrip("'").startswith(DANGEROUS)


class ClaimsCsvExporter(ClaimsExporter):
    """ClaimsExporter's records, each flattened to a row of `columns()`."""

    def columns(self) -> list[str]:
        return [*FIXED, *self.attribute_names(), "annotator"]

    def attribute_names(self) -> list[str]:
        return [d.name for d in self.attribute_defs if d.name not in FIXED]

    def convert(self, batch: list[Annotation]) -> list[list[str]]:
        return [self.row(orjson.loads(line)) for line in super().convert(batch)]

    def row(self, record: dict) -> list[str]:
        claimant = record["claimant"] or {}
        cue = record["cue"] or {}
        values = [record["article_uid"], record["article_title"], record["claim"]["text"],
                  record["claim"]["start"], record["claim"]["end"], record["sentence"]["text"],
                  claimant.get("kind"), claimant.get("text"), claimant.get("label"),
                  cue.get("text"), HEDGE_SEPARATOR.join(h["text"] for h in record["hedges"]),
                  *(record["attributes"].get(name) for name in self.attribute_names()),
                  record["annotator"]]
        return [safe(v) for v in values]

    def open_sink(self, path: Path) -> CsvSink:
        return CsvSink(path, self.columns())


class CsvSink:
    """Rows streamed to a temporary file beside the target, the header first."""

    def __init__(self, target: Path, header: list[str]) -> None:
        self.temp = temp_path(target)
        self._file: IO[str] = open(self.temp, "x", encoding="utf-8-sig", newline="",
                                   buffering=1 << 20)
        self._writer = csv.writer(self._file, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        self._writer.writerow(header)

    def write(self, items: list[list[str]]) -> None:
        self._writer.writerows(items)

    def close(self) -> None:
        self._file.close()

    def abort(self) -> None:
        self._file.close()
        discard(self.temp)
