#!/usr/bin/env bash
# Prints the command that runs Docker Compose, installing Debian's docker-compose when needed.
# Used by the tests to run `<compose> -f docker/compose.yaml config`, which validates the file
# (schema, interpolation, volume and depends_on references) without a Docker engine.
#
# Order: $COMPOSE_CMD, then the `docker compose` v2 plugin, then `docker-compose` on PATH, then
# `apt-get install docker-compose` (Debian's v1.29, needs root; --no-install-recommends keeps the
# docker.io engine out). Idempotent; safe from parallel builds (flock). Messages go to stderr.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/apt-install.sh"

if [ -n "${COMPOSE_CMD:-}" ]; then
  echo "$COMPOSE_CMD"; exit 0
fi
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  echo "$(command -v docker) compose"; exit 0
fi
if command -v docker-compose >/dev/null 2>&1; then
  command -v docker-compose; exit 0
fi

apt_lock ensure-compose .apt.lock \
  "no docker compose and no apt-get: install Docker Compose (v2 plugin or docker-compose) or set COMPOSE_CMD" \
  "installing docker-compose needs root (apt-get): run as root, install it by hand, or set COMPOSE_CMD"
if ! command -v docker-compose >/dev/null 2>&1; then
  apt_install ensure-compose docker-compose \
    "apt-get install docker-compose failed; install Docker Compose by hand or set COMPOSE_CMD"
fi
command -v docker-compose
