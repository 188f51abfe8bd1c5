"""Domain dataclasses and the SQLite project store. No Qt, no spaCy, nothing of ours."""
