"""Text shown through Streamlit's Markdown exactly as it was typed."""

from __future__ import annotations

import re
import string

MARKDOWN_SPECIALS = frozenset(string.punctuation)


def literal(text: str) -> str:
    """Text from a spreadsheet or a file name, escaped so Streamlit's Markdown shows it as typed.

    Every Streamlit element that shows text renders Markdown (but st.text, st.code and tables), with
    Streamlit's own syntax on top: `:red[...]`, `$...$` LaTeX, `:material/...:` icons (found in the source
    text, so the slash needs escaping too), emoji shortcodes, GFM's bare `http://` and `www.` links, and
    entities such as `&lt;`. CommonMark allows a backslash before any ASCII punctuation, so all of it is
    escaped rather than a list of what is special today. What no escape reaches is applied to the parsed
    text: `:streamlit:` becomes Streamlit's own logo and ` -> ` an arrow; neither loads anything. GFM's bare
    links are found in the parsed text too, once the escapes are gone, so an invisible word joiner (U+2060)
    goes where their patterns need a letter beside a mark: after `http`, `https`, `ftp` and `www` before
    `:` or `.`, and after the `@` of an e-mail address.
    """
    unlinked = _LINK_STARTS.sub("\\1\u2060", str(text)).replace("@", "@\u2060")
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIALS else c for c in unlinked)


_LINK_STARTS = re.compile(r"(?i)(https?|ftp|www)(?=[:.])")
