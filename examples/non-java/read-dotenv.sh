#!/usr/bin/env bash
# A shell app reading the sidecar's dotenv file (format: dotenv) the way shell apps read .env files:
# `set -a; . FILE` exports every KEY='value' line. Values come back exactly, quotes, $, backslashes
# and newlines included, because the sidecar writes POSIX single-quoted strings.
#
# Usage: read-dotenv.sh FILE NAME    prints NAME's value
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: read-dotenv.sh FILE NAME" >&2; exit 2; }
file=$1
name=$2
case $file in */*) ;; *) file=./$file ;; esac   # `.` would search PATH for a bare name
[ -r "$file" ] || { echo "read-dotenv: cannot read $file (is the sidecar running, and are you its uid?)" >&2; exit 1; }

set -a
. "$file"
set +a

[ -n "${!name+set}" ] || { echo "read-dotenv: $name is not in $file" >&2; exit 1; }
printf '%s\n' "${!name}"
