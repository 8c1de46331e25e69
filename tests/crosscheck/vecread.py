"""Reads omemo-vec/1 files (vectors/README.md) for the cross-check scripts.

A small, independent reader: it is not the harness's parser (harness/codec/vec_file.cpp), so a
cross-check never relies on the code under test to get its inputs. It accepts the files the
generators write and raises ValueError on anything else.
"""

import re

_RESERVED = {"Id": "int", "Result": "enum", "Flags": "list", "Comment": "str", "Policy": "str",
             "Upstream": "str"}


def _unescape(text, line_no):
    out = bytearray()
    i = 0
    raw = text.encode("utf-8")
    while i < len(raw):
        c = raw[i]
        if c == 0x5C:  # backslash
            nxt = raw[i + 1:i + 2]
            if nxt == b"n":
                out += b"\n"
                i += 2
            elif nxt == b"t":
                out += b"\t"
                i += 2
            elif nxt in (b'"', b"\\"):
                out += nxt
                i += 2
            elif nxt == b"x":
                out.append(int(raw[i + 2:i + 4].decode(), 16))
                i += 4
            else:
                raise ValueError(f"line {line_no}: bad escape")
        else:
            out.append(c)
            i += 1
    return bytes(out)


class VecFile:
    def __init__(self, path):
        self.path = path
        self.header = {}
        self.types = dict(_RESERVED)
        self.records = []  # dicts: field -> value, plus "_group" and "_line"
        self._parse(open(path, encoding="utf-8").read())

    def _value(self, name, text, line_no):
        kind = self.types.get(name)
        if kind is None:
            raise ValueError(f"{self.path}:{line_no}: unknown field {name}")
        if kind == "int":
            return int(text)
        if kind in ("enum",):
            return text
        if kind == "list":
            return [item for item in text.split(",") if item]
        if kind == "str":
            return _unescape(text[1:-1], line_no).decode("utf-8")
        # hex, or "text" meaning its UTF-8 bytes
        if text.startswith('"'):
            return _unescape(text[1:-1], line_no)
        return bytes.fromhex(text)

    def _parse(self, text):
        group = None
        group_fields = {}
        in_group_fields = False
        current = None  # (name, text, line) being continued
        record = {}
        record_line = 0

        def flush_field():
            nonlocal current
            if current is None:
                return
            name, value_text, line_no = current
            value = self._value(name, value_text, line_no)
            if in_group_fields:
                group_fields[name] = value
            else:
                record[name] = value
            current = None

        def flush_record():
            nonlocal record
            flush_field()
            if record:
                merged = dict(group_fields)
                merged.update(record)
                merged["_group"] = group
                merged["_line"] = record_line
                self.records.append(merged)
            record = {}

        for line_no, line in enumerate(text.split("\n"), 1):
            if line.startswith("#!") and group is None:
                key, _, value = line[2:].strip().partition(":")
                value = value.strip()
                self.header.setdefault(key, []).append(value)
                if key == "fields":
                    for decl in value.split():
                        name, _, kind = decl.partition(":")
                        self.types[name] = re.sub(r"\(.*\)", "", kind)
                continue
            if line.startswith("#"):
                continue
            if line.startswith("["):
                flush_record()
                group = line[1:line.rindex("]")]
                group_fields = {}
                in_group_fields = True
                continue
            if line.strip() == "":
                if in_group_fields:
                    flush_field()
                    in_group_fields = False
                else:
                    flush_record()
                continue
            if line[0] in " \t":
                name, value_text, start = current
                current = (name, value_text + line.strip(), start)
                continue
            flush_field()
            name, _, value_text = line.partition(" = ")
            if not in_group_fields and not record:
                record_line = line_no
            current = (name.strip(), value_text.strip(), line_no)
        flush_record()

    def check(self):
        return self.header.get("check", [""])[0]


class Tally:
    """Counts per-record outcomes and prints a summary line; exit code 1 on any failure."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.messages = []

    def ok(self, condition, where, what):
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            self.messages.append(f"FAIL {where}: {what}")

    def report(self):
        for message in self.messages:
            print(message)
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1
