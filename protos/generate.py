"""Regenerate the Python gRPC code in clustergenie_server/api/v1 from the .proto files here.

Run with `python protos/generate.py`; `--check` exits non-zero when the committed code is stale.
The .pyi stubs come from mypy-protobuf (`protoc-gen-mypy` for messages, `protoc-gen-mypy_grpc`
for the grpc.aio stubs and servicers), so mypy strict sees typed messages, enums and calls.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc

PROTO_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PROTO_ROOT.parent
PACKAGE_DIR = Path("clustergenie_server/api/v1")


def proto_files() -> list[Path]:
    """Every .proto of the API, relative to the proto root."""
    return sorted(p.relative_to(PROTO_ROOT) for p in (PROTO_ROOT / PACKAGE_DIR).glob("*.proto"))


def plugin(name: str) -> str:
    """The path of a protoc plugin installed beside this Python (mypy-protobuf's scripts)."""
    scripts = Path(sys.executable).parent
    found = shutil.which(name, path=str(scripts)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install the dev extras (pip install -e '.[dev]')")
    return found


def generate(out_dir: Path) -> None:
    """Run protoc (from grpc_tools, so its version matches grpcio) into out_dir."""
    include = Path(protoc.__file__).resolve().parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{include}",
        f"--plugin=protoc-gen-mypy={plugin('protoc-gen-mypy')}",
        f"--plugin=protoc-gen-mypy_grpc={plugin('protoc-gen-mypy_grpc')}",
        f"--python_out={out_dir}",
        f"--mypy_out=quiet:{out_dir}",
        f"--grpc_python_out={out_dir}",
        f"--mypy_grpc_out=quiet,only_async:{out_dir}",  # the server and client are grpc.aio
        *(str(p) for p in proto_files()),
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")


def generated_files(root: Path) -> list[Path]:
    """The generated files below root, relative to it."""
    return sorted(p.relative_to(root) for p in (root / PACKAGE_DIR).glob("*_pb2*.py*"))


def stale_files() -> list[str]:
    """Names of generated files that differ from what the .proto files produce now."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh_root = Path(tmp)
        (fresh_root / PACKAGE_DIR).mkdir(parents=True)
        generate(fresh_root)
        fresh, committed = generated_files(fresh_root), generated_files(REPO_ROOT)
        names = {str(p) for p in fresh} ^ {str(p) for p in committed}
        for rel in set(fresh) & set(committed):
            if not filecmp.cmp(fresh_root / rel, REPO_ROOT / rel, shallow=False):
                names.add(str(rel))
        return sorted(names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale generated code")
    if parser.parse_args().check:
        stale = stale_files()
        for name in stale:
            sys.stderr.write(f"stale: {name}\n")
        return 1 if stale else 0
    for old in generated_files(REPO_ROOT):
        (REPO_ROOT / old).unlink()
    generate(REPO_ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
