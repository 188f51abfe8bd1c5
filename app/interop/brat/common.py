"""What the brat reader and writer share: the names brat gives Newsmark's labels, relations
and claim attributes, line breaks, and the `!<layer>_layer` groups of annotation.conf (the
export writes each layer's labels under one, the import reads the layers back)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from models.domain import AttributeDef, Layer, RelationLabel

# Every character str.splitlines() (and so brat's line reader) breaks a line at.
LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
SUGGESTED = "Suggested"         # the binary attribute of a suggested span
NOTE = "note"                   # the claim attribute AnnotatorNotes lines carry
CONF = "annotation.conf"
CONF_LEVELS = 3                 # the document's folder and two above it
STANDARD_RELATIONS = frozenset(str(label) for label in RelationLabel)


def brat_type(label: str) -> str:
    """A brat type cannot hold whitespace (the type is the first space-separated field)."""
    return re.sub(r"\s", "_", label)


def relation_type(label: str) -> str:
    """Our claimant/cue/hedge as brat-style types (Claimant ...); others as brat_type."""
    return label.capitalize() if label in STANDARD_RELATIONS else brat_type(label)


def relation_label(kind: str) -> str:
    """A brat relation type as ours: Claimant, CUE ... are claimant, cue; others as they are."""
    return kind.lower() if kind.lower() in STANDARD_RELATIONS else kind


def attribute_def(attributes: Iterable[AttributeDef], name: str) -> AttributeDef | None:
    """The schema's attribute of a brat name, ignoring case, `_` and `-` (ClaimType)."""
    folded = _folded(name)
    return next((d for d in attributes if _folded(d.name) == folded), None)


def _folded(name: str) -> str:
    return re.sub(r"[_\-]", "", name).lower()


def layer_group(layer: Layer) -> str:
    """The abstract annotation.conf type the export puts a layer's labels under."""
    return f"!{layer}_layer"


def _group_layer(name: str) -> Layer | None:
    """The layer an abstract type (without its `!`) stands for: claim_layer, cue-layer,
    entity ...; None for any other."""
    base = name.lower().removesuffix("_layer").removesuffix("-layer")
    return Layer(base) if base in set(Layer) else None


def conf_layers(folder: Path) -> dict[str, Layer]:
    """Layers of the entity types in the nearest annotation.conf (up to two folders up):
    a type under a `!claim_layer` / `!cue_layer` / `!entity_layer` parent (or `!claim` ...)."""
    for place in [folder, *folder.parents][:CONF_LEVELS]:
        conf = place / CONF
        if conf.is_file():
            try:
                return _layers_in(conf.read_bytes().decode("utf-8", "replace"))
            except OSError:
                return {}
    return {}


def _layers_in(conf: str) -> dict[str, Layer]:
    layers: dict[str, Layer] = {}
    stack: list[tuple[int, Layer | None]] = []
    section = ""
    for line in conf.splitlines():
        if line.strip().startswith("["):
            section = line.strip().strip("[]").lower()
        elif section == "entities" and line.strip() and not line.strip().startswith("#"):
            depth = len(line) - len(line.lstrip("\t "))
            abstract, name = line.strip().startswith("!"), line.split()[0].lstrip("!")
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parent = stack[-1][1] if stack else None
            layer = (_group_layer(name) if abstract else None) or parent
            stack.append((depth, layer))
            if layer is not None and not abstract:
                layers[name] = layer
    return layers
