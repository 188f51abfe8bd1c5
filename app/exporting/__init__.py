"""Exporting a project's annotations: Newsmark JSONL, Prodigy JSONL, spaCy DocBin, claims.

    report = export(store, "prodigy", "out.jsonl", status=[Status.DONE])
    for problem in report.problems:
        print(problem)              # uid:start-end LABEL 'text': why it was left out

Adding a format is one `Format` entry in `REGISTRY` and a module with its `Exporter`;
`REGISTRY[name].suffix` and `.summary` are there for file dialogs and help texts.
"""
from app.exporting.service import FORMATS, REGISTRY, ExportReport, Format, export

__all__ = ["FORMATS", "REGISTRY", "ExportReport", "Format", "export"]
