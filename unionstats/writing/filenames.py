"""A downloaded file's name from the title at the top of a text the user may edit.

A secretary who retitles the 工作总结 expects the Word and text files to carry the new title; a title may hold
characters that Windows refuses in a file name (a "/" in 2025年上/下半年), and an emptied first line would give a
file called ".docx". So the name is the edited title made safe, else the generated one.
"""

from __future__ import annotations

import re

FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')  # Windows refuses these; "/" and NUL everywhere
MOST = 80  # characters: a long first line (a paragraph typed over the title) still makes a usable name


def safe_name(title: str) -> str:
    """`title` as a file name (without its extension): forbidden characters left out, runs of spaces as one, no
    leading or trailing space or dot (Windows drops a trailing dot), at most MOST characters; "" when nothing is
    left."""
    name = re.sub(r"\s+", " ", FORBIDDEN.sub("", title)).strip(" .")
    return name[:MOST].rstrip(" .")


def title_name(text: str, generated: str) -> str:
    """The file name of an edited text: its first non-blank line made safe, else the `generated` title's."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return safe_name(first) or safe_name(generated) or "工作总结"
