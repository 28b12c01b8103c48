#!/usr/bin/env python3
"""jsoncheck.py DOC NAME FILE: check the JSON in FILE against the schema
block "```schema NAME" of DOC (doc/json.md, whose notation it implements).
jsoncheck.py DOC --names lists the schemas.  Exit 1 with the first
mismatch and where it is."""
import json
import re
import sys

SPECIAL = ("NaN", "Infinity", "-Infinity")


def schemas(doc):
    text = open(doc, encoding="utf-8").read()
    return {m.group(1).strip(): json.loads(m.group(2))
            for m in re.finditer(r"```schema ([^\n]+)\n(.*?)```", text, re.S)}


def one(v, t):
    if t == "any":
        return True
    if t == "null":
        return v is None
    if t == "string":
        return isinstance(v, str)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return (isinstance(v, (int, float)) and not isinstance(v, bool)) \
            or v in SPECIAL
    raise ValueError("unknown type %r" % t)


def check(v, s, where):
    if isinstance(s, str):
        if not any(one(v, t) for t in s.split("|")):
            raise AssertionError("%s: %r is not %s" % (where, v, s))
    elif isinstance(s, list):
        if not isinstance(v, list):
            raise AssertionError("%s: not an array" % where)
        for i, x in enumerate(v):
            check(x, s[0], "%s[%d]" % (where, i))
    else:
        if v is None and s.get("|null"):
            return
        if not isinstance(v, dict):
            raise AssertionError("%s: not an object" % where)
        if "*" in s:
            for k, x in v.items():
                check(x, s["*"], "%s.%s" % (where, k))
            return
        keys = {k.rstrip("?"): k.endswith("?") for k in s if k != "|null"}
        for k in v:
            if k not in keys:
                raise AssertionError("%s: key %r not in the schema" %
                                     (where, k))
        for k, optional in keys.items():
            if k not in v:
                if not optional:
                    raise AssertionError("%s: no key %r" % (where, k))
                continue
            check(v[k], s[k + "?" if optional else k], "%s.%s" % (where, k))


def main():
    s = schemas(sys.argv[1])
    if sys.argv[2] == "--names":
        print("\n".join(s))
        return 0
    data = json.load(open(sys.argv[3], encoding="utf-8"))
    if isinstance(data, list) and not data:
        print("%s: an empty array proves nothing" % sys.argv[2])
        return 1
    try:
        check(data, s[sys.argv[2]], sys.argv[2])
    except AssertionError as e:
        print(e)
        return 1
    return 0


sys.exit(main())
