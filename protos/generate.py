"""Regenerate the Python protobuf code from the .proto files here: our API into
clustergenie_server/api/v1, and the vendored Loki push schema (package logproto) into
clustergenie_server/api/loki.

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
from dataclasses import dataclass
from pathlib import Path

from grpc_tools import protoc

PROTO_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PROTO_ROOT.parent


@dataclass(frozen=True)
class Target:
    """A folder of .proto files below the proto root, generated into the same path below the
    repository (the path mirrors the Python package)."""

    package: Path
    grpc: bool  # our services get grpc.aio stubs; a vendored schema is read as messages only


TARGETS = (
    Target(Path("clustergenie_server/api/v1"), grpc=True),
    # Loki's push body, so the Loki push endpoint reads Promtail's and Alloy's protobuf: we
    # serve no Loki gRPC, so no stubs.
    Target(Path("clustergenie_server/api/loki"), grpc=False),
)


def proto_files(target: Target) -> list[Path]:
    """Every .proto of a target, relative to the proto root."""
    return sorted(p.relative_to(PROTO_ROOT) for p in (PROTO_ROOT / target.package).glob("*.proto"))


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
    for target in TARGETS:
        args = [
            "protoc",
            f"-I{PROTO_ROOT}",
            f"-I{include}",
            f"--plugin=protoc-gen-mypy={plugin('protoc-gen-mypy')}",
            f"--python_out={out_dir}",
            f"--mypy_out=quiet:{out_dir}",
        ]
        if target.grpc:
            args += [
                f"--plugin=protoc-gen-mypy_grpc={plugin('protoc-gen-mypy_grpc')}",
                f"--grpc_python_out={out_dir}",
                f"--mypy_grpc_out=quiet,only_async:{out_dir}",  # the server and client are grpc.aio
            ]
        if protoc.main([*args, *(str(p) for p in proto_files(target))]) != 0:
            raise SystemExit(f"protoc failed on {target.package}")


def generated_files(root: Path) -> list[Path]:
    """The generated files below root, relative to it."""
    return sorted(
        p.relative_to(root)
        for target in TARGETS
        for p in (root / target.package).glob("*_pb2*.py*")
    )


def stale_files() -> list[str]:
    """Names of generated files that differ from what the .proto files produce now."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh_root = Path(tmp)
        for target in TARGETS:
            (fresh_root / target.package).mkdir(parents=True)
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
    for target in TARGETS:
        (REPO_ROOT / target.package).mkdir(parents=True, exist_ok=True)
    generate(REPO_ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
