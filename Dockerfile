# The headless ClusterGenie server (and clustergenie-ctl beside it). Configured entirely through
# CLUSTERGENIE_* variables (every one: docs/CONFIGURATION.md); docker-compose.yml runs two of
# these side by side.
#   docker build -t clustergenie-server .
#   docker run -e CLUSTERGENIE_TOKEN=... -e CLUSTERGENIE_INSECURE=1 -p 127.0.0.1:50051:50051 \
#       -p 127.0.0.1:9464:9464 clustergenie-server
#   docker exec -e CLUSTERGENIE_TOKEN=... CONTAINER clustergenie-ctl cluster list
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# Only what the server and the CLI need; the GUI (PySide6) is not installed in the image, only
# its Qt-free client layer, which clustergenie-ctl shares.
COPY pyproject.toml README.md ./
COPY clustergenie_server ./clustergenie_server
COPY clustergenie_cli ./clustergenie_cli
COPY clustergenie_gui/__init__.py ./clustergenie_gui/__init__.py
COPY clustergenie_gui/client ./clustergenie_gui/client
# The [mcp] extra: `docker run … clustergenie-ctl mcp` serves MCP from the image too.
RUN pip install ".[mcp]" \
    && useradd --system --uid 10001 --home-dir /var/lib/clustergenie --create-home clustergenie

USER clustergenie
WORKDIR /var/lib/clustergenie
# Listen on every interface inside the container. Set through the environment rather than a
# --listen flag because flags beat the environment: a flag here would make CLUSTERGENIE_LISTEN
# in a compose file silently ineffective. Equivalent to `clustergenie-server --listen 0.0.0.0:50051`.
# A non-loopback address is refused without TLS (CLUSTERGENIE_TLS_CERT/CLUSTERGENIE_TLS_KEY)
# or an explicit CLUSTERGENIE_INSECURE=1, and callers need a token (CLUSTERGENIE_TOKEN or
# CLUSTERGENIE_TOKENS_FILE); see README, Security, and docker-compose.yml.
ENV CLUSTERGENIE_LISTEN=0.0.0.0:50051
# Prometheus metrics at :9464/metrics (no authentication: publish the port only where your
# Prometheus can reach it; CLUSTERGENIE_METRICS_LISTEN= empty turns them off).
ENV CLUSTERGENIE_METRICS_LISTEN=0.0.0.0:9464
EXPOSE 50051 9464
# SIGTERM starts the graceful stop (running jobs are queued again for the other servers).
STOPSIGNAL SIGTERM
CMD ["clustergenie-server"]
