# Sourced by the ensure-*.sh that install a tool from a Debian package with apt-get (busybox-static,
# docker-compose, postgresql). Messages go to stderr: a caller's stdout is only the path it prints.

# apt_lock NAME LOCK NO_APT NOT_ROOT: exits 1 with "NAME: NO_APT" when there is no apt-get and with
# "NAME: NOT_ROOT" when not root; else holds LOCK in the cache dir from here to the script's end, so
# parallel builds install a package once. Callers check again for the tool once they hold it. The
# cache dir is read here, not when sourced: a tool already there needs no HOME.
apt_lock() {
  command -v apt-get >/dev/null 2>&1 || { echo "$1: $3" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "$1: $4" >&2; exit 1; }
  local cache="${BAO_INJECTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bao-injector}"
  mkdir -p "$cache"
  exec 9>"$cache/$2"
  flock 9
}

# apt_install NAME PACKAGE FAILED: installs PACKAGE, refreshing the package lists and retrying once
# when the first attempt fails; exits 1 with "NAME: FAILED" when the retry fails too.
apt_install() {
  echo "$1: apt-get install $2" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "$2" >&2; then
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "$2" >&2 || { echo "$1: $3" >&2; exit 1; }
  fi
}
