"""`cjmsite schema [--output DIR]`: JSON Schemas for editors and CI (see
cjmsite.content.schemagen and docs/editors.md)."""

from __future__ import annotations

import json
from pathlib import Path

from cjmsite.content.schemagen import all_schemas


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written
