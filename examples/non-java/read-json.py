#!/usr/bin/env python3
"""A Python app reading the sidecar's JSON file (format: json): one flat object, name -> value.

Prefer json over dotenv in Python: python-dotenv reads single-quoted values with its own escape
rules, so a value holding a backslash, a single quote or a carriage return does not come back
exactly. json.load always does.

Usage: read-json.py FILE NAME    prints NAME's value
"""
import json
import sys


def main(argv):
    if len(argv) != 3:
        print("usage: read-json.py FILE NAME", file=sys.stderr)
        return 2
    path, name = argv[1], argv[2]
    try:
        with open(path, encoding="utf-8") as f:
            values = json.load(f)
    except OSError as e:
        print(f"read-json: cannot read {path}: {e.strerror} "
              "(is the sidecar running, and are you its uid?)", file=sys.stderr)
        return 1
    if name not in values:
        print(f"read-json: {name} is not in {path}", file=sys.stderr)
        return 1
    sys.stdout.write(values[name] + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
