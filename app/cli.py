"""The `newsmark` command line: the same services the GUI calls, for scripts and terminals.

Exit codes: 0 done; 1 done, but something was rejected or found wrong (import, check);
2 nothing done, an error said why in one line. Never a traceback: unexpected failures
print one line and write the traceback to the log file it names.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import orjson

from app import __version__
from app.progress import Cancelled, Progress
from models.domain import Label, Layer, Status
from models.errors import NewsmarkError, SchemaError

COMMANDS: dict[str, str] = {
    "init": "create an empty project with the default label schema",
    "import": "import articles and annotations (text, CSV, HTML, JSONL, doccano, Label "
              "Studio, brat, CoNLL, spaCy, Hugging Face) into a project",
    "export": "export annotations (newsmark, prodigy, spacy, claims, doccano, labelstudio, "
              "brat, conll, hf, claims-csv)",
    "stats": "count articles, spans and claims",
    "labels": "list, add, remove, import or export the label schema",
    "suggest": "pre-annotate articles: patterns, claims, a spaCy pipeline or a patterns file",
    "train": "train a spaCy model (ner, spancat for claims) from finished articles",
    "check": "check the project file's integrity and every span's offsets",
    "backup": "copy the project safely, even while it is open in the app",
    "open": "open a project in the Newsmark window",
}


def default_annotator() -> str:
    return os.environ.get("NEWSMARK_ANNOTATOR") or getpass.getuser() or "annotator"


class TerminalProgress:
    """A one-line progress bar on a terminal; silent when output is not a terminal."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.active = stream.isatty()

    def __call__(self, p: Progress) -> None:
        if not self.active:
            return
        if p.total:
            filled = int(30 * p.done / p.total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {p.done}/{p.total}"
        else:
            bar = f"{p.done}"
        self.stream.write(f"\r{bar} {p.message[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\r" + " " * 90 + "\r")


# --- commands ----------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> int:
    from app.project import create_project
    create_project(args.project).close()
    print(f"created {args.project}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.importing import import_paths
    from app.project import open_project
    bar = TerminalProgress()
    with open_project(args.project) as store:
        report = import_paths(store, args.paths, annotator=args.annotator, strict=args.strict,
                              fmt=args.format,
                              allow_new_labels=not args.no_new_labels, progress=bar)
    bar.close()
    for problem in report.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    for problem in report.rejected:
        print(problem, file=sys.stderr)
    kept = "nothing imported (--strict)" if args.strict and report.rejected else \
        f"{report.imported} imported"
    print(f"{kept}, {report.duplicates} duplicate(s) skipped, {report.skipped} skipped, "
          f"{len(report.rejected)} rejected" +
          (f", {len(report.warnings)} warning(s)" if report.warnings else "") +
          (f"; new labels: {', '.join(report.new_labels)}" if report.new_labels else ""))
    return 1 if report.rejected else 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.exporting import export
    from app.project import open_project
    bar = TerminalProgress()
    with open_project(args.project, readonly=True) as store:
        report = export(store, args.format, args.output, status=args.status,
                        annotator=args.annotator_filter,
                        include_suggestions=args.include_suggestions,
                        include_rejected=args.include_rejected, split=args.split, seed=args.seed,
                        scheme=args.scheme, progress=bar)
    bar.close()
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    outputs = ", ".join(str(p) for p in report.outputs)
    print(f"exported {report.articles} article(s), {report.records} record(s) to {outputs}"
          + (f"; {len(report.problems)} warning(s) listed above: what this format could "
             "not hold" if report.problems else ""))
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from app.project import open_project
    from app.suggest.service import make_suggester, run_suggester, save_label_map
    bar = TerminalProgress()
    with open_project(args.project) as store:
        if args.map:
            save_label_map(store, args.suggester, args.map)
        suggester = make_suggester(args.suggester, store)
        report = run_suggester(store, suggester, article_ids=args.articles, status=args.status,
                               progress=bar)
    bar.close()
    print(f"{report.suggester}: {report.added} suggestion(s) added over {report.articles} "
          f"article(s); {report.existing} already there (accepted, rejected or suggested) "
          "were left as they are")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    import threading

    from app.training import new_output_dir, train
    out = Path(args.output) if args.output else new_output_dir(args.project)
    stop = threading.Event()

    def show(epoch) -> None:
        print(epoch.summary(), flush=True)
    try:
        run = train(args.project, out, include_unfinished=args.include_unfinished, seed=args.seed,
                    max_epochs=args.max_epochs, on_epoch=show, cancel=stop.is_set)
    except KeyboardInterrupt:
        stop.set()
        raise
    best = run.best.summary() if run.best else "no evaluation finished"
    print(f"{run.status} in {run.seconds:.0f} s: {run.train_articles} train / {run.dev_articles} dev "
          f"articles; best {best}; model: {run.model or '-'}")
    if run.model:
        print(f"suggest with it: newsmark suggest {args.project} --with {run.output_dir}")
    return 0 if run.model else 1


def cmd_stats(args: argparse.Namespace) -> int:
    from app.project import open_project
    with open_project(args.project, readonly=True) as store:
        stats = store.stats()
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(stats, option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    print(f"{stats['articles']} articles, {stats['spans']} spans, {stats['claims']} claims, "
          f"{stats['relations']} relations")
    print("status:  " + ", ".join(f"{k} {v}" for k, v in stats["by_status"].items()))
    print("spans:   " + ", ".join(f"{k} {v}" for k, v in stats["by_state"].items()))
    print("labels:  " + (", ".join(f"{k} {v}" for k, v in stats["by_label"].items()) or "-"))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from app.project import open_project
    with open_project(args.project, readonly=True) as store:
        problems = store.check()
    for problem in problems:
        print(f"{args.project}: {problem}")
    print("ok" if not problems else f"{len(problems)} problem(s) found")
    return 1 if problems else 0


def cmd_backup(args: argparse.Namespace) -> int:
    from app.project import open_project
    project = Path(args.project)
    dest = Path(args.output) if args.output else project.with_name(
        f"{project.stem}-{datetime.now():%Y%m%d-%H%M%S}{project.suffix}")
    with open_project(project, readonly=True, upgrade=False) as store:   # a copy as it is
        store.backup(dest)
    print(f"backed up to {dest}")
    return 0


def cmd_labels(args: argparse.Namespace) -> int:
    from app.project import open_project
    from app.resources import schema_from_json, schema_to_json
    with open_project(args.project, readonly=args.action in ("list", "export")) as store:
        if args.action == "list":
            for lab in store.schema().labels:
                print(f"{lab.name:<12} {lab.layer:<7} {lab.colour:<8} {lab.hotkey or '-':<3} "
                      f"{lab.description}")
        elif args.action == "add":
            store.save_label(Label(args.name, Layer(args.layer), args.colour, args.hotkey,
                                   args.description))
            print(f"saved label {args.name}")
        elif args.action == "remove":
            store.remove_label(args.name)
            print(f"removed label {args.name}")
        elif args.action == "export":
            if args.labelstudio:
                from app.interop.labelstudio import labeling_config
                data = labeling_config(store.schema()).encode("utf-8")
            else:
                data = orjson.dumps(schema_to_json(store.schema()),
                                    option=orjson.OPT_INDENT_2) + b"\n"
            if args.output:
                Path(args.output).write_bytes(data)
            else:
                sys.stdout.buffer.write(data)
        elif args.action == "import":
            path = Path(args.file)
            try:
                data = orjson.loads(path.read_bytes())
            except (OSError, orjson.JSONDecodeError) as exc:
                raise SchemaError(f"{path}: cannot read a label schema ({exc})") from exc
            schema = schema_from_json(data, where=str(path))
            with store.transaction():
                for lab in schema.labels:
                    store.save_label(lab)
                for definition in schema.attributes:
                    store.save_attribute_def(definition)
            print(f"imported {len(schema.labels)} labels, {len(schema.attributes)} attributes")
    return 0


OpenWindow = Callable[[str | None], int]


def cmd_open(args: argparse.Namespace) -> int:
    if args.open_window is None:
        from models.errors import GuiUnavailable
        raise GuiUnavailable("this build of Newsmark has no window; the command line works: "
                             "see `newsmark --help`")
    return args.open_window(args.project)


# --- parser ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsmark", description="Offline annotation of entities and claims in news.",
        epilog="Run `newsmark COMMAND --help` for a command's options. "
               "`newsmark` alone opens the window.")
    parser.add_argument("--version", action="version", version=f"newsmark {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=COMMANDS[name], description=COMMANDS[name])
        p.set_defaults(func=func)
        return p

    p = command("init", cmd_init)
    p.add_argument("project", help="the new project file (.nmk)")

    p = command("import", cmd_import)
    p.add_argument("project")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    from app.importing.formats import FORMATS as IMPORT_FORMATS
    p.add_argument("--format", "-f", default="auto", choices=IMPORT_FORMATS,
                   help="the files' format (default: found from each file's name and content)")
    p.add_argument("--strict", action="store_true", help="import nothing if any record is bad")
    p.add_argument("--no-new-labels", action="store_true",
                   help="reject records whose labels are not in the schema")
    p.add_argument("--annotator", default=default_annotator(),
                   help="recorded on imported spans (default: $NEWSMARK_ANNOTATOR or your login)")

    from app.exporting import FORMATS
    p = command("export", cmd_export)
    p.add_argument("project")
    p.add_argument("--format", "-f", required=True, choices=FORMATS)
    p.add_argument("--output", "-o", required=True, help="output file (a folder with --split)")
    p.add_argument("--status", nargs="+", type=Status, choices=list(Status), metavar="STATUS",
                   help="only articles with these statuses (new in_progress done skipped)")
    p.add_argument("--annotator", dest="annotator_filter", help="only this annotator's spans")
    p.add_argument("--include-suggestions", action="store_true",
                   help="also export suggested (not yet accepted) spans")
    p.add_argument("--include-rejected", action="store_true",
                   help="prodigy: also write rejected spans as answer=reject records")
    p.add_argument("--split", type=float, help="spacy: train fraction, writes train/dev files")
    p.add_argument("--seed", type=int, default=0, help="seed of the train/dev split")
    p.add_argument("--scheme", choices=("iob2", "bilou"), default="iob2",
                   help="conll, hf: entity tag scheme")

    p = command("suggest", cmd_suggest)
    p.add_argument("project")
    p.add_argument("--with", dest="suggester", required=True, metavar="SUGGESTER",
                   help="`patterns` (shipped set), `claims` (claim rules), `occurrences` "
                        "(texts already labelled, wherever else they occur), an installed "
                        "spaCy pipeline's name, a pipeline folder, or a patterns .jsonl file")
    p.add_argument("--articles", nargs="+", type=int, metavar="ID",
                   help="only these article ids (default: all)")
    p.add_argument("--map", nargs="+", metavar="THEIRS=OURS",
                   help="a pipeline's label -> a project label (e.g. FAC=LOC PRODUCT=WEAPON; "
                        "OURS empty drops it); remembered for that pipeline in the project")
    p.add_argument("--status", nargs="+", type=Status, choices=list(Status), metavar="STATUS",
                   help="only articles with these statuses")

    p = command("train", cmd_train)
    p.add_argument("project")
    p.add_argument("--output", "-o", help="output folder, empty or new "
                                           "(default: PROJECT-models/run-DATE-TIME)")
    p.add_argument("--include-unfinished", action="store_true",
                   help="also train on articles in progress, not only done ones")
    p.add_argument("--seed", type=int, default=0, help="seed of the train/dev split")
    p.add_argument("--max-epochs", type=int, default=30)

    p = command("stats", cmd_stats)
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="print a JSON object")

    p = command("labels", cmd_labels)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("list", help="list labels")
    a.add_argument("project")
    a = actions.add_parser("add", help="add or change a label")
    a.add_argument("project")
    a.add_argument("name")
    a.add_argument("--layer", choices=[str(l) for l in Layer], default="entity")
    a.add_argument("--colour", default="#cccccc")
    a.add_argument("--hotkey")
    a.add_argument("--description", default="")
    a = actions.add_parser("remove", help="remove an unused label")
    a.add_argument("project")
    a.add_argument("name")
    a = actions.add_parser("import", help="add/update labels and attributes from a schema JSON")
    a.add_argument("project")
    a.add_argument("file")
    a = actions.add_parser("export", help="write the schema as JSON")
    a.add_argument("project")
    a.add_argument("--output", "-o")
    a.add_argument("--labelstudio", action="store_true",
                   help="write Label Studio's labeling config (XML) for `export -f labelstudio`")

    p = command("check", cmd_check)
    p.add_argument("project")

    p = command("backup", cmd_backup)
    p.add_argument("project")
    p.add_argument("--output", "-o", help="backup file (default: PROJECT-DATE-TIME.nmk beside it)")

    p = command("open", cmd_open)
    p.add_argument("project", nargs="?")
    return parser


def log_path() -> Path:
    from platformdirs import user_log_dir
    return Path(user_log_dir("newsmark", appauthor=False)) / "newsmark.log"


def report_crash(exc: BaseException) -> None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().isoformat()} newsmark {__version__}\n")
            f.write("".join(traceback.format_exception(exc)))
        where = f"details in {path}"
    except OSError:
        where = "the log could not be written"
    print(f"newsmark: internal error: {type(exc).__name__}: {exc} ({where}); "
          "please report it", file=sys.stderr)


def main(argv: Sequence[str] | None = None, *, open_window: OpenWindow | None = None) -> int:
    """Run one command. `open_window` is given by ui/ (app/ never imports Qt)."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        args.func, args.project = cmd_open, None
    args.open_window = open_window
    try:
        return args.func(args)
    except NewsmarkError as exc:
        print(f"newsmark: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Cancelled):
        print("newsmark: cancelled; what was saved before stays saved", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 (last resort: one line, traceback to the log)
        report_crash(exc)
        return 2


if __name__ == "__main__":
    sys.exit(main())
