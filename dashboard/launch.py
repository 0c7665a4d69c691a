"""``gongjian-kanban``: start the dashboard with the project's Streamlit settings.

Streamlit reads ``.streamlit/config.toml`` from the working directory, so the project root is
made the working directory when it holds one; an installed copy without it gets the settings
that matter offline (bind to 127.0.0.1, headless, no usage statistics) as flags. Extra
arguments go to ``streamlit run`` (``gongjian-kanban --server.port 8600``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FALLBACK_FLAGS = ["--server.address", "127.0.0.1", "--server.headless", "true",
                  "--browser.gatherUsageStats", "false", "--server.maxUploadSize", "200",
                  "--client.disableDataExport", "true"]


def command(argv: list[str] | None = None) -> tuple[list[str], Path | None]:
    """The ``streamlit run`` arguments, and the folder to run them in (None: stay where we are)."""
    app = Path(__file__).resolve().with_name("app.py")
    root = app.parent.parent
    args = ["streamlit", "run", str(app)]
    if (root / ".streamlit" / "config.toml").is_file():
        return [*args, *(argv or [])], root
    return [*args, *FALLBACK_FLAGS, *(argv or [])], None


def main(argv: list[str] | None = None) -> int:
    args, cwd = command(sys.argv[1:] if argv is None else argv)
    if cwd is not None:
        os.chdir(cwd)
    from streamlit.web import cli

    sys.argv = args
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
