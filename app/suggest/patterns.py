"""Suggestions from spaCy pattern files, and "label all occurrences" of a span's text.

A pattern file is spaCy's ruler JSONL: one object a line, {"label", "pattern", "id"?}, where
`pattern` is a phrase (a string, matched token by token, case-sensitive) or a token pattern
(a list of dicts, spaCy Matcher syntax: ORTH, LOWER, REGEX, IN, SPACY, OP, ...). Blank lines
are skipped. The same file works in spaCy's EntityRuler and SpanRuler. Every line is checked
on load; the first bad one raises BadInput `FILE:LINE: reason`.

Matching runs a SpanRuler (into a span group, so matches may overlap) on spacy.blank("en"),
the project tokenizer, so every match lies on token boundaries. From its matches:
  - whitespace tokens at either edge are dropped (a span never starts or ends with space);
  - within one label the longest match wins (spacy.util.filter_spans), so optional tokens
    (`"OP": "?"`) and prefixes ("Defence Ministry" inside "Russian Defence Ministry") give
    one suggestion, not several nested ones; identical spans come once;
  - spans of different labels may overlap; one that lies inside a longer span of another
    label is dropped ("two" QUANTITY inside "two weeks" DATE, "3" inside "March 3"), as flat
    entity annotation wants, unless the suggester is built with keep_nested=True.

The shipped set is every resources/patterns/*.jsonl (PatternSuggester.default(), origin
"patterns"): news_defence.jsonl (WEAPON, MIL_UNIT, defence and government ORG) and
news_common.jsonl (DATE, QUANTITY, news ORG); bench/eval_patterns.py measures them.
One pipeline per suggester: use it from one thread at a time.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import orjson
import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from app.resources import resource_path
from app.suggest.base import Rebuilt, SuggestedSpan, Suggestions
from app.tokens import LANG
from models import errors

DEFAULT_NAME = "patterns"
SPANS_KEY = "newsmark_patterns"
KEYS = {"label", "pattern", "id"}


def default_pattern_files() -> list[Path]:
    """The shipped pattern files, in name order."""
    return sorted(resource_path("patterns").glob("*.jsonl"))


class PatternSuggester(Rebuilt):
    """Suggests the spans that the patterns of one or more files match."""

    def __init__(self, patterns: Sequence[dict], *, name: str, batch_size: int = 64,
                 keep_nested: bool = False) -> None:
        """`patterns` as read by `read_patterns` (checked); prefer from_files or default."""
        self.remember(list(patterns), name=name, batch_size=batch_size, keep_nested=keep_nested)
        self.name = name
        self.batch_size = batch_size
        self.keep_nested = keep_nested
        self._labels = {p["label"] for p in patterns}
        self._nlp = _ruler_pipeline(patterns)

    @classmethod
    def from_files(cls, paths: Iterable[str | Path], *, name: str | None = None,
                   batch_size: int = 64, keep_nested: bool = False) -> PatternSuggester:
        """From pattern files; its name is `name`, else "patterns:<stem>[+<stem>...]"."""
        paths = [Path(p) for p in paths]
        if not paths:
            raise errors.BadInput("no pattern file given: name at least one .jsonl file")
        patterns = [p for path in paths for p in read_patterns(path)]
        if name is None:
            name = f"{DEFAULT_NAME}:" + "+".join(path.stem for path in paths)
        return cls(patterns, name=name, batch_size=batch_size, keep_nested=keep_nested)

    @classmethod
    def default(cls) -> PatternSuggester:
        """The shipped set (news about conflicts and defence), named "patterns"."""
        return cls.from_files(default_pattern_files(), name=DEFAULT_NAME)

    def labels(self) -> set[str]:
        return set(self._labels)

    def suggest(self, texts: Iterable[str]) -> Iterator[Suggestions]:
        for doc in self._nlp.pipe(texts, batch_size=self.batch_size):
            yield Suggestions(spans=suggested_spans(doc, keep_nested=self.keep_nested))


def suggested_spans(doc: Doc, *, keep_nested: bool = False) -> list[SuggestedSpan]:
    """The ruler's matches in `doc`, trimmed and reduced as the module says, in text order."""
    by_label: dict[str, list[Span]] = {}
    for span in doc.spans[SPANS_KEY]:
        trimmed = _trim_space(span)
        if trimmed is not None:
            by_label.setdefault(span.label_, []).append(trimmed)
    found = sorted({(s.start_char, s.end_char, label)
                    for label, spans in by_label.items() for s in filter_spans(spans)})
    if not keep_nested:
        found = _drop_nested(found)
    return [SuggestedSpan(start, end, label) for start, end, label in found]


def _drop_nested(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Leave out spans inside a longer one (sorted by start; few spans a text: pairwise)."""
    return [(s, e, label) for s, e, label in found
            if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for s2, e2, _ in found)]


def _trim_space(span: Span) -> Span | None:
    doc, start, end = span.doc, span.start, span.end
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if start == end:
        return None
    trimmed = doc[start:end]
    text = trimmed.text
    if text[0].isspace() or text[-1].isspace():      # a token is never edged with space
        return None
    return Span(doc, start, end, label=span.label)


def _ruler_pipeline(patterns: Sequence[dict]) -> Language:
    nlp = spacy.blank(LANG)
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "validate": False,
                                               "overwrite": True})
    ruler.add_patterns([{k: v for k, v in p.items() if k in KEYS} for p in patterns])
    return nlp


# -- reading and checking pattern files ----------------------------------------------------

def read_patterns(path: str | Path) -> list[dict]:
    """The patterns of one JSONL file, each checked; BadInput `FILE:LINE: reason` if not."""
    path = Path(path)
    checker = Matcher(spacy.blank(LANG).vocab)
    patterns = []
    try:
        with path.open(encoding="utf-8-sig") as lines:      # `for line in f`, as FORMATS.md
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    patterns.append(_checked(line, where=f"{path}:{number}", checker=checker))
    except OSError as exc:
        raise errors.BadInput(
            f"{path}: cannot read the pattern file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise errors.BadInput(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if not patterns:
        raise errors.BadInput(f"{path}: no patterns in the file; write one JSON object a line, "
                              '{"label": "ORG", "pattern": "Acme Corp"}')
    return patterns


def _checked(line: str, *, where: str, checker: Matcher) -> dict:
    try:
        entry = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise errors.BadInput(f"{where}: not JSON ({exc})") from exc
    reason = _entry_problem(entry) or _pattern_problem(entry["pattern"], checker)
    if reason:
        raise errors.BadInput(f"{where}: {reason}")
    entry["where"] = where
    return entry


def _entry_problem(entry: object) -> str | None:
    if not isinstance(entry, dict):
        return 'expected an object {"label": ..., "pattern": ...}'
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        return f"unknown key {unknown[0]!r}; a pattern has only label, pattern and id"
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip() or label != label.strip():
        return "label must be a non-empty name without surrounding spaces"
    if "pattern" not in entry:
        return "no pattern"
    if "id" in entry and not isinstance(entry["id"], str):
        return "id must be a string"
    return None


def _pattern_problem(pattern: object, checker: Matcher) -> str | None:
    if isinstance(pattern, str):
        if not pattern.strip():
            return "empty phrase pattern"
        if pattern != pattern.strip():
            return "phrase pattern starts or ends with whitespace"
        return None
    if not isinstance(pattern, list) or not pattern:
        return "pattern must be a phrase (string) or a non-empty list of token dicts"
    problems = validate_token_pattern(pattern)
    if problems:
        return "bad token pattern: " + "; ".join(problems[:2])
    try:
        checker.add("check", [pattern])          # compiles REGEX, catches what the schema lets by
    except Exception as exc:                     # re.error, ValueError (spaCy E-codes)
        return f"bad token pattern: {str(exc).splitlines()[0]}"
    finally:
        if "check" in checker:
            checker.remove("check")
    return None
