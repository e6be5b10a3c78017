"""How a harness compares the core under test with its oracle, and what it reports.

Every call a harness makes is made on both sides: the *subject* (the compiled
core when fuzzing) and the *oracle* (the pure-Python mirror). ``attempt``
turns a call into its value or a ``Raised`` record, ``typed`` makes answers
comparable (types included, since ``1 == 1.0 == True``; floats by ``repr``,
since ``nan != nan``; dict keys in order, since the order is what a model or
an endpoint sees), and ``expect_same`` raises a ``Finding`` when the two
sides differ, or when both raise an exception that the core does not
document.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

# How much of each side's answer a finding quotes: inputs may be kilobytes long.
_DETAIL_LIMIT = 1500
# Answers of these types are equal exactly when == says so (not float: nan, -0.0).
_PLAIN = frozenset({str, int, bool, bytes, type(None)})


@dataclass(frozen=True)
class Raised:
    """A call that raised instead of returning."""

    error: BaseException


def attempt(call: Any, *args: Any) -> Any:
    """``call(*args)``, or a ``Raised`` record of the exception it raised."""
    try:
        return call(*args)
    except Exception as error:  # noqa: BLE001 - compared, never hidden
        return Raised(error)


def typed(value: Any) -> Any:
    """``value`` as a structure that compares equal only for equal answers of equal types."""
    kind = type(value)
    if kind is Raised:
        error = value.error
        # Where the limit is hit (and so the message) depends on the caller's stack.
        message = "" if isinstance(error, RecursionError) else str(error)
        return ("raised", type(error).__qualname__, message)
    if kind is dict:
        return (dict, [(typed(key), typed(item)) for key, item in value.items()])
    if kind in (list, tuple):
        return (kind, [typed(item) for item in value])
    if kind in (set, frozenset):
        return (kind, sorted((typed(item) for item in value), key=repr))
    if kind is float:
        return (float, repr(value))
    if isinstance(value, BaseException):
        return (kind.__qualname__, str(value))
    if isinstance(value, BaseModel):
        extra = value.__pydantic_extra__
        return (
            kind,
            typed(value.__dict__),
            None if extra is None else typed(extra),
            sorted(value.model_fields_set),
        )
    if kind in (str, int, bool, bytes, type(None), uuid.UUID) or isinstance(value, enum.Enum):
        return (kind, value)
    # Anything else (a sentinel, a route target) compares by identity of its repr.
    return (kind.__qualname__, repr(value))


def same(left: Any, right: Any) -> bool:
    """``typed(left) == typed(right)``, decided without building either structure.

    Most answers compared are equal; this walks both at once and stops at
    the first difference, which keeps each fuzz run cheap.
    """
    kind = type(left)
    if kind in _PLAIN:
        return kind is type(right) and bool(left == right)
    if kind is not type(right):
        # Each core has its own sentinels: they are the same answer if named alike.
        return bool(typed(left) == typed(right))
    if kind is dict:
        return len(left) == len(right) and all(
            same(left_key, right_key) and same(left_value, right_value)
            for (left_key, left_value), (right_key, right_value) in zip(
                left.items(), right.items(), strict=True
            )
        )
    if kind is list or kind is tuple:
        return len(left) == len(right) and all(map(same, left, right))
    return bool(typed(left) == typed(right))


class Finding(Exception):
    """A bug found by a harness: the two sides differ, or a core raised what it must not.

    ``check`` names what was compared (``"match"``, ``"parse_query"``, ...);
    ``kind`` is ``"difference"`` or ``"exception"``; ``signature`` groups
    findings that most likely share one cause, so a long run reports each
    cause once however many inputs trigger it.
    """

    def __init__(self, target: str, check: str, kind: str, detail: str, errors: tuple[str, ...]):
        super().__init__(f"{target}: {kind} in {check}\n{detail}")
        self.target = target
        self.check = check
        self.kind = kind
        self.detail = detail
        self.errors = errors

    @property
    def signature(self) -> str:
        return ":".join((self.target, self.check, self.kind, *self.errors))


def _quote(value: Any) -> str:
    text = repr(value)
    if len(text) > _DETAIL_LIMIT:
        text = text[:_DETAIL_LIMIT] + f"... ({len(text)} characters)"
    return text


def expect_same(
    target: str,
    check: str,
    subject: Any,
    oracle: Any,
    documented: tuple[type[BaseException], ...] = (),
) -> None:
    """Raise a ``Finding`` unless both answers are equal and neither is an undocumented error.

    ``documented`` lists the exception types the core's docstrings promise
    for this call (``ValueError`` for a bad route template, ...): raising
    one of them, identically on both sides, is an answer like any other.
    """
    raised = tuple(
        type(side.error).__qualname__ for side in (subject, oracle) if type(side) is Raised
    )
    if not same(subject, oracle):
        detail = f"subject: {_quote(subject)}\noracle:  {_quote(oracle)}"
        raise Finding(target, check, "difference", detail, raised)
    if type(subject) is Raised and not isinstance(subject.error, documented):
        detail = f"both raised: {_quote(subject.error)}"
        raise Finding(target, check, "exception", detail, raised)
