"""One frozen, typed settings object, built from defaults, a TOML file, env and flags."""

from __future__ import annotations

import argparse
import ipaddress
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from clustergenie_server.security.tokens import MIN_TOKEN_LENGTH, TokenFileError, read_tokens_file

APP_NAME = "ClusterGenie"
ENV_PREFIX = "CLUSTERGENIE_"


def default_database_url() -> str:
    """SQLite in the user's data directory: the embedded default."""
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{data_dir / 'clustergenie.sqlite3'}"


@dataclass(frozen=True, slots=True)
class SimulationSettings:
    """How the simulated cloud behaves: speed and how often provisioning fails."""

    time_scale: float = 1.0  # simulated durations are divided by this
    failure_rate: float = 0.05  # share of provision attempts that fail
    provision_seconds: float = 8.0  # simulated time to provision a droplet
    action_seconds: float = 3.0  # reboot, power off/on, destroy
    resize_seconds: float = 6.0  # simulated time to resize a droplet
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class JobSettings:
    """Job engine limits."""

    # Jobs running at once in this server. A job mostly waits out simulated time (a task, not a
    # thread), so this bounds concurrency, not CPU: 64 lets 1,000 provisions at time scale 60
    # finish in ~2 s of simulated waiting instead of ~8 s with 16.
    workers: int = 64
    lease_seconds: float = 15.0  # a running job's lease; renewed every third of it
    max_attempts: int = 3  # for kinds that may retry
    backoff_seconds: float = 2.0  # first retry delay, doubled per attempt
    timeout_seconds: float = 300.0  # a job still running after this fails


@dataclass(frozen=True, slots=True)
class CacheSettings:
    """The hot view and how a lost shared cache (Redis) is retried."""

    hot_view_ttl_seconds: float = 10.0  # bounds how long a missed update can show an old state
    retry_seconds: float = 2.0  # while Redis is unreachable, probe it this often
    key_prefix: str = "clustergenie:"  # several deployments can share one Redis


@dataclass(frozen=True, slots=True)
class LimitSettings:
    """Rate limits on mutating RPCs, per client address (shared by all servers through Redis)."""

    mutations_per_second: float = 50.0  # 0 turns the limit off
    mutation_burst: int = 100  # mutating calls allowed at once before the rate applies
    # Open watch streams per token; 0 turns the limit off. The desktop app holds one metrics
    # stream per cluster besides its inventory, jobs and scaling streams.
    max_streams_per_client: int = 256


@dataclass(frozen=True, slots=True)
class AuthSettings:
    """Who may call (bearer tokens with roles) and how the wire is protected (TLS)."""

    tokens_file: str | None = None  # NAME ROLE TOKEN lines (security/tokens.py)
    token: str | None = field(default=None, repr=False)  # one admin token (CLUSTERGENIE_TOKEN)
    # The desktop app's child: a fresh admin token per launch, handed over on the stdout pipe.
    issue_token: bool = False
    insecure: bool = False  # allow plaintext on a non-loopback address, on purpose
    tls_cert: str | None = None  # PEM certificate chain
    tls_key: str | None = None  # PEM private key


@dataclass(frozen=True, slots=True)
class TelemetrySettings:
    """The simulation's metrics: how often it samples, how long points are kept."""

    enabled: bool = True  # simulate traffic and metrics (off: provisioning only)
    tick_seconds: float = 10.0  # simulated seconds between samples
    retention_hours: float = 48.0  # simulated; older points are deleted
    hot_window_minutes: float = 30.0  # simulated; served from memory
    bursts_per_day: float = 4.0  # random traffic bursts per cluster and simulated day
    inventory_refresh_seconds: float = 1.0  # wall clock: how often droplets are re-read


@dataclass(frozen=True, slots=True)
class ScalingSettings:
    """The auto-scaler's controller loop."""

    enabled: bool = True  # run the auto-scaler (policies act)
    sync_period_seconds: float = 15.0  # simulated, as the Kubernetes HPA's default
    drain_seconds: float = 5.0  # simulated: how long a droplet drains before it is destroyed


@dataclass(frozen=True, slots=True)
class LlmSettings:
    """The model that explains diagnoses: the mock (default, no network) or an
    OpenAI-compatible chat-completions endpoint."""

    provider: str = "mock"  # "mock" or "openai"
    url: str = "https://api.openai.com/v1"
    model: str = "gpt-4o-mini"
    api_key_file: str = ""  # a file holding the key; else the env var below
    api_key_env: str = "OPENAI_API_KEY"
    pace_seconds: float = 0.01  # the mock's delay between tokens (0: as fast as it can)
    context_tokens: int = 8000  # the prompt's budget: evidence beyond it is truncated
    seed: int = 0
    timeout_seconds: float = 60.0
    max_steps: int = 12  # an investigation's tool calls (HolmesGPT allows 40)


@dataclass(frozen=True, slots=True)
class LogSettings:
    """Logs: simulated lines, retention, and the ports real agents send to."""

    enabled: bool = True
    routine_lines_per_second: float = 2000.0  # wall; beyond it routine lines are sampled
    retention_hours: float = 48.0  # simulated; older chunks are deleted
    max_megabytes: float = 1024.0  # compressed; the oldest chunks go first beyond it
    max_pending_lines: int = 500_000  # in memory while the database is slow or unreachable
    tail_buffer_lines: int = 10_000  # a tail this far behind gets a gap marker
    http_listen: str | None = None  # HOST:PORT of the Loki push API (POST /loki/api/v1/push)
    syslog_listen: str | None = None  # HOST:PORT of syslog (RFC 5424 over TCP)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a server process is configured with."""

    listen: str = "127.0.0.1:50051"
    database_url: str = field(default_factory=default_database_url)
    log_level: str = "INFO"  # DEBUG, INFO, WARNING or ERROR
    # Shared backends; None means the embedded default (in-process bus / in-process cache).
    kafka_bootstrap: str | None = None
    redis_url: str | None = None
    exit_with_stdin: bool = False  # stop when stdin closes (--exit-with-stdin; the desktop app)
    # Play the scripted demo (--demo): three clusters and a timed sequence of incidents.
    demo: bool = False
    shutdown_grace_seconds: float = 5.0  # calls in flight get this long at a graceful stop
    # Prometheus /metrics on HOST:PORT; None (the default) serves none: the desktop app's child
    # opens no second port, an operator turns it on (docs/CONFIGURATION.md, packaging/).
    metrics_listen: str | None = None
    simulation: SimulationSettings = field(default_factory=SimulationSettings)
    jobs: JobSettings = field(default_factory=JobSettings)
    telemetry: TelemetrySettings = field(default_factory=TelemetrySettings)
    scaling: ScalingSettings = field(default_factory=ScalingSettings)
    logs: LogSettings = field(default_factory=LogSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    llm: LlmSettings = field(default_factory=LlmSettings)


DEMO_TIME_SCALE = 5.0  # --demo's time scale: the script (services/demo/story.py) fits ~17 min


class SettingsError(ValueError):
    """Settings the server cannot use: `problems` lists each, naming its setting."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


def _parse_listen(value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise SettingsError(
            f"listen address {value!r} must look like HOST:PORT, e.g. 127.0.0.1:50051"
        )
    return value


def _coerce(current: Any, value: Any, name: str) -> Any:
    """Convert a TOML/env value to the type of the field's default."""
    try:
        if isinstance(current, bool):
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        if isinstance(current, float):
            return float(value)
        if isinstance(current, int) or (current is None and name == "seed"):
            return int(value)
        if value is None:
            return None
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name} has an invalid value {value!r}: {exc}") from exc
    return str(value)


def _apply(obj: Any, values: Mapping[str, Any], where: str, problems: list[str]) -> Any:
    """Return obj with values applied; nested tables go to nested settings objects.

    A value that cannot be used is added to problems and left at its default, so that every
    problem is found in one pass (--check-config lists them all).
    """
    known = {f.name: f for f in fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in known:
            problems.append(f"unknown setting {key!r} in {where}; known: {', '.join(known)}")
            continue
        current = getattr(obj, name)
        try:
            if isinstance(value, Mapping):
                changes[name] = _apply(current, value, f"{where}.{key}", problems)
            else:
                changes[name] = _coerce(current, value, name)
        except SettingsError as exc:
            problems.extend(exc.problems)
    return replace(obj, **changes)


# Env vars and flags: (env suffix, dotted field path).
_ENV_FIELDS: Sequence[tuple[str, str]] = (
    ("LISTEN", "listen"),
    ("DATABASE_URL", "database_url"),
    ("LOG_LEVEL", "log_level"),
    ("KAFKA_BOOTSTRAP", "kafka_bootstrap"),
    ("REDIS_URL", "redis_url"),
    ("TIME_SCALE", "simulation.time_scale"),
    ("FAILURE_RATE", "simulation.failure_rate"),
    ("SEED", "simulation.seed"),
    ("JOB_WORKERS", "jobs.workers"),
    ("JOB_LEASE_SECONDS", "jobs.lease_seconds"),  # how soon another server takes a dead one's jobs
    ("HOT_VIEW_TTL_SECONDS", "cache.hot_view_ttl_seconds"),
    ("MUTATIONS_PER_SECOND", "limits.mutations_per_second"),
    ("MUTATION_BURST", "limits.mutation_burst"),
    ("MAX_STREAMS_PER_CLIENT", "limits.max_streams_per_client"),
    ("TOKEN", "auth.token"),
    ("TOKENS_FILE", "auth.tokens_file"),
    ("INSECURE", "auth.insecure"),
    ("TLS_CERT", "auth.tls_cert"),
    ("TLS_KEY", "auth.tls_key"),
    ("METRICS_LISTEN", "metrics_listen"),
    ("LLM_PROVIDER", "llm.provider"),
    ("LLM_URL", "llm.url"),
    ("LLM_MODEL", "llm.model"),
    ("LLM_API_KEY_FILE", "llm.api_key_file"),
    ("LLM_PACE_SECONDS", "llm.pace_seconds"),
    ("LOGS_HTTP_LISTEN", "logs.http_listen"),
    ("LOGS_SYSLOG_LISTEN", "logs.syslog_listen"),
)


def env_var_names() -> frozenset[str]:
    """Every environment variable the server reads (for deployment files and their tests)."""
    return frozenset({f"{ENV_PREFIX}CONFIG", *(ENV_PREFIX + suffix for suffix, _ in _ENV_FIELDS)})


def setting_sources() -> dict[str, tuple[str | None, str | None]]:
    """Dotted setting -> (its environment variable, its flag's argparse dest), for the
    configuration reference (docs/CONFIGURATION.md)."""
    env = {dotted: ENV_PREFIX + suffix for suffix, dotted in _ENV_FIELDS}
    flags = {dotted: dest for dest, dotted in _FLAG_FIELDS}
    return {dotted: (env.get(dotted), flags.get(dotted)) for dotted in {*env, *flags}}


def _nest(dotted: str, value: Any) -> dict[str, Any]:
    head, _, rest = dotted.partition(".")
    return {head: _nest(rest, value) if rest else value}


def _merge(a: dict[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        out[key] = _merge(out.get(key, {}), value) if isinstance(value, Mapping) else value
    return out


def build_parser() -> argparse.ArgumentParser:
    """The server's command line."""
    p = argparse.ArgumentParser(
        prog="clustergenie-server",
        description="ClusterGenie server: the gRPC API over the simulated cloud (headless).",
    )
    p.add_argument("--config", metavar="FILE", help="TOML file with settings (flags and env win)")
    p.add_argument(
        "--listen", metavar="HOST:PORT", help="address to serve on [CLUSTERGENIE_LISTEN]"
    )
    p.add_argument(
        "--database-url",
        metavar="URL",
        help="sqlite:///PATH or mysql+pymysql://USER:PASS@HOST/DB [CLUSTERGENIE_DATABASE_URL]",
    )
    p.add_argument(
        "--log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        type=str.upper,
        help="[CLUSTERGENIE_LOG_LEVEL]",
    )
    p.add_argument(
        "--kafka-bootstrap",
        metavar="HOST:PORT",
        help="Kafka bootstrap servers (comma-separated); selects the Kafka event bus "
        "[CLUSTERGENIE_KAFKA_BOOTSTRAP]",
    )
    p.add_argument(
        "--redis-url",
        metavar="URL",
        help="redis://HOST:PORT/DB; selects the Redis cache [CLUSTERGENIE_REDIS_URL]",
    )
    p.add_argument(
        "--time-scale",
        type=float,
        metavar="X",
        help="simulated durations are divided by X [CLUSTERGENIE_TIME_SCALE]",
    )
    p.add_argument(
        "--failure-rate",
        type=float,
        metavar="P",
        help="share of provisions that fail, 0..1 [CLUSTERGENIE_FAILURE_RATE]",
    )
    p.add_argument("--seed", type=int, help="seed of the simulation [CLUSTERGENIE_SEED]")
    p.add_argument(
        "--tokens-file",
        metavar="FILE",
        help="accepted tokens, one 'NAME ROLE TOKEN' a line (role: viewer, operator or admin); "
        "CLUSTERGENIE_TOKEN adds one admin token; with neither, an admin token is generated "
        "into a file only you can read and its path is logged [CLUSTERGENIE_TOKENS_FILE]",
    )
    p.add_argument(
        "--tls-cert", metavar="FILE", help="PEM certificate chain [CLUSTERGENIE_TLS_CERT]"
    )
    p.add_argument("--tls-key", metavar="FILE", help="PEM private key [CLUSTERGENIE_TLS_KEY]")
    p.add_argument(
        "--insecure",
        action="store_true",
        default=None,
        help="serve plaintext on a non-loopback address (tokens travel unencrypted) "
        "[CLUSTERGENIE_INSECURE]",
    )
    p.add_argument(
        "--metrics-listen",
        metavar="HOST:PORT",
        help="serve Prometheus metrics at http://HOST:PORT/metrics (off unless given) "
        "[CLUSTERGENIE_METRICS_LISTEN]",
    )
    p.add_argument(
        "--check-config",
        action="store_true",
        help="validate the flags, environment and TOML file, list every problem, and exit "
        "(0: usable, 2: not)",
    )
    p.add_argument(
        "--version", action="store_true", help="print the versions of the server and grpcio"
    )
    p.add_argument(
        "--logs-http-listen",
        metavar="HOST:PORT",
        help="serve the Loki push API (POST /loki/api/v1/push, bearer token) there "
        "[CLUSTERGENIE_LOGS_HTTP_LISTEN]",
    )
    p.add_argument(
        "--logs-syslog-listen",
        metavar="HOST:PORT",
        help="accept syslog (RFC 5424 over TCP) there [CLUSTERGENIE_LOGS_SYSLOG_LISTEN]",
    )
    p.add_argument(
        "--issue-token",
        action="store_true",
        help="generate a fresh admin token and write it to stdout before the READY line "
        "(used by the desktop app; the token is never logged)",
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="seed three clusters and play the scripted demo (docs/DEMO.md); the time scale is "
        f"{DEMO_TIME_SCALE:g} unless --time-scale or the configuration sets one",
    )
    p.add_argument(
        "--exit-with-stdin",
        action="store_true",
        help="stop when standard input closes (used by the desktop app)",
    )
    return p


_FLAG_FIELDS: Sequence[tuple[str, str]] = (
    ("listen", "listen"),
    ("database_url", "database_url"),
    ("log_level", "log_level"),
    ("kafka_bootstrap", "kafka_bootstrap"),
    ("redis_url", "redis_url"),
    ("time_scale", "simulation.time_scale"),
    ("failure_rate", "simulation.failure_rate"),
    ("seed", "simulation.seed"),
    ("tokens_file", "auth.tokens_file"),
    ("tls_cert", "auth.tls_cert"),
    ("tls_key", "auth.tls_key"),
    ("insecure", "auth.insecure"),
    ("metrics_listen", "metrics_listen"),
    ("logs_http_listen", "logs.http_listen"),
    ("logs_syslog_listen", "logs.syslog_listen"),
)


def load_settings(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Defaults < TOML file (--config or CLUSTERGENIE_CONFIG) < environment < flags.

    SettingsError lists every problem found, not only the first.
    """
    return settings_from_args(build_parser().parse_args(argv), environ)


def settings_from_args(
    args: argparse.Namespace, environ: Mapping[str, str] | None = None
) -> Settings:
    """load_settings for a command line parsed already (the entry point reads --version first)."""
    env = os.environ if environ is None else environ
    layered: dict[str, Any] = {}
    problems: list[str] = []
    config_path = args.config or env.get(f"{ENV_PREFIX}CONFIG")
    if config_path:
        try:
            layered = tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
        except OSError as exc:
            problems.append(f"cannot read config file {config_path}: {exc.strerror}")
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"config file {config_path} is not valid TOML: {exc}")
    for suffix, dotted in _ENV_FIELDS:
        if (value := env.get(ENV_PREFIX + suffix)) not in (None, ""):
            layered = _merge(layered, _nest(dotted, value))
    for attr, dotted in _FLAG_FIELDS:
        if (value := getattr(args, attr)) is not None:
            layered = _merge(layered, _nest(dotted, value))
    if args.exit_with_stdin:
        layered["exit_with_stdin"] = True
    if args.issue_token:
        layered = _merge(layered, {"auth": {"issue_token": True}})
    if args.demo:
        layered = _with_demo(layered)
    settings: Settings = _apply(Settings(), layered, config_path or "settings", problems)
    problems.extend(validation_problems(settings))
    if problems:
        raise SettingsError(problems)
    return settings


def _with_demo(layered: dict[str, Any]) -> dict[str, Any]:
    """--demo on, at the demo's time scale unless the file or environment chose one."""
    layered = _merge(layered, {"demo": True})
    if "time_scale" not in layered.get("simulation", {}):
        # The script is timed for this scale (about 17 minutes); an explicit one wins.
        layered = _merge(layered, {"simulation": {"time_scale": DEMO_TIME_SCALE}})
    return layered


_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def validate(settings: Settings) -> Settings:
    """Refuse values the server cannot run with; SettingsError names every wrong setting."""
    if problems := validation_problems(settings):
        raise SettingsError(problems)
    return settings


def validation_problems(settings: Settings) -> list[str]:
    """Every value the server cannot run with, one sentence each naming the setting."""
    problems = [message for broken, message in _range_checks(settings) if broken]
    for address in (settings.listen, settings.metrics_listen):
        if address is not None:
            try:
                _parse_listen(address)
            except SettingsError as exc:
                problems.extend(exc.problems)
    if settings.metrics_listen is not None and settings.metrics_listen == settings.listen:
        problems.append("metrics_listen must differ from listen (gRPC and HTTP need two ports)")
    problems.extend(_auth_problems(settings))
    if settings.redis_url and not settings.redis_url.startswith(_REDIS_SCHEMES):
        problems.append(
            f"redis_url {settings.redis_url.split('@')[-1]!r} must start with redis://, "
            "rediss:// or unix://, e.g. redis://127.0.0.1:6379/0"
        )
    if not settings.database_url.startswith(_DATABASE_SCHEMES):
        problems.append(
            "database_url must start with sqlite:/// or mysql+pymysql://, e.g. "
            "sqlite:////var/lib/clustergenie/db.sqlite3"
        )
    return problems


_DATABASE_SCHEMES = ("sqlite:", "mysql")


def _range_checks(settings: Settings) -> list[tuple[bool, str]]:
    sim, cache, limits = settings.simulation, settings.cache, settings.limits
    return [
        (sim.time_scale <= 0, "time_scale must be greater than 0"),
        (
            settings.llm.provider not in ("mock", "openai"),
            f"llm.provider {settings.llm.provider!r} is unknown; give mock or openai",
        ),
        (not 0.0 <= sim.failure_rate <= 1.0, "failure_rate must be between 0 and 1"),
        (settings.jobs.workers < 1, "jobs.workers must be at least 1"),
        (
            cache.hot_view_ttl_seconds <= 0 or cache.retry_seconds <= 0,
            "cache.hot_view_ttl_seconds and cache.retry_seconds must be above 0",
        ),
        (
            limits.mutations_per_second < 0 or limits.mutation_burst < 1,
            "limits.mutations_per_second must be 0 (off) or more, "
            "and limits.mutation_burst at least 1",
        ),
        (
            limits.max_streams_per_client < 0,
            "limits.max_streams_per_client must be 0 (off) or more",
        ),
    ]


def is_loopback(listen: str) -> bool:
    """True when HOST:PORT only accepts connections from this machine."""
    host = listen.rpartition(":")[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name that may resolve anywhere


def _auth_problems(settings: Settings) -> list[str]:
    auth, problems = settings.auth, []
    if bool(auth.tls_cert) != bool(auth.tls_key):
        problems.append("TLS needs both --tls-cert and --tls-key (or neither)")
    if not (auth.tls_cert or auth.insecure or is_loopback(settings.listen)):
        problems.append(
            f"refusing to listen on {settings.listen} without TLS: bearer tokens would cross "
            "the network in plaintext. Give --tls-cert and --tls-key, or --insecure "
            "(CLUSTERGENIE_INSECURE=1) to serve plaintext on purpose"
        )
    if auth.token is not None and len(auth.token) < MIN_TOKEN_LENGTH:
        problems.append(f"CLUSTERGENIE_TOKEN must be at least {MIN_TOKEN_LENGTH} characters")
    if auth.tokens_file:
        try:
            read_tokens_file(auth.tokens_file)  # refuse a broken file now, naming its line
        except TokenFileError as exc:
            problems.append(str(exc))
    return problems


def file_problems(settings: Settings) -> list[str]:
    """Files the settings name that this process cannot read (--check-config's extra look; a
    start reports the same when it opens them)."""
    auth, problems = settings.auth, []
    for name, path in (("tls_cert", auth.tls_cert), ("tls_key", auth.tls_key)):
        if path and not os.access(path, os.R_OK):
            problems.append(f"auth.{name} {path} cannot be read; check the path and its mode")
    return problems
