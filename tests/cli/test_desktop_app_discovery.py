"""clustergenie-ctl finds the desktop app's bundled server through the file the app publishes
for its user alone, and refuses a file that is stale or that others could read."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from clustergenie_cli.app import main
from clustergenie_cli.exit_codes import ExitCode
from clustergenie_gui.client import bundled_discovery
from clustergenie_gui.client.bundled_discovery import BundledEndpoint
from tests.cli.conftest import CtlServer


def _admin_token(ctl_server: CtlServer) -> str:
    return ctl_server.token_files["admin"].read_text().strip()


def _whoami(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "whoami", "-o", "json"])
    out, err = capsys.readouterr()
    return code, out, err


def test_published_file_is_private_and_in_the_runtime_dir(tmp_path: Path) -> None:
    path = bundled_discovery.publish(BundledEndpoint("127.0.0.1:1", "secret", os.getpid()))
    assert path == tmp_path / "runtime" / "ClusterGenie" / "bundled-server.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert bundled_discovery.find() == BundledEndpoint("127.0.0.1:1", "secret", os.getpid())
    bundled_discovery.withdraw(os.getpid() + 1)  # another app's withdrawal leaves ours
    assert path.exists()
    bundled_discovery.withdraw(os.getpid())
    assert not path.exists()
    assert bundled_discovery.find() is None


def test_ctl_uses_the_desktop_apps_server_when_nothing_else_is_set(
    ctl_server: CtlServer, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled_discovery.publish(
        BundledEndpoint(ctl_server.address, _admin_token(ctl_server), os.getpid())
    )
    code, out, err = _whoami(capsys)
    assert code == 0, err
    assert json.loads(out)["role"] == "admin"
    # An explicit token still wins over the app's (here a viewer's, on the app's address).
    code, out, _ = _whoami(capsys, "--token-file", str(ctl_server.token_files["viewer"]))
    assert code == 0
    assert json.loads(out)["role"] == "viewer"
    # An explicit --server means that server, not the app's.
    code, _, err = _whoami(capsys, "--server", "127.0.0.1:9")
    assert code == ExitCode.UNAVAILABLE
    assert "127.0.0.1:9" in err


def test_a_context_beats_the_desktop_app(
    ctl_server: CtlServer, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled_discovery.publish(
        BundledEndpoint(ctl_server.address, _admin_token(ctl_server), os.getpid())
    )
    assert main(["context", "add", "away", "--server", "127.0.0.1:9"]) == 0
    code, _, err = _whoami(capsys)
    assert code == ExitCode.UNAVAILABLE
    assert "context away" in err


def test_a_file_others_can_read_is_never_trusted(
    ctl_server: CtlServer, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bundled_discovery.publish(
        BundledEndpoint(ctl_server.address, _admin_token(ctl_server), os.getpid())
    )
    path.chmod(0o644)
    assert bundled_discovery.find() is None
    code, _, err = _whoami(capsys)
    assert code == ExitCode.UNAVAILABLE  # fell back to the default address, nobody there
    assert "127.0.0.1:50051" in err


def test_a_file_left_by_an_app_that_has_gone_is_ignored(ctl_server: CtlServer) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    bundled_discovery.publish(
        BundledEndpoint(ctl_server.address, _admin_token(ctl_server), int(gone.stdout))
    )
    assert bundled_discovery.find() is None


def test_publish_refuses_a_directory_others_can_enter(tmp_path: Path) -> None:
    folder = tmp_path / "runtime" / "ClusterGenie"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    with pytest.raises(bundled_discovery.DiscoveryError, match="private directory"):
        bundled_discovery.publish(BundledEndpoint("127.0.0.1:1", "secret", os.getpid()))
    assert not (folder / "bundled-server.json").exists()
