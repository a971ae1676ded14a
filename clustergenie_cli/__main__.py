"""Entry point of clustergenie-ctl: `python -m clustergenie_cli`."""

from __future__ import annotations

from clustergenie_cli.app import main

if __name__ == "__main__":
    main()
