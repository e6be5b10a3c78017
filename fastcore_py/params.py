"""Parameter core: raw request values in, validated endpoint arguments out.

Pure-Python mirror of ``fastcore/_params.pyx``: the same names, in the same
order, with the same logic. Read the two side by side.

The declaration layer describes, once per route, every parameter read from
one place of the request (the query string, the headers, the cookies, the
path, a form, a JSON object) as a ``ParamGroup`` of ``ParamSpec`` objects.
Per request this module only:

* parses the query string and the cookie header into raw strings, exactly
  as Starlette does (``parse_qsl`` with blank values kept, Starlette's
  cookie parser);
* collects the raw values each group wants, by wire key (the last value of
  a repeated query key wins, the first of a repeated header, as in FastAPI;
  ``list`` parameters take them all);
* coerces plain ``str``/``int``/``float``/``bool`` values natively when the
  text is in a form whose meaning is certain, and hands everything else to
  Pydantic in one call per group.

Whenever anything is missing or does not validate, the group starts again
on the slow path, one Pydantic call per parameter, which reproduces FastAPI's
results and error list exactly (FastAPI validates with ``from_attributes``,
which decides some error types). Errors may be slow; success must be fast.
"""

from __future__ import annotations

import json
from http.cookies import _unquote as _unquote_cookie
from typing import Any
from urllib.parse import unquote

from pydantic_core import ValidationError

AS_STR = 0
AS_INT = 1
AS_FLOAT = 2
AS_BOOL = 3
AS_OTHER = 4  # validated by Pydantic

#: Returned by ``coerce`` when the text is not in a form it handles natively.
NOT_NATIVE: Any = type("NotNative", (), {"__repr__": lambda self: "NOT_NATIVE"})()
#: A missing value, distinct from every value a client can send.
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

# Pydantic accepts more spellings of a boolean (any case, for one); those
# fall through to it. These are the ones whose meaning is certain.
_BOOL_WORDS = {
    "1": True, "on": True, "t": True, "true": True, "y": True, "yes": True,
    "0": False, "off": False, "f": False, "false": False, "n": False, "no": False,
}  # fmt: skip
_DIGITS = frozenset("0123456789")
# Python's int() refuses longer strings by default; Pydantic decides those.
_MAX_NATIVE_DIGITS = 4000


def parse_query(query_string: bytes) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of a raw query string, as Starlette's ``QueryParams`` sees them.

    Equal to ``parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)``:
    pairs split on ``&``, empty pairs skipped, a pair without ``=`` has a
    blank value, ``+`` is a space, percent-escapes decode as UTF-8 with
    replacement characters for invalid bytes.
    """
    pairs: list[tuple[str, str]] = []
    if not query_string:
        return pairs
    for chunk in query_string.decode("latin-1").split("&"):
        if not chunk:
            continue
        name, equals, value = chunk.partition("=")
        pairs.append((_unquote_plus(name), _unquote_plus(value) if equals else ""))
    return pairs


def _unquote_plus(text: str) -> str:
    if "+" in text:
        text = text.replace("+", " ")
    if "%" in text:
        return unquote(text, "utf-8", "replace")
    return text


def parse_cookies(cookie_header: str) -> dict[str, str]:
    """Cookies of a ``Cookie`` header, as Starlette's ``request.cookies`` reads them.

    Pairs split on ``;``; a chunk without ``=`` is a value with an empty
    name; names and values are stripped; the last of a repeated name wins;
    quoted values are unquoted the way ``http.cookies`` does.
    """
    cookies: dict[str, str] = {}
    for chunk in cookie_header.split(";"):
        if "=" in chunk:
            name, value = chunk.split("=", 1)
        else:
            name, value = "", chunk
        name = name.strip()
        value = value.strip()
        if name or value:
            cookies[name] = _unquote_cookie(value)
    return cookies


def coerce(kind: int, raw: Any) -> Any:
    """``raw`` as a value of ``kind`` when its text is unambiguous, else ``NOT_NATIVE``.

    Only spellings that Pydantic reads the same way are handled here
    (``-12``, ``3.25``, ``true``); anything else (``+1``, ``1e3``, `` 7``,
    ``YES``, a non-string) is left to Pydantic, which decides and words any
    error.
    """
    if type(raw) is not str:
        return NOT_NATIVE
    if kind == AS_STR:
        return raw
    if kind == AS_BOOL:
        return _BOOL_WORDS.get(raw, NOT_NATIVE)
    if kind == AS_INT:
        return int(raw) if _is_integer(raw) else NOT_NATIVE
    if kind == AS_FLOAT:
        return float(raw) if _is_decimal(raw) else NOT_NATIVE
    return NOT_NATIVE


def _is_integer(text: str) -> bool:
    """Whether ``text`` is an optional ``-`` and then only ASCII digits."""
    digits = text[1:] if text.startswith("-") else text
    return 0 < len(digits) <= _MAX_NATIVE_DIGITS and _DIGITS.issuperset(digits)


def _is_decimal(text: str) -> bool:
    """Whether ``text`` is an integer, or one followed by ``.`` and more digits."""
    whole, dot, fraction = text.partition(".")
    if not dot:
        return _is_integer(whole)
    return (
        _is_integer(whole)
        and 0 < len(fraction) <= _MAX_NATIVE_DIGITS
        and (_DIGITS.issuperset(fraction))
    )


class ParamSpec:
    """One parameter: its argument name, wire key, native kind, default and validator.

    ``name`` is the endpoint argument; ``key`` the name on the wire (the
    alias; header keys in lower case). ``many`` parameters take every value
    of their key as a list. A ``whole`` parameter (a Pydantic model
    declared as a group of parameters) takes all the group's raw values as
    one dict. ``adapter`` is the parameter's own Pydantic ``TypeAdapter``,
    used on the slow path; ``factory``, when set, makes a fresh default per
    request (for mutable defaults).
    """

    def __init__(
        self,
        name: str,
        key: str,
        kind: int,
        many: bool,
        whole: bool,
        required: bool,
        default: Any,
        factory: Any,
        adapter: Any,
    ) -> None:
        self.name = name
        self.key = key
        self.kind = kind
        self.many = many
        self.whole = whole
        self.required = required
        self.default = default
        self.factory = factory
        self.adapter = adapter

    def default_value(self) -> Any:
        """The value used when the request does not carry this parameter."""
        if self.factory is not None:
            return self.factory()
        return self.default


class ParamGroup:
    """The parameters read from one place of the request, and how to validate them.

    ``location`` starts every error's ``loc`` (``"query"``, ``"header"``,
    ...). ``validator`` is a Pydantic validator for a dict of the raw
    values of the ``AS_OTHER`` parameters, keyed by wire key, built at
    start-up so that those parameters cost one Pydantic call together.
    ``many_keys`` are the keys whose every value is wanted;
    ``blank_is_missing`` treats an empty string as absent (FastAPI does so
    for form fields). ``model_fields``, in field order, are the ``(wire
    key, field name)`` pairs of a model declared as a group of parameters
    (empty when there is none): such a model is validated from every key
    sent, its own fields first, under their names.
    """

    def __init__(
        self,
        location: str,
        params: tuple[ParamSpec, ...],
        validator: Any,
        many_keys: frozenset[str],
        blank_is_missing: bool,
        model_fields: tuple[tuple[str, str], ...],
    ) -> None:
        self.location = location
        self.params = params
        self.validator = validator
        self.many_keys = many_keys
        self.blank_is_missing = blank_is_missing
        self.model_fields = model_fields
        # Other keys sent that spell a model field are not passed on twice.
        self.model_spellings = frozenset(spelling for pair in model_fields for spelling in pair)
        self.keys = frozenset(param.key for param in params if not param.whole)
        self.wants_all = any(param.whole for param in params)

    def collect(self, pairs: Any, first_wins: bool) -> dict[str, Any]:
        """The raw values this group reads from ``(key, value)`` pairs.

        A repeated key keeps its last value (query strings, forms) or its
        first (``first_wins``: headers); keys in ``many_keys`` keep a list.
        """
        if self.wants_all:
            return self._collect_for_model(pairs, first_wins)
        raw: dict[str, Any] = {}
        many_keys = self.many_keys
        keys = self.keys
        for key, value in pairs:
            if key in many_keys:
                values = raw.get(key)
                if values is None:
                    raw[key] = [value]
                else:
                    values.append(value)
            elif key in keys and not (first_wins and key in raw):
                raw[key] = value
        return raw

    def _collect_for_model(self, pairs: Any, first_wins: bool) -> dict[str, Any]:
        """The dict a model group is validated from, shaped as FastAPI shapes it.

        The model's fields come first, in field order, under their names;
        then every other key sent that does not spell a field, a repeated
        one as a list.
        """
        sent: dict[str, list[Any]] = {}
        for key, value in pairs:
            values = sent.get(key)
            if values is None:
                sent[key] = [value]
            else:
                values.append(value)
        raw: dict[str, Any] = {}
        for key, name in self.model_fields:
            values = sent.get(key)
            if values is not None:
                raw[name] = values if key in self.many_keys else values[0 if first_wins else -1]
        spellings = self.model_spellings
        for key, values in sent.items():
            if key not in raw and key not in spellings:
                raw[key] = values[0] if len(values) == 1 else values
        return raw

    def collect_headers(self, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
        """The raw values this group reads from an ASGI scope's ``headers``."""
        return self.collect(
            ((name.decode("latin-1"), value.decode("latin-1")) for name, value in headers), True
        )

    def resolve(self, raw: dict[str, Any], arguments: dict[str, Any]) -> list[Any] | None:
        """Validate ``raw`` into ``arguments``; FastAPI's error list on failure, else None."""
        pending: dict[str, Any] | None = None
        value: Any
        for param in self.params:
            if param.whole:
                value = raw
            else:
                value = raw.get(param.key, MISSING)
                if self._absent(param, value):
                    if param.required:
                        return self.resolve_slowly(raw, arguments)
                    arguments[param.name] = param.default_value()
                    continue
            if param.kind != AS_OTHER:
                if param.many:
                    native = _coerce_each(param.kind, value)
                else:
                    native = coerce(param.kind, value)
                if native is NOT_NATIVE:
                    return self.resolve_slowly(raw, arguments)
                arguments[param.name] = native
            else:
                if pending is None:
                    pending = {}
                pending[param.key] = value
        if pending is not None:
            try:
                validated = self.validator.validate_python(pending)
            except ValidationError:
                return self.resolve_slowly(raw, arguments)
            for param in self.params:
                if param.key in validated:
                    arguments[param.name] = validated[param.key]
        return None

    def resolve_slowly(self, raw: dict[str, Any], arguments: dict[str, Any]) -> list[Any] | None:
        """Validate each parameter on its own, collecting FastAPI-shaped errors."""
        errors: list[Any] = []
        for param in self.params:
            if param.whole:
                value = raw
            else:
                value = raw.get(param.key, MISSING)
                if self._absent(param, value):
                    if param.required:
                        errors.append(missing_error((self.location, param.key)))
                    else:
                        arguments[param.name] = param.default_value()
                    continue
            try:
                arguments[param.name] = param.adapter.validate_python(value, from_attributes=True)
            except ValidationError as error:
                where = (self.location,) if param.whole else (self.location, param.key)
                errors.extend(located_errors(error, where))
        return errors or None

    def _absent(self, param: ParamSpec, value: Any) -> bool:
        if value is MISSING:
            return True
        if param.many:
            return not value
        return self.blank_is_missing and value == ""


def _coerce_each(kind: int, values: list[Any]) -> Any:
    coerced = []
    for value in values:
        native = coerce(kind, value)
        if native is NOT_NATIVE:
            return NOT_NATIVE
        coerced.append(native)
    return coerced


class JsonBody:
    """A request body read as JSON into one parameter, or a group of them.

    ``param`` is set when the body is a single parameter's value (FastAPI's
    non-embedded body); ``group`` when the body is an object whose keys are
    parameters (several bodies, or ``embed=True``). ``strict`` (FastAPI's
    ``strict_content_type``) reads a body without a ``Content-Type`` as raw
    bytes, not as JSON. ``from_bytes`` lets the single parameter validate
    the raw bytes with Pydantic's ``validate_json``; it is off for types that
    Pydantic reads differently from JSON text than from parsed JSON (strict
    fields, decimals), which FastAPI validates after ``json.loads``.
    """

    def __init__(
        self, param: ParamSpec | None, group: ParamGroup | None, strict: bool, from_bytes: bool
    ) -> None:
        self.param = param
        self.group = group
        self.strict = strict
        self.from_bytes = from_bytes

    def is_json(self, content_type: str | None) -> bool:
        """Whether a body of this ``Content-Type`` is parsed as JSON."""
        if not content_type:
            return not self.strict
        media_type = content_type.partition(";")[0].strip().lower()
        main, slash, sub = media_type.partition("/")
        return main == "application" and "/" not in sub and (sub == "json" or sub.endswith("+json"))

    def resolve(
        self, body: bytes, content_type: str | None, arguments: dict[str, Any]
    ) -> list[Any] | None:
        """Validate ``body`` into ``arguments``; FastAPI's error list on failure, else None.

        Raises ``ValueError`` for bytes that are not UTF-8, -16 or -32, and
        ``RecursionError`` for JSON nested deeper than Python's recursion
        limit: FastAPI answers both with a 400, not with validation errors.
        """
        if not body:
            return self._resolve_value(MISSING, arguments)
        if not self.is_json(content_type):
            return self._resolve_value(body, arguments)
        param = self.param
        if param is not None and self.from_bytes:
            try:
                arguments[param.name] = param.adapter.validate_json(body)
                return None
            except ValidationError:
                pass
        try:
            value = json.loads(body)
        except json.JSONDecodeError as error:
            return [json_error(error)]
        # Any other error propagates (see the docstring).
        return self._resolve_value(value, arguments)

    def _resolve_value(self, value: Any, arguments: dict[str, Any]) -> list[Any] | None:
        param = self.param
        if param is None:
            group: ParamGroup = self.group  # type: ignore[assignment]
            if value is MISSING or type(value) is bytes:  # no body, or one not read as JSON
                return group.resolve({}, arguments)
            if type(value) is not dict:  # FastAPI then finds no field, optional or not
                return [missing_error(("body", field.key)) for field in group.params]
            return group.resolve(value, arguments)
        if value is MISSING:
            if param.required:
                return [missing_error(("body",))]
            arguments[param.name] = param.default_value()
            return None
        try:
            arguments[param.name] = param.adapter.validate_python(value, from_attributes=True)
        except ValidationError as error:
            return located_errors(error, ("body",))
        return None


def missing_error(loc: tuple[Any, ...]) -> dict[str, Any]:
    """FastAPI's error for a required parameter the request lacks."""
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def located_errors(error: ValidationError, where: tuple[Any, ...]) -> list[Any]:
    """Pydantic's errors, each ``loc`` prefixed with where the value came from."""
    errors = error.errors(include_url=False)
    for detail in errors:
        detail["loc"] = (*where, *detail["loc"])
    return errors


def json_error(error: json.JSONDecodeError) -> dict[str, Any]:
    """FastAPI's error for a body that is not valid JSON."""
    return {
        "type": "json_invalid",
        "loc": ("body", error.pos),
        "msg": "JSON decode error",
        "input": {},
        "ctx": {"error": error.msg},
    }
