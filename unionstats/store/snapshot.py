"""A columnar copy of the stored rows on the local disk, so that a new app process reads a federation's million
rows in a second instead of fetching them row by row from the database.

One Arrow IPC file per sheet kind holds the typed rows of a set of batches. The file's schema names, in its
metadata, each batch it holds by the batch's content hash, and the frame shape it was written for. A stored
batch's rows never change, so a file stays true for every batch it names, whoever wrote it and whenever: a
reader takes from it the rows of the batches it wants whose hash matches, and reads only the others from the
database. A file is written whole under a temporary name and then renamed, so a reader never sees half of one,
and the processes of one machine (docs/deploy.md) share the folder.

The copy is only ever a shortcut: a file that is missing, unreadable or of another shape is passed over, and a
folder that cannot be written leaves the store working as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from unionstats.contract import schema
from unionstats.intake import model

FORMAT = 1  # raised when the way rows are written changes, so older files are passed over
META_KEY = b"unionstats"
SETTING = "UNIONSTATS_SNAPSHOT_DIR"  # a folder for the copies; "off" keeps none


def folder_for(url: str) -> Path | None:
    """Where a store's copy lives: beside a SQLite file (`x.db.snapshot`), else under UNIONSTATS_SNAPSHOT_DIR or
    the user's cache folder, in a folder named for the store's address (its password left out). None: keep none
    (an in-memory store, or the setting "off")."""
    setting = os.environ.get(SETTING, "")
    if setting.lower() == "off":
        return None
    parsed = sa.engine.make_url(url)
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if parsed.get_backend_name() == "sqlite" and (not file or file == ":memory:" or file.startswith("file:")):
        return None
    if file and not setting:
        return Path(file).resolve().with_name(Path(file).name + ".snapshot")
    base = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "unionstats"
    address = parsed.render_as_string(hide_password=True) if not file else str(Path(file).resolve())
    return base / hashlib.sha256(address.encode()).hexdigest()[:16]


def shape(sheet: schema.Sheet) -> str:
    """What a file's frame must look like to be read as this kind's rows: its columns and their types."""
    return json.dumps([FORMAT, sheet.key, stored_dtypes(sheet)], ensure_ascii=False)


def stored_dtypes(sheet: schema.Sheet) -> dict[str, str]:
    """The kind's model columns but `source` (the batch's file name, joined on reading), and the batch's id."""
    dtypes = {k: d for k, d in model.frame_dtypes(sheet).items() if k != "source"}
    return {**dtypes, "batch_id": "int64"}


class Snapshot:
    """The copy of one store's rows, one file per sheet kind in `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, sheet: schema.Sheet) -> Path:
        return self.folder / f"{sheet.key}.arrow"

    def load(self, sheet: schema.Sheet, hashes: dict[int, str]) -> tuple[pd.DataFrame | None, dict[int, str]]:
        """The rows of the wanted batches (`hashes`: id → content hash) that the file holds under the same hash,
        typed as BatchRows keeps them but without `source`, and the batches they are; (None, {}) without a
        usable file."""
        try:
            with pa.memory_map(str(self.path(sheet))) as source:
                reader = pa.ipc.open_file(source)
                meta = json.loads((reader.schema.metadata or {}).get(META_KEY, b"{}"))
                if meta.get("shape") != shape(sheet):
                    return None, {}
                held = {int(i): h for i, h in meta.get("batches", {}).items() if hashes.get(int(i)) == h}
                table = reader.read_all()
        except (OSError, pa.ArrowException, ValueError):
            return None, {}
        table = table.filter(pc.is_in(table["batch_id"], pa.array(list(held), pa.int64())))
        return table.to_pandas().astype(stored_dtypes(sheet)), held

    def save(self, sheet: schema.Sheet, frame: pd.DataFrame, hashes: dict[int, str]) -> bool:
        """Write `frame` (BatchRows' rows of the batches in `hashes`) as the kind's file; False if it could not be."""
        meta = json.dumps({"shape": shape(sheet), "batches": {str(i): h for i, h in hashes.items()}})
        columns = list(stored_dtypes(sheet))
        try:
            table = pa.Table.from_pandas(frame[columns], preserve_index=False)
            table = table.replace_schema_metadata({META_KEY: meta.encode()})
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{sheet.key}.", suffix=".part")
            try:
                with os.fdopen(handle, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                    writer.write_table(table)
                os.replace(temporary, self.path(sheet))
            finally:
                Path(temporary).unlink(missing_ok=True)
        except (OSError, pa.ArrowException, ValueError, TypeError):
            return False
        return True
