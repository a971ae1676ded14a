"""Entry point of the desktop app: `python -m clustergenie_gui` or `clustergenie`."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the app and exit with its code."""
    from clustergenie_gui.app import main as run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
