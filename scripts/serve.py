"""Start the Streamlit server with the legacy `pages/` folder detection switched off.

Streamlit treats a `pages/` folder beside the entry point as a legacy multipage app until the first
session has run `st.navigation` (a process-wide flag). A shared deep link that is the first request
after a start would then run a page file without the frame, or show "Page not found". Setting the
flag to False before the server starts gives the first session the same behaviour as every later one.

Usage: python scripts/serve.py [streamlit run options...]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
