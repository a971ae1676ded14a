"""docker-compose.yml, Dockerfile and .dockerignore agree with what the server reads and needs."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from clustergenie_server.app import build_server
from clustergenie_server.settings import Settings, env_var_names, load_settings
from tests.auth_support import TEST_AUTH

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("mysql", "redis", "kafka")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """docker-compose.yml as data."""
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def servers(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services built from this repository's Dockerfile."""
    return {n: s for n, s in compose["services"].items() if s.get("build") in (".", "./")}


def env_of(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a mapping (compose allows a list of KEY=VALUE too)."""
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_backends_and_two_servers_are_defined(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["mysql"]["image"].startswith("mysql:8")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert len(servers(compose)) >= 2


def test_every_service_has_a_health_check(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        test = service.get("healthcheck", {}).get("test")
        assert test, f"{name} has no health check"
        assert test[0] in ("CMD", "CMD-SHELL"), f"{name}'s health check has no CMD"


def test_servers_wait_for_healthy_backends(compose: dict[str, Any]) -> None:
    for name, service in servers(compose).items():
        depends = service["depends_on"]
        for backend in BACKENDS:
            assert depends[backend]["condition"] == "service_healthy", (name, backend)


def test_kafka_runs_in_kraft_mode(compose: dict[str, Any]) -> None:
    env = env_of(compose["services"]["kafka"])
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "KAFKA_ZOOKEEPER_CONNECT" not in env
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{env['KAFKA_NODE_ID']}@kafka:")


def test_server_environment_is_what_the_server_reads(compose: dict[str, Any]) -> None:
    known = env_var_names()
    for name, service in servers(compose).items():
        env = env_of(service)
        ours = {k for k in env if k.startswith("CLUSTERGENIE_")}
        assert ours <= known, f"{name} sets variables the server ignores: {ours - known}"
        # The values must also be accepted, exactly as the server would load them.
        settings = load_settings([], environ=env)
        assert settings.listen.startswith("0.0.0.0:")
        assert settings.redis_url
        assert settings.kafka_bootstrap


def test_server_addresses_point_at_the_compose_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    mysql = env_of(services["mysql"])
    advertised = env_of(services["kafka"])["KAFKA_ADVERTISED_LISTENERS"]
    for service in servers(compose).values():
        settings = load_settings([], environ=env_of(service))
        db = make_url(settings.database_url)
        assert (db.host, db.username, db.password, db.database) == (
            "mysql",
            mysql["MYSQL_USER"],
            mysql["MYSQL_PASSWORD"],
            mysql["MYSQL_DATABASE"],
        )
        assert settings.kafka_bootstrap is not None
        assert settings.kafka_bootstrap in advertised
        assert settings.redis_url is not None
        assert settings.redis_url.startswith("redis://redis:")


def test_dockerfile_builds_and_runs_the_server() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert 'pip install ".[mcp]"' in dockerfile  # the server, the CLI and its MCP mode
    assert 'CMD ["clustergenie-server"]' in dockerfile
    env_names = set(re.findall(r"\b(CLUSTERGENIE_[A-Z_]+)=", dockerfile))
    assert env_names <= env_var_names()


def test_dockerignore_keeps_the_context_small() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignored = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert {".git", ".venv"} <= ignored
    assert not {"clustergenie_server", "pyproject.toml", "README.md"} & ignored


def test_server_health_check_command_works(compose: dict[str, Any], tmp_path: Path) -> None:
    # Run the compose file's own probe against a real server (on a free port instead of 50051).
    [probe] = {tuple(s["healthcheck"]["test"]) for s in servers(compose).values()}
    assert probe[:3] == ("CMD", "python", "-c")

    async def check() -> int:
        app = await build_server(
            Settings(
                listen="127.0.0.1:0",
                database_url=f"sqlite:///{tmp_path / 'h.db'}",
                auth=TEST_AUTH,
            )
        )
        await app.start()
        try:
            code = probe[3].replace("127.0.0.1:50051", app.address)
            process = await asyncio.create_subprocess_exec(sys.executable, "-c", code)
            return await asyncio.wait_for(process.wait(), 30)
        finally:
            await app.stop()

    assert asyncio.run(check()) == 0
    refused = subprocess.run([sys.executable, "-c", probe[3]], capture_output=True, timeout=30)
    assert refused.returncode != 0  # nothing serves on 50051 here
