# The headless ClusterGenie server. Configured entirely through CLUSTERGENIE_* variables
# (see README's configuration table); docker-compose.yml runs two of these side by side.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# Only what the server package needs; the GUI (PySide6) is not installed in the image.
COPY pyproject.toml README.md ./
COPY clustergenie_server ./clustergenie_server
RUN pip install . \
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
EXPOSE 50051
# SIGTERM starts the graceful stop (running jobs are queued again for the other servers).
STOPSIGNAL SIGTERM
CMD ["clustergenie-server"]
