"""Compile resources.qrc into clustergenie_gui/resources_rc.py: `python resources/generate.py`.

`--check` exits 1 when the committed module differs from a fresh compile (a test runs it).
Format version 1 leaves file times out, so the output depends on the files' bytes only.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "clustergenie_gui" / "resources_rc.py"


def compile_resources() -> str:
    """The Python module pyside6-rcc makes of resources.qrc."""
    rcc = Path(sys.executable).with_name("pyside6-rcc")
    result = subprocess.run(
        [str(rcc), "-g", "python", "--format-version", "1", str(HERE / "resources.qrc")],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE,
    )
    return result.stdout


def _code(module: str) -> list[str]:
    """The module without its comments (they name the exact Qt version that compiled it)."""
    return [line for line in module.splitlines() if not line.startswith("#")]


def main(argv: list[str]) -> int:
    """Write the module, or with --check compare it."""
    fresh = compile_resources()
    if "--check" in argv:
        if not TARGET.exists() or _code(TARGET.read_text()) != _code(fresh):
            sys.stderr.write(f"{TARGET} is stale: run python resources/generate.py\n")
            return 1
        return 0
    TARGET.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
