"""`clustergenie-server --check-config`: every problem of flags, env and TOML at once, and exit 2;
a usable configuration exits 0 without starting anything."""

from __future__ import annotations

import os
from pathlib import Path

import grpc
import pytest

from clustergenie_server.__main__ import main
from clustergenie_server.version import __version__


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets."""
    for name in list(os.environ):
        if name.startswith("CLUSTERGENIE_"):
            monkeypatch.delenv(name)


def test_a_good_file_passes_and_says_what_it_would_serve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "server.toml"
    config.write_text(
        'listen = "127.0.0.1:50123"\n'
        f'database_url = "sqlite:///{tmp_path}/db.sqlite3"\n'
        'metrics_listen = "127.0.0.1:9464"\n'
        "[simulation]\ntime_scale = 5.0\n[limits]\nmutations_per_second = 10\n"
    )
    assert main(["--check-config", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "configuration OK" in out
    assert "127.0.0.1:50123" in out
    assert "metrics 127.0.0.1:9464" in out
    assert not (tmp_path / "db.sqlite3").exists()  # checked, not started


def test_a_bad_configuration_lists_every_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "server.toml"
    config.write_text(
        'colour = "blue"\n'  # unknown key
        '[simulation]\ntime_scale = -1\nfailure_rate = "often"\n'  # out of range, not a number
        "[jobs]\nworkers = 0\n"
    )
    monkeypatch.setenv("CLUSTERGENIE_REDIS_URL", "http://cache:6379")  # env is checked too
    argv = ["--check-config", "--config", str(config), "--metrics-listen", "nowhere"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    expected = [
        "unknown setting 'colour'",
        "failure_rate has an invalid value 'often'",
        "time_scale must be greater than 0",
        "jobs.workers must be at least 1",
        "'nowhere' must look like HOST:PORT",
        "redis_url 'http://cache:6379' must start with redis://",
    ]
    for problem in expected:
        assert problem in err, problem
    assert "6 problem(s)" in err
    assert sum(line.startswith("  - ") for line in err.splitlines()) == len(expected)


def test_unreadable_tls_files_and_broken_toml_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "--check-config",
                "--tls-cert",
                str(tmp_path / "no.pem"),
                "--tls-key",
                str(tmp_path / "no.key"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "auth.tls_cert" in err
    assert "auth.tls_key" in err
    broken = tmp_path / "broken.toml"
    broken.write_text("listen = \n")
    assert main(["--check-config", "--config", str(broken)]) == 2
    assert "is not valid TOML" in capsys.readouterr().err


def test_version_names_the_server_and_grpcio(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"clustergenie-server {__version__}\n")
    assert f"grpcio {grpc.__version__}" in out
