"""Parse a content file's YAML front matter: its data, the line of each key, and its syntax
errors in French. A front matter that does not parse is read again one top-level field at a
time, so one YAML error hides neither the other syntax errors nor the problems of the fields
that can still be read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.content import hints
from generator.content.issues import Issue

# A key path as pydantic reports it: ("montant", "min") or ("natures", 2).
KeyPath = tuple[str | int, ...]

# libyaml's parser when available: the pure-Python one costs ~1 ms a file, which dominates
# the build of a large directory.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader that keeps dates as text, so an impossible date such as 2026-02-30 is a
    field error reported by the model rather than a crash of the whole file."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FIRST_WORD = re.compile(r"\s*-?\s*([A-Za-z_]\w*)")


@dataclass
class FrontMatter:
    """What could be read of a front matter. `unreadable` names the top-level fields whose
    YAML is broken: their problems are the syntax errors already in `issues`."""

    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)  # 1-based line in the file
    issues: list[Issue] = field(default_factory=list)
    unreadable: frozenset[str] = frozenset()
    complete: bool = True  # False when some of it could not be read


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for key lines) and the data built from it."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _key_lines(node: yaml.Node, offset: int, prefix: KeyPath = ()) -> dict[KeyPath, int]:
    lines: dict[KeyPath, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = (*prefix, str(key_node.value))
            lines[path] = key_node.start_mark.line + offset
            lines.update(_key_lines(value_node, offset, path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = (*prefix, index)
            lines[path] = item.start_mark.line + offset
            lines.update(_key_lines(item, offset, path))
    return lines


def _error_index(exc: yaml.YAMLError) -> int:
    """0-based line of the error in the parsed text: where an unclosed quote or a key without
    « : » starts, not where parsing gave up."""
    context = str(getattr(exc, "context", None) or "")
    mark = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    if start is not None and ("quoted scalar" in context or "simple key" in context):
        mark = start
    return mark.line if mark is not None else 0


def _yaml_issue(path: Path, exc: yaml.YAMLError, text: list[str], first_line: int) -> Issue:
    """The parser's error in French, on the line where the editor must look."""
    problem = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    index = _error_index(exc)
    if not "".join(text[index:]).strip():
        # Gave up at the end of the text (a bracket left open): the value starts at the top.
        index = 0
    line_text = text[index] if 0 <= index < len(text) else ""
    key, message = hints.yaml_message(problem, context, line_text)
    return Issue(path, first_line + index, key or "-", f"YAML invalide : {message}")


def top_level_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each top-level field: a line that starts at the margin with a name,
    and the lines after it that are indented, list items, comments, blank or that close a
    bracket. Lines before the first field form a block of their own."""
    starts = [0]
    for index, line in enumerate(lines):
        if index and line[:1] not in ("", " ", "\t", "\n", "\r", "#", "-", "]", "}", ","):
            starts.append(index)
    return list(zip(starts, [*starts[1:], len(lines)], strict=True))


def _first_word(line: str) -> str | None:
    match = _FIRST_WORD.match(line)
    return match.group(1) if match else None


def _by_field(path: Path, lines: list[str], first_line: int) -> FrontMatter:
    """Read each top-level field on its own; report each one that does not parse."""
    read = FrontMatter(data={}, complete=False)
    unreadable: set[str] = set()
    for start, end in top_level_blocks(lines):
        block = lines[start:end]
        try:
            node, data = _parse("".join(block))
        except yaml.YAMLError as exc:
            issue = _yaml_issue(path, exc, block, first_line + start)
            read.issues.append(issue)
            error_line = block[issue.line - first_line - start]
            unreadable.update(w for w in (_first_word(block[0]), _first_word(error_line)) if w)
            continue
        if data is None or node is None:  # comments and blank lines
            continue
        if not isinstance(data, dict):  # « titre "FDVA" »: a name without « : »
            _, message = hints.yaml_message("could not find expected ':'", "", block[0])
            read.issues.append(Issue(path, first_line + start, "-", f"YAML invalide : {message}"))
            unreadable.update(w for w in [_first_word(block[0])] if w)
            continue
        read.data.update(data)
        read.lines.update(_key_lines(node, first_line + start))
    read.unreadable = frozenset(unreadable)
    return read


def parse_front_matter(path: Path, lines: list[str], first_line: int) -> FrontMatter | None:
    """The front matter `lines` (the first one at `first_line` of the file); None with the
    issue when it is not a list of fields at all."""
    try:
        node, data = _parse("".join(lines))
    except yaml.YAMLError as exc:
        read = _by_field(path, lines, first_line)
        if read.issues:
            return read
        # Each field parses alone but not together: say what the parser said of the whole.
        read.issues.append(_yaml_issue(path, exc, lines, first_line))
        return read
    if not isinstance(data, dict) or node is None:
        return None
    return FrontMatter(data, _key_lines(node, first_line))
