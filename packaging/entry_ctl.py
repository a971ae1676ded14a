"""PyInstaller entry of the command-line client (the `clustergenie-ctl` executable)."""

from clustergenie_cli.app import main

main()
