"""Text as the files unionstats writes can hold it.

A workbook and a Word document are XML, and XML 1.0 has no place for most
control characters: openpyxl refuses them with IllegalCharacterError and
python-docx with ValueError, so one stray character in a cell would fail the
whole export. The loader strips them on the way in; the writers strip them
again, so a row that reached the store another way can still be written.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, lone surrogates, and the two non-characters XML forbids.
UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` without the characters an .xlsx or .docx cannot hold; everything else kept as typed."""
    return UNWRITABLE.sub("", text)
