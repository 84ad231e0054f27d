"""Reading a visitor's form or JSON body strictly: within the field limits, UTF-8 only
(never replaced by U+FFFD), no repeated JSON key, no file; the lists as lists. Used by the
intake pipeline (form_service/web/intake.py)."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Collection, Iterable, Mapping
from urllib.parse import parse_qsl

from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from form_service.web.abuse import MAX_FIELDS, MAX_PART

# A form as read: each field's value, or its values for the fields that repeat.
Raw = Mapping[str, str | list[str]]
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadForm(Exception):
    pass


class BadEncoding(Exception):
    """Not valid UTF-8 (form) or a lone surrogate (JSON)."""


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {}
    for key, value in pairs:
        if key in data:
            raise DuplicateKey(key)
        data[key] = value
    return data


def parse_json(body: bytes) -> object:
    """The JSON value of `body`; ValueError when unreadable, DuplicateKey when a key is
    repeated, BadEncoding for a lone surrogate (which no text field may hold)."""
    data = json.loads(body, object_pairs_hook=_no_duplicates)
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadEncoding from exc
    return data


def parse_urlencoded(
    body: bytes, lists: Collection[str] = ("besoins",), max_fields: int = MAX_FIELDS
) -> Raw:
    """A form-urlencoded body, strictly UTF-8 (never replaced by U+FFFD); the fields named
    in `lists` as lists."""
    if body.count(b"&") >= max_fields:
        raise BadForm("trop de champs")
    if any(len(part) > MAX_PART for part in body.split(b"&")):
        raise BadForm("champ trop long")
    try:
        pairs = parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError as exc:
        raise BadEncoding from exc
    return _collect(pairs, lists)


def _collect(pairs: Iterable[tuple[str, str]], lists: Collection[str]) -> Raw:
    """The fields as a mapping: those named in `lists` as lists, the others their last value."""
    raw: dict[str, str | list[str]] = {}
    for key, value in pairs:
        if key in lists:
            values = raw.setdefault(key, [])
            assert isinstance(values, list)
            values.append(value)
        else:
            raw[key] = value
    return raw


async def parse_form(
    headers: Headers,
    body: bytes,
    multipart: bool,
    lists: Collection[str] = ("besoins",),
    max_fields: int = MAX_FIELDS,
) -> Raw:
    """A form body within the field limits (BadForm), strictly UTF-8 (BadEncoding), the
    fields named in `lists` as lists."""
    if not multipart:
        return parse_urlencoded(body, lists, max_fields)
    try:
        body.decode("utf-8")  # text fields only (files are refused): all of it is UTF-8
    except UnicodeDecodeError as exc:
        raise BadEncoding from exc

    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    try:
        form = await MultiPartParser(
            headers, replay(), max_files=1, max_fields=max_fields, max_part_size=MAX_PART
        ).parse()
    except MultiPartException as exc:
        raise BadForm(str(exc.message)) from exc
    try:
        pairs = []
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                raise BadForm("fichier joint")
            pairs.append((key, value))
        return _collect(pairs, lists)
    finally:
        await form.close()
