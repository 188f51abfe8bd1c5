"""Creating and opening projects with the default schema."""
from __future__ import annotations

from pathlib import Path

from app.resources import default_schema
from models.store import Store

SUFFIX = ".nmk"


def create_project(path: str | Path) -> Store:
    return Store.create(path, schema=default_schema())


def open_project(path: str | Path, *, readonly: bool = False, upgrade: bool = True) -> Store:
    return Store.open(path, readonly=readonly, upgrade=upgrade)
