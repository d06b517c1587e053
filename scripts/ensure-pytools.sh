#!/usr/bin/env bash
# Prints the path of a python3 that can `import dotenv` (python-dotenv, pinned), installing it into a
# virtualenv under the cache dir when needed. Tests call it to check the dotenv codec against the real
# python-dotenv. Idempotent and fast once installed; safe from parallel builds (flock). Everything
# but the final path goes to stderr so callers can do py=$(...). Fails loudly, never silently skips.
set -euo pipefail

PYTHON_DOTENV_VERSION="${PYTHON_DOTENV_VERSION:-1.2.2}"
cache="${BAO_INJECTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bao-injector}"
venv="$cache/pytools-dotenv-$PYTHON_DOTENV_VERSION"

ok() { "$venv/bin/python" -c 'import dotenv' >/dev/null 2>&1; }

if [ -x "$venv/bin/python" ] && ok; then
  echo "$venv/bin/python"; exit 0
fi
command -v python3 >/dev/null 2>&1 || {
  echo "ensure-pytools: python3 is needed to install python-dotenv==$PYTHON_DOTENV_VERSION; install Python 3 with venv and pip" >&2
  exit 1
}
mkdir -p "$cache"
exec 9>"$cache/.pytools.lock"
flock 9
if ! { [ -x "$venv/bin/python" ] && ok; }; then
  echo "ensure-pytools: installing python-dotenv==$PYTHON_DOTENV_VERSION into $venv" >&2
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" >&2 &&
         "$venv/bin/pip" install -q --disable-pip-version-check "python-dotenv==$PYTHON_DOTENV_VERSION" >&2; }; then
    rm -rf "$venv"
    echo "ensure-pytools: could not install python-dotenv==$PYTHON_DOTENV_VERSION from PyPI (needs python3-venv and network to the package index)" >&2
    exit 1
  fi
fi
ok || { echo "ensure-pytools: $venv/bin/python cannot import dotenv" >&2; exit 1; }
echo "$venv/bin/python"
