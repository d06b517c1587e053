#!/usr/bin/env bash
# Prints the path of a python3 that can `import dotenv` (python-dotenv, pinned), installing it into a
# virtualenv under the cache dir when needed. Tests call it to check the dotenv codec against the real
# python-dotenv. Idempotent and fast once installed; safe from parallel builds (flock). Everything
# but the final path goes to stderr so callers can do py=$(...). Fails loudly, never silently skips.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/pip-venv.sh"

PYTHON_DOTENV_VERSION="${PYTHON_DOTENV_VERSION:-1.2.2}"
venv="$cache/pytools-dotenv-$PYTHON_DOTENV_VERSION"

ok() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import dotenv' >/dev/null 2>&1; }

if ok; then
  echo "$venv/bin/python"; exit 0
fi
command -v python3 >/dev/null 2>&1 || {
  echo "ensure-pytools: python3 is needed to install python-dotenv==$PYTHON_DOTENV_VERSION; install Python 3 with venv and pip" >&2
  exit 1
}
pip_venv_lock .pytools.lock
if ! ok && ! pip_venv ensure-pytools "python-dotenv==$PYTHON_DOTENV_VERSION" "$venv"; then
  echo "ensure-pytools: could not install python-dotenv==$PYTHON_DOTENV_VERSION from PyPI (needs python3-venv and network to the package index)" >&2
  exit 1
fi
ok || { echo "ensure-pytools: $venv/bin/python cannot import dotenv" >&2; exit 1; }
echo "$venv/bin/python"
