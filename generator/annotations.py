"""Content problems as GitHub Actions workflow commands, so a pull request's check shows each
French message on its file and line (`aidess validate --format github`)."""

from __future__ import annotations

from generator.content.issues import Issue, Severity


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github(issue: Issue) -> str:
    """`::error file=…,line=…,title=…::message` (warnings as `::warning`)."""
    level = "error" if issue.severity is Severity.ERROR else "warning"
    title = (
        f"{issue.field} ({issue.severity.value})" if issue.field != "-" else issue.severity.value
    )
    props = f"file={_property(str(issue.path))},line={issue.line},title={_property(title)}"
    return f"::{level} {props}::{_data(issue.message)}"
