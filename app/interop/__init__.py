"""Other tools' formats: doccano, Label Studio, brat, CoNLL/IOB2, spaCy DocBin, Hugging Face,
claims CSV. Each module reads its format into `Foreign` records for app/importing and
writes it with an `Exporter` for app/exporting; the registries name them
(app/importing/formats.py, app/exporting/service.py). Offsets are converted here, at the
border: inside Newsmark they are code points into the exact stored text.
"""
