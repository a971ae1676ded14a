"""Cache and rate-limit settings: TOML, env and flags, validated with messages that name them."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustergenie_server.cache import InProcessCache
from clustergenie_server.cache.factory import build_cache
from clustergenie_server.cache.fallback_cache import FallbackCache
from clustergenie_server.settings import SettingsError, env_var_names, load_settings


def test_defaults_are_generous_and_embedded() -> None:
    settings = load_settings([], environ={})
    assert settings.redis_url is None
    assert settings.limits.mutations_per_second == 50.0
    assert settings.limits.mutation_burst == 100
    assert isinstance(build_cache(settings), InProcessCache)


def test_toml_env_and_flags(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        "[limits]\nmutations_per_second = 5\nmutation_burst = 7\n"
        "[cache]\nhot_view_ttl_seconds = 3\nkey_prefix = 'team-a:'\n"
    )
    env = {"CLUSTERGENIE_MUTATION_BURST": "9", "CLUSTERGENIE_REDIS_URL": "redis://r:6379/1"}
    settings = load_settings(["--config", str(config)], environ=env)
    assert settings.limits.mutations_per_second == 5.0
    assert settings.limits.mutation_burst == 9
    assert settings.cache.hot_view_ttl_seconds == 3.0
    assert settings.cache.key_prefix == "team-a:"
    assert settings.redis_url == "redis://r:6379/1"
    flagged = load_settings(["--redis-url", "redis://other:6379/0"], environ=env)
    assert flagged.redis_url == "redis://other:6379/0"
    assert isinstance(build_cache(flagged), FallbackCache)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CLUSTERGENIE_MUTATIONS_PER_SECOND": "-1"}, "limits.mutations_per_second"),
        ({"CLUSTERGENIE_MUTATION_BURST": "0"}, "limits.mutation_burst at least 1"),
        ({"CLUSTERGENIE_HOT_VIEW_TTL_SECONDS": "0"}, "cache.hot_view_ttl_seconds"),
        ({"CLUSTERGENIE_REDIS_URL": "http://:pw@r:6379"}, "must start with redis://"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message) as raised:
        load_settings([], environ=env)
    assert "pw" not in str(raised.value)


def test_env_var_names_cover_the_new_settings() -> None:
    names = env_var_names()
    assert {"CLUSTERGENIE_REDIS_URL", "CLUSTERGENIE_MUTATIONS_PER_SECOND"} <= names
    assert "CLUSTERGENIE_CONFIG" in names
