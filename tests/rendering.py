"""Word documents and workbooks rendered as a reader sees them: LibreOffice makes the PDF, pdfplumber measures it.

`.ci/run` installs LibreOffice (libreoffice-writer-nogui, and libreoffice-calc-nogui for workbooks) and
poppler; pdfplumber comes with requirements-dev.txt. Without them a rendering test is skipped with the reason,
except under CI=true, where a missing tool is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

MM = 72 / 25.4


def require(what: str, found: bool) -> None:
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {what} is missing: .ci/run must install it")
        pytest.skip(f"rendering needs {what}")


def office() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    require("LibreOffice (apt-get install libreoffice-writer-nogui)", bool(path))
    require("poppler (apt-get install poppler-utils)", bool(shutil.which("pdftoppm")))
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        require("pdfplumber (pip install -r requirements-dev.txt)", False)
    return path


def require_calc() -> None:
    """Workbooks need LibreOffice's spreadsheet module, which Debian packages apart from the Writer one."""
    program = Path(office()).resolve().parent
    require("LibreOffice Calc (apt-get install libreoffice-calc-nogui)", (program / "libsclo.so").exists())


def to_pdf(documents: list[Path], folder: Path) -> list[Path]:
    """PDFs of `documents` in one LibreOffice run, with a profile of its own so parallel runs do not clash."""
    profile = Path("/tmp") / f"unionstats-office-{uuid.uuid4().hex}"
    try:
        subprocess.run([office(), "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                        "--outdir", str(folder), *map(str, documents)], check=True, capture_output=True, timeout=240)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return [folder / f"{document.stem}.pdf" for document in documents]


def to_png(pdf: Path, page: int, stem: Path, dpi: int = 60) -> Path:
    """One page at `dpi`, to look at."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(stem)], check=True, timeout=60)
    return stem.with_suffix(".png")


@dataclass
class Line:
    """One line of text on a page, in millimetres from the page's top left corner."""

    text: str
    top: float
    bottom: float
    left: float
    right: float
    size: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]

    def text(self) -> str:
        return "".join(line.text for line in self.lines)

    def below(self, mm: float) -> list[Line]:
        return [line for line in self.lines if line.top >= mm]

    def above(self, mm: float) -> list[Line]:
        return [line for line in self.lines if line.top < mm]


def pages(pdf: Path) -> list[Page]:
    """The pages' size in points and their lines: characters grouped by the top of their box, spaces left out."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [Page(page.width, page.height, lines_of(page.chars)) for page in document.pages]


def lines_of(chars: list[dict]) -> list[Line]:
    rows = defaultdict(list)
    for char in chars:
        if char["text"].strip():
            rows[round(char["top"])].append(char)
    lines = []
    for top in sorted(rows):
        row = sorted(rows[top], key=lambda c: c["x0"])
        lines.append(Line("".join(c["text"] for c in row), min(c["top"] for c in row) / MM,
                          max(c["bottom"] for c in row) / MM, row[0]["x0"] / MM, max(c["x1"] for c in row) / MM,
                          max(c["size"] for c in row)))
    return lines
