"""Writes omemo-vec/1 files (see vectors/README.md). Shared by the converters and generators.

Not a parser: the harness's C++ parser (harness/codec/vec_file.cpp) is the one that reads these
files. Output is deterministic: same inputs, same bytes.
"""

import textwrap

HEX_CHUNK = 64  # hex digits per line; longer values continue on indented lines


def hex_value(data: bytes) -> str:
    text = data.hex()
    if len(text) <= HEX_CHUNK:
        return text
    chunks = [text[i:i + HEX_CHUNK] for i in range(0, len(text), HEX_CHUNK)]
    return ("\n" + " " * 4).join(chunks)


def text_value(text) -> str:
    if isinstance(text, str):
        text = text.encode("utf-8")
    out = ['"']
    for byte in text:
        ch = chr(byte)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append("\\x%02x" % byte)
    out.append('"')
    return "".join(out)


class VecFile:
    """Collects header, groups and records, then renders the file text."""

    def __init__(self, title, check, fields, requirements):
        self.headers = [("format", "omemo-vec/1"), ("title", title)]
        self.check = check
        self.fields = fields  # list of (name, type)
        self.requirements = requirements
        self.preamble = []  # comment lines after the header
        self.groups = []  # (name, comments, group_fields, records)
        self.next_id = 1

    def header(self, key, value):
        self.headers.append((key, value))

    def comment(self, text, indent=""):
        """Adds comment lines below the header, wrapped at 100 columns."""
        for line in text.splitlines() or [""]:
            wrapped = textwrap.wrap(line, width=98 - len(indent), subsequent_indent="  ") or [""]
            for part in wrapped:
                self.preamble.append(("# " + indent + part).rstrip())

    def group(self, name, fields=None, comments=()):
        self.groups.append((name, list(comments), fields or [], []))

    def record(self, fields):
        """fields: list of (name, value) with value bytes (hex), int, str (text) or
        ('enum', word) / ('list', [words]). Id is assigned here, counting from 1."""
        record = [("Id", self.next_id)] + list(fields)
        self.next_id += 1
        self.groups[-1][3].append(record)

    def count(self):
        return sum(len(g[3]) for g in self.groups)

    @staticmethod
    def _render_value(value):
        if isinstance(value, bytes):
            return hex_value(value)
        if isinstance(value, bool):
            return str(int(value))
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str):
            return text_value(value)
        kind, payload = value
        if kind == "enum":
            return payload
        if kind == "list":
            return ",".join(payload)
        raise ValueError(value)

    def render(self):
        lines = []
        for key, value in self.headers:
            lines.append(f"#! {key}: {value}")
        lines.append("#! requirements: " + ", ".join(self.requirements))
        lines.append(f"#! check: {self.check}")
        lines.append("#! fields: " + " ".join(f"{n}:{t}" for n, t in self.fields))
        lines.extend(self.preamble)
        for name, comments, group_fields, records in self.groups:
            lines.append("")
            for comment in comments:
                lines.append(("# " + comment).rstrip())
            lines.append(f"[{name}]")
            for key, value in group_fields:
                lines.append(f"{key} = {self._render_value(value)}")
            lines.append("")
            for record in records:
                for key, value in record:
                    lines.append(f"{key} = {self._render_value(value)}")
                lines.append("")
            if lines[-1] == "":
                lines.pop()
        lines.append("")
        return "\n".join(lines)

    def write(self, path):
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write(self.render())
