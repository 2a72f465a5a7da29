"""`cjmsite schema [--output DIR]`: JSON Schemas for editors and CI (see
cjmsite.content.schemagen and docs/editors.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cjmsite.content.schemagen import all_schemas
from cjmsite.output import check_write, write_file


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`; a symlink at a schema's name or at the folder is
    refused (output.UnsafeWrite) before anything is written."""
    folder = Path(os.path.abspath(folder))
    base, top = (folder.parent, f"{folder.name}/") if folder.name else (folder, "")
    schemas = all_schemas()
    for name in schemas:
        check_write(base, top + name)
    return [write_file(base, top + name,
                       json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
            for name, schema in schemas.items()]
