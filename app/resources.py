"""The one way to find shipped data files, frozen (PyInstaller) or not."""
from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import orjson

from models import errors
from models.domain import AttributeDef, Label, Layer, Schema


def resource_path(*parts: str) -> Path:
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base.joinpath("resources", *parts)


def schema_from_json(data: object, *, where: str) -> Schema:
    """Build a Schema from its JSON form; a malformed one raises SchemaError naming `where`."""
    try:
        labels = tuple(Label(d["name"], Layer(d["layer"]), d.get("colour") or "#cccccc",
                             d.get("hotkey"), d.get("description", ""))
                       for d in data["labels"])  # type: ignore[index]
        attrs = tuple(AttributeDef(d["name"], d.get("kind", "choice"), tuple(d.get("values", ())),
                                   d.get("default"), d.get("description", ""))
                      for d in data.get("attributes", []))  # type: ignore[union-attr]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise errors.SchemaError(f"{where}: not a label schema ({exc!r}); expected "
                                 '{"labels": [{"name", "layer", ...}], "attributes": [...]}') from exc
    return Schema(labels, attrs)


def schema_to_json(schema: Schema) -> dict:
    return {
        "labels": [{"name": l.name, "layer": str(l.layer), "colour": l.colour, "hotkey": l.hotkey,
                    "description": l.description} for l in schema.labels],
        "attributes": [{"name": a.name, "kind": a.kind, "values": list(a.values),
                        "default": a.default, "description": a.description}
                       for a in schema.attributes],
    }


@cache
def default_schema() -> Schema:
    path = resource_path("schema.json")
    return schema_from_json(orjson.loads(path.read_bytes()), where=str(path))


def label_colours() -> list[str]:
    """Colours given to labels that arrive with imported data."""
    return ["#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
            "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f"]
