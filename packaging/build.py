"""Build the installer: `python packaging/build.py [--dist DIR]` (or `./setup.sh package`).

Runs PyInstaller on clustergenie.spec, then packs the bundle with install.sh, the icon and the
desktop entry into DIR/clustergenie-VERSION-linux-ARCH.tar.gz and prints that path.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def version() -> str:
    """The project's version, from clustergenie_server/version.py (pyproject.toml reads it too)."""
    source = (ROOT / "clustergenie_server" / "version.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', source, re.MULTILINE)
    if match is None:
        raise SystemExit("clustergenie_server/version.py has no __version__ line")
    return match.group(1)


def build(dist: Path, work: Path) -> Path:
    """Build the one-folder bundle into dist/ClusterGenie; returns its path."""
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(HERE / "clustergenie.spec")],
        check=True,
        cwd=ROOT,
    )  # fmt: skip
    return dist / "ClusterGenie"


def pack(bundle: Path, dist: Path) -> Path:
    """The archive a user downloads: the bundle, install.sh, the icon and the menu entry."""
    name = f"clustergenie-{version()}-{platform.system().lower()}-{platform.machine()}"
    archive = dist / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bundle, arcname=f"{name}/ClusterGenie")
        tar.add(HERE / "install.sh", arcname=f"{name}/install.sh")
        for resource in ("clustergenie.svg", "clustergenie.desktop"):
            tar.add(ROOT / "resources" / resource, arcname=f"{name}/{resource}")
    return archive


def main() -> int:
    """Build and pack; prints the archive's path and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output directory")
    args = parser.parse_args()
    dist: Path = args.dist.resolve()
    work = dist / "build"
    bundle = build(dist, work)
    archive = pack(bundle, dist)
    shutil.rmtree(work, ignore_errors=True)
    sys.stdout.write(f"{archive} ({archive.stat().st_size / 1e6:.0f} MB)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
