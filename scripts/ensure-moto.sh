#!/usr/bin/env bash
# Prints the path of moto's `moto_server` (a real AWS API on loopback, for the AWS backend's tests),
# installing the pinned moto[server] when needed.
#
# Order: $MOTO_SERVER, then `moto_server` on PATH, then a pinned moto[server] (PyPI) in a
# virtualenv under the cache dir. Idempotent and fast once installed; safe to run from parallel
# builds (flock). Everything else goes to stderr so callers can do moto=$(...).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/pip-venv.sh"

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
venv="$cache/moto-$MOTO_VERSION"

if [ -n "${MOTO_SERVER:-}" ]; then
  [ -x "$MOTO_SERVER" ] || { echo "ensure-moto: MOTO_SERVER=$MOTO_SERVER is not an executable file" >&2; exit 1; }
  echo "$MOTO_SERVER"; exit 0
fi
if command -v moto_server >/dev/null 2>&1 && moto_server --help >/dev/null 2>&1; then
  command -v moto_server; exit 0
fi
if [ -x "$venv/bin/moto_server" ]; then
  echo "$venv/bin/moto_server"; exit 0
fi

command -v python3 >/dev/null 2>&1 || {
  echo "ensure-moto: python3 is needed to install moto_server (pip install 'moto[server]==$MOTO_VERSION'); install Python 3 or put moto_server on PATH" >&2
  exit 1
}
pip_venv_lock .install-moto.lock
if [ ! -x "$venv/bin/moto_server" ] && ! pip_venv ensure-moto "moto[server]==$MOTO_VERSION" "$venv"; then
  echo "ensure-moto: could not install moto[server]==$MOTO_VERSION from PyPI; install it by hand or set MOTO_SERVER" >&2
  exit 1
fi
"$venv/bin/python" -c 'import moto.server' >/dev/null || { echo "ensure-moto: $venv/bin/moto_server does not run" >&2; exit 1; }
echo "$venv/bin/moto_server"
