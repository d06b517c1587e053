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
installed() { [ -x "$venv/bin/moto_server" ]; }

if [ -n "${MOTO_SERVER:-}" ]; then
  [ -x "$MOTO_SERVER" ] || { echo "ensure-moto: MOTO_SERVER=$MOTO_SERVER is not an executable file" >&2; exit 1; }
  echo "$MOTO_SERVER"; exit 0
fi
if command -v moto_server >/dev/null 2>&1 && moto_server --help >/dev/null 2>&1; then
  command -v moto_server; exit 0
fi
if installed; then
  echo "$venv/bin/moto_server"; exit 0
fi

pip_venv_install ensure-moto "moto[server]==$MOTO_VERSION" "$venv" .install-moto.lock \
  "python3 is needed to install moto_server (pip install 'moto[server]==$MOTO_VERSION'); install Python 3 or put moto_server on PATH" \
  "; install it by hand or set MOTO_SERVER"
"$venv/bin/python" -c 'import moto.server' >/dev/null || { echo "ensure-moto: $venv/bin/moto_server does not run" >&2; exit 1; }
echo "$venv/bin/moto_server"
