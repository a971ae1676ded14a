"""Settings come from defaults, a TOML file, the environment and flags, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustergenie_server.settings import SettingsError, load_settings


def test_defaults_use_sqlite_in_the_user_data_dir() -> None:
    settings = load_settings([], environ={})
    assert settings.listen == "127.0.0.1:50051"
    assert settings.database_url.startswith("sqlite:///")
    assert "ClusterGenie" in settings.database_url


def test_flags_beat_env_beat_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        'listen = "0.0.0.0:1"\ndatabase_url = "sqlite:///file.db"\n'
        "[simulation]\ntime_scale = 3\n[jobs]\nworkers = 4\n"
    )
    env = {
        "CLUSTERGENIE_CONFIG": str(config),
        "CLUSTERGENIE_LISTEN": "127.0.0.1:2",
        "CLUSTERGENIE_TIME_SCALE": "5",
    }
    settings = load_settings(["--listen", "127.0.0.1:3"], environ=env)
    assert settings.listen == "127.0.0.1:3"
    assert settings.database_url == "sqlite:///file.db"
    assert settings.simulation.time_scale == 5.0
    assert settings.jobs.workers == 4


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--listen", "localhost"], {}, "must look like HOST:PORT"),
        (["--time-scale", "0"], {}, "time_scale must be greater than 0"),
        (["--failure-rate", "2"], {}, "failure_rate must be between 0 and 1"),
        ([], {"CLUSTERGENIE_JOB_WORKERS": "many"}, "setting workers has an invalid value 'many'"),
    ],
)
def test_bad_values_name_the_setting(argv: list[str], env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(argv, environ=env)


def test_unknown_and_unreadable_config_files_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 'blue'\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings(["--config", str(bad)], environ={})
    with pytest.raises(SettingsError, match="cannot read config file"):
        load_settings(["--config", str(tmp_path / "missing.toml")], environ={})
    broken = tmp_path / "broken.toml"
    broken.write_text("listen = \n")
    with pytest.raises(SettingsError, match="is not valid TOML"):
        load_settings(["--config", str(broken)], environ={})
