"""Is the first record of a .json/.jsonl file another tool's? One predicate per format.

Detection asks these for every JSON file imported, Prodigy and Newsmark files included,
so they live apart from the readers: loading app.interop.hf would load the DocBin code,
numpy and srsly (70 ms) only to say no.
"""
from __future__ import annotations

from typing import Any

DOCCANO_UNITS_KEY = "newsmark_offsets"   # our doccano export's note of its offset units
LABELSTUDIO_TEXT = "text"               # the key of data that holds a task's text


def hf(record: object) -> bool:
    """Hugging Face token classification: `tokens` and `ner_tags` lists."""
    return (isinstance(record, dict) and isinstance(record.get("tokens"), list)
            and isinstance(record.get("ner_tags"), list))


def labelstudio(record: object) -> bool:
    """A task: `data` (an object) with annotations, predictions or a text in it."""
    if not isinstance(record, dict) or not isinstance(record.get("data"), dict):
        return False
    return (any(key in record for key in ("annotations", "predictions", "completions"))
            or isinstance(record["data"].get(LABELSTUDIO_TEXT), str))


def doccano(record: object) -> bool:
    """doccano: `label` lists [s, e, L] (or category strings), or `entities` have start_offset.

    A Prodigy task has `text` and `spans`, so a record with `spans` is never doccano."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return False
    if "spans" in record:
        return False
    if DOCCANO_UNITS_KEY in record:
        return True
    entities, label = record.get("entities"), record.get("label")
    if isinstance(entities, list):
        return all(isinstance(e, dict) and "start_offset" in e for e in entities)
    return isinstance(label, list) and all(_is_triple(x) or isinstance(x, str) for x in label)


def _is_triple(item: Any) -> bool:
    return isinstance(item, list) and len(item) == 3 and isinstance(item[2], str)
