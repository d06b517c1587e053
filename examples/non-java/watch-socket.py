#!/usr/bin/env python3
"""A long-running Python program that follows rotations over the sidecar's socket API.

It asks GET /v1/env once, then long-polls GET /v1/env?after=REVISION&instance=ID&wait=30s: the
sidecar answers as soon as any value changes (or after 30s with the same revision). A restarted
sidecar has a new instance id and is answered at once, so the loop needs no special case for it.
Standard library only: http.client over an AF_UNIX socket.

Usage: watch-socket.py SOCKET NAME [--changes N]
  prints NAME's value, then one line per change; with --changes N it exits after N changes.
"""
import http.client
import json
import socket
import sys
import time


class UnixConnection(http.client.HTTPConnection):
    """HTTP/1.1 to a Unix socket: the host name is only for the Host header."""

    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def get_env(sock, after=None, instance=None):
    target = "/v1/env"
    if after is not None:
        target += f"?after={after}&instance={instance}&wait=30s"
    conn = UnixConnection(sock, timeout=45)  # above wait=30s
    try:
        conn.request("GET", target)
        r = conn.getresponse()
        body = r.read().decode("utf-8")
        if r.status == 403:
            raise SystemExit(f"watch-socket: 403 from {sock}: your uid is not in "
                             f"outputs.socket.allow-uids: {body}")
        if r.status != 200:
            raise SystemExit(f"watch-socket: {r.status} from {sock}: {body}")
        return json.loads(body)
    finally:
        conn.close()


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--changes"):
        print("usage: watch-socket.py SOCKET NAME [--changes N]", file=sys.stderr)
        return 2
    sock, name = argv[1], argv[2]
    limit = int(argv[4]) if len(argv) == 5 else None
    try:
        doc = get_env(sock)
    except OSError as e:
        print(f"watch-socket: cannot reach the sidecar at {sock}: {e.strerror or e} "
              "(is it running?)", file=sys.stderr)
        return 1
    value = doc["values"].get(name)
    if value is None:
        print(f"watch-socket: {name} is not mapped in the sidecar's config", file=sys.stderr)
        return 1
    print(f"{name}={value}", flush=True)
    changes = 0
    while limit is None or changes < limit:
        try:
            doc = get_env(sock, doc["revision"], doc["instance"])
        except OSError:
            time.sleep(1)  # sidecar restarting: keep the last value, try again
            continue
        new = doc["values"].get(name)
        if new != value:
            value = new
            changes += 1
            print(f"{name}={value}   <- changed (revision {doc['revision']})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
