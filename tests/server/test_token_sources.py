"""The server's token sources at the edge: private files, and a warning for a shared tokens file."""

from __future__ import annotations

import logging
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from clustergenie_server.settings import AuthSettings, Settings
from clustergenie_server.token_sources import prepare_tokens, write_private_file
from tests.auth_support import write_tokens_file


def test_a_private_file_is_0600_even_when_replacing_an_open_one(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "token"
    path.parent.mkdir()
    path.write_text("old")
    path.chmod(0o644)
    write_private_file(path, "secret\n")
    assert path.read_text() == "secret\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_tokens_file_others_can_read_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tokens = write_tokens_file(tmp_path / "tokens")
    tokens.chmod(0o644)
    settings = replace(Settings(), auth=AuthSettings(tokens_file=str(tokens)))
    with caplog.at_level(logging.WARNING):
        prepared, issued = prepare_tokens(settings)
    assert issued is None
    assert prepared == settings
    assert f"chmod 600 {tokens}" in caplog.text
    tokens.chmod(0o600)
    caplog.clear()
    prepare_tokens(settings)
    assert "chmod" not in caplog.text


def test_issue_token_replaces_every_other_source(tmp_path: Path) -> None:
    tokens = write_tokens_file(tmp_path / "tokens")
    auth = AuthSettings(tokens_file=str(tokens), token="env-token-0123456789ab", issue_token=True)
    prepared, issued = prepare_tokens(replace(Settings(), auth=auth))
    assert issued is not None
    assert len(issued) >= 32
    assert prepared.auth.token == issued
    assert prepared.auth.tokens_file is None
