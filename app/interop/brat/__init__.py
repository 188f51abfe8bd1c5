"""brat standoff: a `doc.txt` and its `doc.ann` per article, `annotation.conf` per folder.

    T1	ORG 0 9	Acme Corp            text-bound: type, offsets (`s e;s e` fragments), text
    R1	Claimant Arg1:T8 Arg2:T2     relation: head, child
    A1	stance T8 refute             attribute (`A2 Suggested T5`: no value, binary)
    #1	AnnotatorNotes T8	a note

The import is `read` (reading.py), the export `BratExporter` (writing.py); the registries
name them as `app.interop.brat:read` and `app.interop.brat:BratExporter`. What both need
(type names, the `!<layer>_layer` groups of annotation.conf) is in common.py.
"""
from app.interop.brat.reading import read
from app.interop.brat.writing import BratExporter

__all__ = ["BratExporter", "read"]
