"""Tokens file format, the token lookup, and the settings that guard the wire (TLS, --insecure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustergenie_server.domain.auth import Principal, Role
from clustergenie_server.security.tokens import (
    TokenEntry,
    TokenFileError,
    TokenStore,
    parse_tokens,
)
from clustergenie_server.settings import SettingsError, is_loopback, load_settings
from clustergenie_server.token_sources import configured_entries

GOOD = (
    "alice operator alice-token-0123456789\n# a comment\n\nbob viewer bob-token-0123456789  # ok\n"
)


def test_a_tokens_file_names_each_token_and_role() -> None:
    entries = parse_tokens(GOOD, "tokens.txt")
    assert [e.principal for e in entries] == [
        Principal("alice", Role.OPERATOR),
        Principal("bob", Role.VIEWER),
    ]
    assert "alice-token" not in repr(entries)  # never printed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("alice operator\n", "tokens.txt:1: expected NAME ROLE TOKEN, found 2 fields"),
        ("\nalice root alice-token-0123456789\n", "tokens.txt:2: unknown role 'root'"),
        ("alice admin short\n", "tokens.txt:1: the token of alice is shorter than 16"),
        (
            "a admin aaaa-token-0123456789\na viewer bbbb-token-0123456789\n",
            "tokens.txt:2: the name a",
        ),
        (
            "a admin same-token-0123456789\nb viewer same-token-0123456789\n",
            "tokens.txt:2: this token",
        ),
        ("# nothing\n", "tokens.txt: no tokens"),
    ],
)
def test_a_bad_tokens_file_is_refused_naming_file_and_line(text: str, message: str) -> None:
    with pytest.raises(TokenFileError) as error:
        parse_tokens(text, "tokens.txt")
    assert message in str(error.value)
    assert "0123456789" not in str(error.value)  # the error never repeats a token


def test_the_store_finds_only_exact_tokens() -> None:
    store = TokenStore([TokenEntry("a", Role.ADMIN, "a-token-0123456789abc")])
    assert store.lookup("a-token-0123456789abc") == Principal("a", Role.ADMIN)
    assert store.lookup("a-token-0123456789ab") is None
    assert store.lookup("") is None
    assert store.lookup("ä-token-0123456789abc") is None


def test_tokens_file_and_env_token_load_through_settings(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(GOOD)
    env = {"CLUSTERGENIE_TOKEN": "env-admin-token-0123456789"}
    settings = load_settings(["--tokens-file", str(tokens)], environ=env)
    names = {(e.name, e.role) for e in configured_entries(settings.auth)}
    assert names == {("alice", Role.OPERATOR), ("bob", Role.VIEWER), ("admin", Role.ADMIN)}
    assert "env-admin-token" not in repr(settings)


def test_a_broken_tokens_file_is_a_settings_error(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("alice wizard alice-token-0123456789\n")
    with pytest.raises(SettingsError, match=rf"{tokens}:1: unknown role 'wizard'"):
        load_settings(["--tokens-file", str(tokens)], environ={})
    with pytest.raises(SettingsError, match="cannot read tokens file"):
        load_settings(["--tokens-file", str(tmp_path / "missing")], environ={})


@pytest.mark.parametrize("listen", ["127.0.0.1:1", "localhost:1", "[::1]:1", "127.0.0.2:1"])
def test_loopback_addresses(listen: str) -> None:
    assert is_loopback(listen)


@pytest.mark.parametrize("listen", ["0.0.0.0:50051", "10.1.2.3:1", "[::]:1", "example.com:1"])
def test_a_non_loopback_address_needs_tls_or_insecure(listen: str) -> None:
    assert not is_loopback(listen)
    with pytest.raises(SettingsError, match="--insecure"):
        load_settings(["--listen", listen], environ={})
    assert load_settings(["--listen", listen, "--insecure"], environ={}).auth.insecure
    env = {"CLUSTERGENIE_INSECURE": "1"}
    assert load_settings(["--listen", listen], environ=env).auth.insecure
    tls = ["--tls-cert", "c.pem", "--tls-key", "k.pem"]
    assert load_settings(["--listen", listen, *tls], environ={}).auth.tls_cert == "c.pem"


def test_tls_needs_both_files_and_a_short_env_token_is_refused() -> None:
    with pytest.raises(SettingsError, match="both --tls-cert and --tls-key"):
        load_settings(["--tls-cert", "c.pem"], environ={})
    with pytest.raises(SettingsError, match="at least 16"):
        load_settings([], environ={"CLUSTERGENIE_TOKEN": "short"})


def test_the_stream_limit_is_a_setting() -> None:
    settings = load_settings([], environ={"CLUSTERGENIE_MAX_STREAMS_PER_CLIENT": "3"})
    assert settings.limits.max_streams_per_client == 3
    with pytest.raises(SettingsError, match="max_streams_per_client"):
        load_settings([], environ={"CLUSTERGENIE_MAX_STREAMS_PER_CLIENT": "-1"})
