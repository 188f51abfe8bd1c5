"""Every error a user can meet, written once, each with a code.

A message is one line: what happened, where, and what to do next. The CLI prints
`newsmark: error E###: message`; the GUI shows the same line. Never a traceback.
"""
from __future__ import annotations


class NewsmarkError(Exception):
    """Base of all user-facing errors. `code` is stable; the message is for people."""
    code = "E000"
    template = "{detail}"

    def __init__(self, detail: str = "", **kwargs: object) -> None:
        self.detail = detail
        self.kwargs = kwargs
        super().__init__(self.template.format(detail=detail, **kwargs))

    def __str__(self) -> str:
        return f"error {self.code}: {self.args[0]}"


class ProjectNotFound(NewsmarkError):
    code = "E001"
    template = "{detail}: no such project file (create one with `newsmark init {detail}`)"


class DirectoryMissing(NewsmarkError):
    code = "E002"
    template = "{detail}: the folder does not exist; create it first or choose another path"


class NotAProject(NewsmarkError):
    code = "E003"
    template = "{detail}: not a Newsmark project (an .nmk file made by `newsmark init`); the file was not changed"


class DamagedProject(NewsmarkError):
    code = "E004"
    template = ("{detail}: the project file is damaged ({reason}); it was not changed: "
                "restore your latest backup (`newsmark backup` makes one)")


class NewerSchema(NewsmarkError):
    code = "E005"
    template = ("{detail}: made by a newer Newsmark (schema {found}, this one reads up to {known}); "
                "update Newsmark; the file was not changed")


class ReadOnlyProject(NewsmarkError):
    code = "E006"
    template = "{detail}: the project is read-only here; copy it somewhere writable or fix its permissions"


class SaveFailed(NewsmarkError):
    code = "E007"
    template = "could not save to {detail}: {reason}; nothing of this action was stored, try again"


class ProjectBusy(NewsmarkError):
    code = "E008"
    template = "{detail}: another program kept the project locked too long; try again in a moment"


class ProjectExists(NewsmarkError):
    code = "E009"
    template = "{detail}: a file is already there; choose another name or open it"


class UnknownLabel(NewsmarkError):
    code = "E010"
    template = "label {detail!r} is not in the project's schema; add it with `newsmark labels add`"


class InvalidSpan(NewsmarkError):
    code = "E011"
    template = "{detail}"


class NothingToUndo(NewsmarkError):
    code = "E012"
    template = "nothing to {detail}"


class UndoConflict(NewsmarkError):
    code = "E013"
    template = "cannot {detail}"


class BadInput(NewsmarkError):
    """A file given to import/export/labels that cannot be read at all."""
    code = "E020"
    template = "{detail}"


class UnknownFormat(NewsmarkError):
    code = "E021"
    template = "{detail}"


class SchemaError(NewsmarkError):
    code = "E022"
    template = "{detail}"


class ExportError(NewsmarkError):
    code = "E030"
    template = "{detail}"


class GuiUnavailable(NewsmarkError):
    code = "E040"
    template = "{detail}"


class NotEnoughTrainingData(NewsmarkError):
    """Too few finished articles, or annotations in them, to train a model on."""
    code = "E050"
    template = "{detail}"


class TrainingError(NewsmarkError):
    """Training could not start, or spaCy stopped with an error."""
    code = "E051"
    template = "{detail}"


class WorkerFailed(NewsmarkError):
    """A background process ended without a result (killed, out of memory, a crash)."""
    code = "E052"
    template = "{detail}"
