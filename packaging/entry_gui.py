"""PyInstaller entry of the desktop app (the `clustergenie` executable)."""

from clustergenie_gui.__main__ import main

main()
