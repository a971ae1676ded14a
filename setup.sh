#!/usr/bin/env bash
# One entry point for a newcomer: `./setup.sh run` sets up and starts the desktop app,
# `./setup.sh test` sets up and runs the whole suite. Both are idempotent: the second run only
# re-checks what is installed (a stamp of pyproject.toml's hash skips pip when nothing changed).
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
STAMP="$VENV/.clustergenie-installed"

usage() {
    cat <<USAGE
usage: ./setup.sh COMMAND [ARGS...]
  run      set up, then start the desktop app (it starts its own bundled server)
  server   set up, then start the headless server (clustergenie-server ARGS...)
  test     set up, run the checks (below), then the whole test suite (pytest ARGS...)
  check    set up, then only the checks: ruff check, ruff format --check, mypy, lint-imports
  bench    set up, then run the benchmarks
  package  set up, then build the installer (dist/clustergenie-VERSION-linux-ARCH.tar.gz)
  setup    only set up .venv
USAGE
}

find_python() {
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 14)))'; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "setup.sh: Python 3.11-3.13 is needed; install python3.11 and run again" >&2
    return 1
}

# Qt's xcb and offscreen platforms need a few shared libraries that a minimal Debian lacks.
# Only as root on Debian/Ubuntu, and only when one is missing; elsewhere we say what to install.
install_system_libraries() {
    local packages=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
        libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
        libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libglib2.0-0
        ${TEST_SYSTEM_PACKAGES[@]+"${TEST_SYSTEM_PACKAGES[@]}"})
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing=()
    for pkg in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup.sh: installing system packages: ${missing[*]}"
        apt-get update -qq || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "${missing[@]/libglib2.0-0/libglib2.0-0t64}"
    else
        echo "setup.sh: these system packages are missing: ${missing[*]} (install them as root)" >&2
    fi
}

setup_venv() {
    install_system_libraries
    [ -x "$PY" ] || "$(find_python)" -m venv "$VENV"
    local want
    want=$(cat pyproject.toml setup.sh | sha256sum | cut -d' ' -f1)
    if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
        "$PY" -m pip install -q --disable-pip-version-check --upgrade pip
        "$PY" -m pip install -q --disable-pip-version-check -e ".[gui,dev]"
        echo "$want" >"$STAMP"
    fi
}

# The static checks, in order, stopping at the first that fails (set -e): lint, format, types
# (mypy strict, configured in pyproject.toml), then the import-linter layer contracts.
run_checks() {
    echo "setup.sh: ruff check" >&2
    "$VENV/bin/ruff" check .
    echo "setup.sh: ruff format --check" >&2
    "$VENV/bin/ruff" format --check .
    echo "setup.sh: mypy" >&2
    "$VENV/bin/mypy"
    echo "setup.sh: lint-imports" >&2
    "$VENV/bin/lint-imports"
}

has_display() {
    [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = "Darwin" ] ||
        [ -n "${QT_QPA_PLATFORM:-}" ]
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
run)
    setup_venv
    if ! has_display; then
        echo "setup.sh: no display found (DISPLAY is not set), so the desktop app cannot open." >&2
        echo "  Start the headless server instead:  ./setup.sh server   (or .venv/bin/clustergenie-server)" >&2
        exit 2
    fi
    exec "$VENV/bin/clustergenie" "$@"
    ;;
server)
    setup_venv
    exec "$VENV/bin/clustergenie-server" "$@"
    ;;
test)
    # tests/integration/test_metrics_endpoint.py scrapes the server with a real Prometheus.
    TEST_SYSTEM_PACKAGES=(prometheus rsyslog)  # the Prometheus scrape and real-rsyslog tests
    setup_venv
    run_checks
    exec "$PY" -m pytest "$@"
    ;;
check)
    setup_venv
    run_checks
    ;;
bench)
    setup_venv
    exec "$PY" -m bench "$@"
    ;;
package)
    setup_venv
    exec "$PY" packaging/build.py "$@"
    ;;
setup)
    setup_venv
    ;;
*)
    usage
    [ -z "$cmd" ] || [ "$cmd" = "-h" ] || [ "$cmd" = "--help" ] || exit 2
    ;;
esac
