#!/usr/bin/env bash
# Prints the path of a statically linked BusyBox, installing Debian's busybox-static when needed.
# The tests use it as a stand-in for the Alpine userland of the images (Alpine's sh, adduser,
# addgroup and wget are BusyBox): they run the Dockerfiles' RUN steps in a chroot built from it and
# the HEALTHCHECK commands with its wget. Idempotent; safe from parallel builds (flock).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/apt-install.sh"

if [ -n "${BUSYBOX_STATIC:-}" ]; then
  [ -x "$BUSYBOX_STATIC" ] || { echo "ensure-busybox: BUSYBOX_STATIC=$BUSYBOX_STATIC is not executable" >&2; exit 1; }
  echo "$BUSYBOX_STATIC"; exit 0
fi
static=/bin/busybox
is_static() { [ -x "$1" ] && ! ldd "$1" >/dev/null 2>&1; }
if is_static "$static"; then
  echo "$static"; exit 0
fi

apt_lock ensure-busybox .apt.lock \
  "no static busybox and no apt-get: install busybox-static or set BUSYBOX_STATIC" \
  "installing busybox-static needs root (apt-get): run as root or set BUSYBOX_STATIC"
if ! is_static "$static"; then
  apt_install ensure-busybox busybox-static \
    "apt-get install busybox-static failed; install it by hand or set BUSYBOX_STATIC"
fi
is_static "$static" || { echo "ensure-busybox: $static is not a static busybox" >&2; exit 1; }
echo "$static"
