"""PyInstaller entry of the headless server (the `clustergenie-server` executable)."""

import sys

from clustergenie_server.__main__ import main

sys.exit(main())
