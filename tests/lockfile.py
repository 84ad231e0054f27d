"""Reads requirements.lock and checks it against pyproject.toml (pure; tests/test_lock.py).

The lock is what `make run` and `make test` install with `pip install --require-hashes`: pip then
refuses any requirement without a hash, any pin that is not exact, and any dependency the lock
forgets. These checks say so at test time, naming the package, instead of at the next clean clone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

HASH = re.compile(r"--hash=(\S+)")
SHA256 = re.compile(r"sha256:[0-9a-f]{64}")
# What the Makefile installs besides the project's dependencies (BUILD_REQUIRES there).
INSTALLER = ("pip",)


@dataclass(frozen=True)
class Pin:
    line: int
    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def version(self) -> str | None:
        specs = list(self.requirement.specifier)
        if len(specs) == 1 and specs[0].operator == "==" and "*" not in specs[0].version:
            return specs[0].version
        return None


def parse_lock(text: str) -> tuple[list[Pin], list[str]]:
    """The lock's pins, and a message for every line that is not a requirement."""
    pins: list[Pin] = []
    problems: list[str] = []
    logical = ""
    start = 0
    for number, raw in enumerate([*text.splitlines(), ""], start=1):
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not logical:
            start = number
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical = (logical + line).strip()
        if logical:
            spec = HASH.sub("", logical).strip()
            try:
                requirement = Requirement(spec)
            except InvalidRequirement as error:
                problems.append(f"line {start}: not a requirement ({error})")
            else:
                pins.append(Pin(start, requirement, tuple(HASH.findall(logical))))
        logical = ""
    return pins, problems


def declared(pyproject: dict[str, Any], extras: Iterable[str]) -> list[Requirement]:
    """What pyproject.toml asks for: dependencies, the given extras, the build back-end."""
    project = pyproject["project"]
    texts = list(project.get("dependencies", []))
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    texts += pyproject["build-system"]["requires"]
    texts += INSTALLER
    return [Requirement(text) for text in texts]


def lock_problems(pins: list[Pin], wanted: list[Requirement]) -> list[str]:
    """Every pin exact and hashed (sha256); every wanted requirement pinned within its range."""
    problems: list[str] = []
    for pin in pins:
        if pin.version is None:
            problems.append(f"line {pin.line}: {pin.requirement} is not an exact `==` pin")
        if not pin.hashes:
            problems.append(f"line {pin.line}: {pin.name} has no --hash")
        for digest in pin.hashes:
            if not SHA256.fullmatch(digest):
                problems.append(f"line {pin.line}: {pin.name} has a malformed hash {digest}")
    by_name: dict[str, list[Pin]] = {}
    for pin in pins:
        by_name.setdefault(pin.name, []).append(pin)
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        if name not in by_name:
            problems.append(f"pyproject.toml asks for {requirement}, the lock has no {name}")
            continue
        for pin in by_name[name]:
            if pin.version is not None and not requirement.specifier.contains(
                pin.version, prereleases=True
            ):
                problems.append(
                    f"pyproject.toml asks for {requirement}, the lock pins {name}=={pin.version}"
                )
    return problems


def applies(marker: Marker | None, extras: Iterable[str], environment: dict[str, str]) -> bool:
    if marker is None:
        return True
    return any(marker.evaluate({**environment, "extra": extra}) for extra in ("", *extras))


def missing_dependencies(
    roots: list[Requirement],
    locked: set[str],
    requires: Callable[[str], list[str]],
    environment: dict[str, str],
) -> list[str]:
    """Dependencies (with the extras asked for) reachable from the roots here but not locked.

    `requires(name)` gives a distribution's requirement strings (importlib.metadata.requires).
    """
    missing: list[str] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[Requirement, str]] = [(root, "pyproject.toml") for root in roots]
    while todo:
        requirement, via = todo.pop()
        if not applies(requirement.marker, [], environment):
            continue
        name = canonicalize_name(requirement.name)
        if name not in locked:
            missing.append(f"{name} (needed by {via}) is not in the lock")
            continue
        key = (name, frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        for text in requires(name):
            child = Requirement(text)
            if applies(child.marker, requirement.extras, environment):
                child.marker = None
                todo.append((child, name))
    return sorted(set(missing))
