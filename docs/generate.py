"""Regenerate the reference docs: docs/API.md (from the .proto comments) and
docs/CONFIGURATION.md (from clustergenie_server/settings.py).

Run with `python docs/generate.py`; `--check` exits non-zero when a committed file is stale or a
.proto service, rpc, message or enum has no comment.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from docs.tools import api_reference, config_reference  # noqa: E402

OUTPUTS = {
    ROOT / "docs" / "API.md": api_reference.render,
    ROOT / "docs" / "CONFIGURATION.md": config_reference.render,
}


def main() -> int:
    """Write the docs, or with --check report what is stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale docs")
    check = parser.parse_args().check
    problems = [f"no comment: {item}" for item in api_reference.uncommented()]
    for path, render in OUTPUTS.items():
        text = render()
        if not check:
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            problems.append(f"stale: {path.relative_to(ROOT)} (run `python docs/generate.py`)")
    for problem in problems:
        sys.stderr.write(problem + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
