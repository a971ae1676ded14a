"""Shell completion from the server's names, and contexts kept like kubectl's."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from clustergenie_cli.app import hoist_global_options, main
from clustergenie_cli.exit_codes import ExitCode
from tests.cli.conftest import Ctl, CtlServer


def _complete(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], shell: str, line: str
) -> str:
    """What the shell's completion function would receive for the command line typed so far."""
    monkeypatch.setenv("_CLUSTERGENIE_CTL_COMPLETE", f"complete_{shell}")
    if shell == "bash":
        words = line.split(" ")
        monkeypatch.setenv("COMP_WORDS", line)
        monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    else:
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
        monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    capsys.readouterr()
    assert main([]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_offers_cluster_and_droplet_names_from_the_server(
    ctl: Ctl,
    ctl_server: CtlServer,
    shell: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    alpha, beta = f"{shell}-alpha", f"{shell}-beta"
    assert ctl("cluster", "create", alpha, "--count", "2", "--wait").code == 0
    assert ctl("cluster", "create", beta).code == 0
    assert ctl("cluster", "create", f"x{shell}").code == 0
    token = ctl_server.token_files["viewer"]
    prefix = f"clustergenie-ctl --server {ctl_server.address} --token-file {token}"
    clusters = _complete(monkeypatch, capsys, shell, f"{prefix} cluster get {shell}-")
    assert alpha in clusters
    assert beta in clusters
    assert f"x{shell}" not in clusters
    droplets = _complete(monkeypatch, capsys, shell, f"{prefix} droplet reboot {alpha}-")
    assert f"{alpha}-1" in droplets
    assert f"{alpha}-2" in droplets


def test_completion_offers_nothing_when_the_server_is_away(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _complete(
        monkeypatch, capsys, "fish", "clustergenie-ctl --server 127.0.0.1:9 cluster get "
    )
    assert out.strip() == ""


def test_show_completion_prints_a_script_for_each_shell(capsys: pytest.CaptureFixture[str]) -> None:
    for shell in ("bash", "zsh", "fish"):
        assert main(["--show-completion", shell]) == 0
        assert "_CLUSTERGENIE_CTL_COMPLETE" in capsys.readouterr().out


def test_a_context_names_the_server_and_token_file_but_never_stores_the_token(
    ctl_server: CtlServer, isolated_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token_file = ctl_server.token_files["operator"]
    added = main(
        ["context", "add", "lab", "--server", ctl_server.address, "--token-file", str(token_file)]
    )
    assert added == 0
    saved = isolated_config / "ClusterGenie" / "contexts.json"
    text = saved.read_text()
    assert token_file.read_text().strip() not in text
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert json.loads(text)["current"] == "lab"  # the first context is the current one
    capsys.readouterr()
    # No --server, no --token-file: the current context supplies both.
    assert main(["whoami", "-o", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "operator"

    assert main(["context", "add", "away", "--server", "127.0.0.1:9"]) == 0
    assert main(["context", "use", "away"]) == 0
    assert main(["whoami"]) == ExitCode.UNAVAILABLE
    assert main(["--context", "lab", "whoami"]) == 0  # --context beats the current one
    capsys.readouterr()
    assert main(["context", "list", "-o", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["name"], c["current"]) for c in listed] == [("away", True), ("lab", False)]
    assert main(["context", "remove", "away"]) == 0
    assert main(["context", "use", "away"]) == ExitCode.NOT_FOUND
    assert main(["context", "remove", "away"]) == ExitCode.NOT_FOUND


def test_store_token_copies_the_token_into_the_file_only_when_asked(
    ctl_server: CtlServer, isolated_config: Path, tmp_path: Path
) -> None:
    token_file = tmp_path / "admin.token"
    token_file.write_text(ctl_server.token_files["admin"].read_text())
    argv = [
        "context",
        "add",
        "kept",
        "--server",
        ctl_server.address,
        "--token-file",
        str(token_file),
    ]
    assert main([*argv, "--store-token"]) == 0
    token_file.unlink()  # the context no longer needs it
    assert token_file.name not in (isolated_config / "ClusterGenie" / "contexts.json").read_text()
    assert main(["whoami"]) == 0


def test_output_options_may_follow_the_verb() -> None:
    assert hoist_global_options(["cluster", "list", "-o", "json", "--no-header"]) == [
        "-o", "json", "--no-header", "cluster", "list",
    ]  # fmt: skip
    assert hoist_global_options(["job", "get", "3", "--output=yaml"]) == [
        "--output=yaml",
        "job",
        "get",
        "3",
    ]
    # Options a verb has itself stay with it.
    argv = ["context", "add", "x", "--server", "h:1", "--token-file", "f"]
    assert hoist_global_options(argv) == argv
    assert hoist_global_options(["cluster", "get", "--", "-o"]) == ["cluster", "get", "--", "-o"]


def test_next_to_a_server_that_generated_its_token_no_setup_is_needed(
    isolated_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A server started with no tokens writes one where the CLI (and README's grpcurl) look.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERGENIE_")}
    env["XDG_CONFIG_HOME"] = str(isolated_config)
    server = subprocess.Popen(
        [sys.executable, "-m", "clustergenie_server", "--listen", "127.0.0.1:0",
         "--database-url", f"sqlite:///{tmp_path}/gen.db", "--log-level", "WARNING"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, env=env,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        address = server.stdout.readline().split()[1]
        assert (isolated_config / "ClusterGenie" / "server-token").is_file()
        capsys.readouterr()
        assert main(["--server", address, "whoami", "-o", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"name": "admin", "role": "admin"}
    finally:
        server.terminate()
        server.wait(timeout=30)
