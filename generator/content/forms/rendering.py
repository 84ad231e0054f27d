"""The Jinja environment of the visitor forms' templates (generator/content/forms/templates)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from generator.content import urls


def loader() -> PackageLoader:
    return PackageLoader("generator.content.forms", "templates")


@cache
def environment() -> Environment:
    env = Environment(
        loader=loader(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["urls"] = urls
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
