"""Exit codes a script can branch on, and one clear sentence on stderr for each failure."""

from __future__ import annotations

import pytest

from clustergenie_cli.app import main
from clustergenie_cli.exit_codes import ExitCode, for_status
from tests.cli.conftest import Ctl, free_port


def _one_sentence(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: "), err
    assert lines[0].endswith("."), err
    # Never grpc's own transport text.
    for raw in ("StatusCode", "debug_error_string", "ipv4:", "failed to connect to all"):
        assert raw not in err
    return lines[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["clusters", "list"],  # no such verb
        ["cluster", "list", "--colour"],  # no such option
        ["-o", "xml", "cluster", "list"],  # no such format
        ["cluster", "create", "x", "--count", "many"],  # not a number
        ["job", "get"],  # a missing argument
    ],
)
def test_bad_usage_exits_2_without_calling_a_server(argv: list[str]) -> None:
    # No server anywhere: usage is checked before any call.
    assert main(["--server", f"127.0.0.1:{free_port()}", *argv]) == ExitCode.USAGE


def test_not_found_exits_3(ctl: Ctl) -> None:
    result = ctl("job", "get", "987654")
    assert result.code == ExitCode.NOT_FOUND
    assert "987654" in _one_sentence(result.err)
    named = ctl("cluster", "get", "no-such-cluster")
    assert named.code == ExitCode.NOT_FOUND
    assert "no-such-cluster" in _one_sentence(named.err)


def test_a_role_too_low_exits_4_naming_the_role(ctl: Ctl) -> None:
    result = ctl("cluster", "create", "not-mine", role="viewer")
    assert result.code == ExitCode.DENIED
    assert "operator role" in _one_sentence(result.err)
    assert ctl("cluster", "list", "-o", "json", role="viewer").code == ExitCode.OK


def test_no_token_or_a_wrong_token_exits_4(ctl: Ctl, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = ctl("cluster", "list", role=None)
    assert missing.code == ExitCode.DENIED
    assert "--token-file" in _one_sentence(missing.err)
    wrong = tmp_path / "wrong.token"
    wrong.write_text("not-a-token-this-server-knows\n")
    result = ctl("--token-file", str(wrong), "cluster", "list", role=None)
    assert result.code == ExitCode.DENIED
    _one_sentence(result.err)


def test_an_unreachable_server_exits_5(ctl: Ctl) -> None:
    address = f"127.0.0.1:{free_port()}"
    result = ctl("cluster", "list", server=address)
    assert result.code == ExitCode.UNAVAILABLE
    assert address in _one_sentence(result.err)


def test_a_value_the_server_refuses_exits_6(ctl: Ctl) -> None:
    result = ctl("cluster", "create", "bad-size", "--size", "s-99vcpu-1tb")
    assert result.code == ExitCode.INVALID
    assert "s-99vcpu-1tb" in _one_sentence(result.err)


def test_a_state_conflict_exits_7(ctl: Ctl) -> None:
    assert ctl("cluster", "create", "twice").code == ExitCode.OK
    result = ctl("cluster", "create", "twice")
    assert result.code == ExitCode.CONFLICT
    assert "twice" in _one_sentence(result.err)


def test_a_tokens_file_given_as_a_token_file_is_bad_usage(ctl: Ctl, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = tmp_path / "tokens"
    lines.write_text("admin admin admin-token-0123456789abcdefgh\n")
    result = ctl("--token-file", str(lines), "whoami", role=None)
    assert result.code == ExitCode.USAGE
    _one_sentence(result.err)


def test_every_status_class_has_its_own_code() -> None:
    assert for_status("RESOURCE_EXHAUSTED") == ExitCode.LIMITED
    assert for_status("UNAUTHENTICATED") == for_status("PERMISSION_DENIED") == ExitCode.DENIED
    assert for_status("DEADLINE_EXCEEDED") == ExitCode.UNAVAILABLE
    assert for_status("INTERNAL") == ExitCode.FAILED
    assert len(set(ExitCode)) == len(ExitCode.__members__)


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for code in ExitCode:
        assert f"{int(code)}  " in text
    assert "unauthenticated or permission denied" in text
