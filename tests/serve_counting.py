"""`python tests/serve_counting.py run app.py ...`: Streamlit's own command line, in a server whose every read of
the store's rows (Store.dataset) appends a line to the file UNIONSTATS_TEST_READS names. The cache tests count
the reads a page view costs."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's unionstats, as app.py gets it

from streamlit.web.cli import main  # noqa: E402

from unionstats.store.batches import Store  # noqa: E402

_read = Store.dataset


def counted(self, *args, **kwargs):
    with open(os.environ["UNIONSTATS_TEST_READS"], "a", encoding="utf-8") as log:
        log.write("read\n")
    return _read(self, *args, **kwargs)


Store.dataset = counted
sys.exit(main())
