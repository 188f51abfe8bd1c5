"""Importing articles (.txt, .jsonl, .csv, .html, folders) into a project.

    report = import_paths(store, ["news/"], annotator="ada")
    for problem in report.rejected:
        print(problem)              # FILE:LINE: reason
"""
from app.importing.report import ImportReport, Problem
from app.importing.service import import_paths

__all__ = ["ImportReport", "Problem", "import_paths"]
