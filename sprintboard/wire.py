"""Operations as JSON, for the queue of writers waiting on a board (`batching`).

The queue is written by other processes, and other accounts: untrusted. So decoding
builds nothing but the operation classes of `ops`, the parts of a card `model` has
and the plain values a board holds; it checks every operation's fields
exactly against their types (each operation then checks what it makes, as it does
for anyone) and bounds the nesting. Anything else is a `WireError`.

Each value is tagged with what it is (``{"t": "2026-12-01T10:00:00+00:00"}`` is a
time, a plain list is a list), so that nothing is guessed. A writer queues an
operation only when it comes back equal to itself (`faithful`): the queue never
changes what someone asked for.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ValidationError

from . import ops
from .model import Card, Conflict, Decision, HistoryEntry, Member, Round, Side, Sprint, Stage

MAX_DEPTH = 24
"""Levels of nesting a value may have: a batch of a card's history is five."""

_OPS: dict[str, type[Any]] = {cls.__name__: cls for cls in get_args(ops.Op)}
_MODELS: dict[str, type[BaseModel]] = {
    cls.__name__: cls for cls in (Card, Conflict, HistoryEntry, Member, Round, Sprint)
}
_ENUMS: dict[str, type[Enum]] = {cls.__name__: cls for cls in (Stage, Side, Decision)}


class WireError(ValueError):
    """A value that is not an operation as `encode` writes one; the message says why."""


def encode(op: ops.Op) -> bytes:
    """`op` as JSON. Raises `WireError` for a value it cannot carry."""
    return json.dumps(_out(op, 0), ensure_ascii=True, separators=(",", ":")).encode()


def decode(data: bytes) -> ops.Op:
    """The operation `encode` wrote as `data`. Raises `WireError` for anything else."""
    try:
        value = _in(json.loads(data), 0)
    except (ValueError, TypeError, RecursionError) as error:
        raise WireError(str(error)) from None
    if type(value) not in _OPS.values():
        # not translated: for programmers; a person reads batching's sentence
        raise WireError("not an operation")
    return value  # type: ignore[no-any-return]  # checked just above


def faithful(op: ops.Op) -> bytes | None:
    """`op` encoded, when decoding gives it back equal; else None (it is not queued)."""
    try:
        data = encode(op)
        return data if decode(data) == op else None
    except WireError:
        return None


def _plain(value: Any, depth: int) -> bool:
    """Whether `value` is carried as itself (None, a bool, a whole or finite number, a
    str); raises for a value nested past `MAX_DEPTH` or a number JSON cannot hold."""
    if depth > MAX_DEPTH:
        # not translated: for programmers; a person reads batching's sentence
        raise WireError("nested too deeply")
    kind = type(value)
    if kind is float and not math.isfinite(value):
        # not translated: for programmers; a person reads batching's sentence
        raise WireError("not a finite number")
    return value is None or kind in (bool, int, float, str)


def _out(value: Any, depth: int) -> Any:
    if _plain(value, depth):
        return value
    kind = type(value)
    if kind.__name__ in _ENUMS and _ENUMS[kind.__name__] is kind:
        return {"e": [kind.__name__, value.value]}
    if kind is datetime:
        return {"t": value.isoformat()}
    if kind is date:
        return {"d": value.isoformat()}
    if kind is list:
        return [_out(v, depth + 1) for v in value]
    if kind is tuple:
        return {"u": [_out(v, depth + 1) for v in value]}
    if kind is dict:
        return {"m": [[_out(k, depth + 1), _out(v, depth + 1)] for k, v in value.items()]}
    if _OPS.get(kind.__name__) is kind:
        fields = {
            f.name: _out(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)
        }
        return {"o": [kind.__name__, fields]}
    if _MODELS.get(kind.__name__) is kind:
        fields = {name: _out(getattr(value, name), depth + 1) for name in kind.model_fields}
        return {"c": [kind.__name__, fields]}
    # not translated: for programmers; a person reads batching's sentence
    raise WireError(f"cannot carry a {kind.__name__}")


def _in(value: Any, depth: int) -> Any:
    if _plain(value, depth):
        return value
    kind = type(value)
    if kind is list:
        return [_in(v, depth + 1) for v in value]
    if kind is not dict or len(value) != 1:
        # not translated: for programmers; a person reads batching's sentence
        raise WireError("not a tagged value")
    ((tag, body),) = value.items()
    if tag in ("t", "d") and type(body) is str:
        return datetime.fromisoformat(body) if tag == "t" else date.fromisoformat(body)
    if tag in ("u", "m") and type(body) is list:
        items = [_in(v, depth + 1) for v in body]
        if tag == "u":
            return tuple(items)
        if not all(type(pair) is list and len(pair) == 2 for pair in items):
            # not translated: for programmers; a person reads batching's sentence
            raise WireError("not a table")
        return {k: v for k, v in items}
    if tag not in ("e", "o", "c") or type(body) is not list or len(body) != 2:
        # not translated: for programmers; a person reads batching's sentence
        raise WireError("not a tagged value")
    name, content = body
    if tag == "e":
        if name not in _ENUMS:
            # not translated: for programmers; a person reads batching's sentence
            raise WireError("not a known kind of value")
        return _ENUMS[name](content)
    if type(name) is not str or type(content) is not dict:
        # not translated: for programmers; a person reads batching's sentence
        raise WireError("not a tagged value")
    fields = {str(k): _in(v, depth + 1) for k, v in content.items()}
    try:
        if tag == "c" and name in _MODELS:
            return _MODELS[name].model_validate(fields)
        if tag == "o" and name in _OPS:
            return _operation(name, fields)
    except ValidationError as error:
        # not translated: for programmers; a person reads batching's sentence
        raise WireError(f"{name}: {error.error_count()} bad fields") from None
    # not translated: for programmers; a person reads batching's sentence
    raise WireError("not a known kind of value")


def _operation(name: str, fields: dict[str, Any]) -> Any:
    """The operation `name` with `fields`, each checked strictly against its type."""
    checks = _checks(name)
    if not fields.keys() <= checks.keys():
        # not translated: for programmers; a person reads batching's sentence
        raise WireError(f"{name}: unknown fields")
    for field, value in fields.items():
        if not checks[field](value):
            # not translated: for programmers; a person reads batching's sentence
            raise WireError(f"{name}: {field} is not what it should be")
    try:
        return _OPS[name](**fields)
    except TypeError:  # a required field missing
        # not translated: for programmers; a person reads batching's sentence
        raise WireError(f"{name}: missing fields") from None


Check = Callable[[Any], bool]


@cache
def _checks(name: str) -> dict[str, Check]:
    """A check of each field of operation class `name`, from its type (made once)."""
    hints = get_type_hints(_OPS[name])
    return {f.name: _check(hints[f.name]) for f in dataclasses.fields(_OPS[name])}


def _check(hint: Any) -> Check:
    """Whether a value is exactly of type `hint`, for the types operations' fields have:
    plain classes, `X | None`, `tuple[X, ...]`, `Mapping[str, Any]`, `Any`, the union `Op`.
    Exact: a `str` is not a `Stage`, a `bool` not an `int`."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is Any:
        return lambda _value: True
    if origin in (UnionType, Union):
        choices = [_check(arg) for arg in args]
        return lambda value: any(check(value) for check in choices)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _check(args[0])
        return lambda value: type(value) is tuple and all(item(v) for v in value)
    if origin is Mapping and args == (str, Any):
        return lambda value: type(value) is dict and all(type(k) is str for k in value)
    if isinstance(hint, type) and origin is None:
        return lambda value: type(value) is hint or (hint is type(None) and value is None)
    # not translated: for programmers; a person reads batching's sentence
    raise TypeError(f"no check for {hint!r}")  # a new kind of field: teach `_check`
