"""Services without Qt: commands and undo, import/export, spaCy, the CLI."""
__version__ = "0.1.0"
