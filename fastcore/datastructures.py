"""Request data structures (Starlette's), an ``UploadFile`` Pydantic can validate, and the
``Default`` marker for "argument not given"."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from pydantic import GetJsonSchemaHandler
from pydantic_core import CoreSchema, core_schema
from starlette.datastructures import URL as URL
from starlette.datastructures import Address as Address
from starlette.datastructures import FormData as FormData
from starlette.datastructures import Headers as Headers
from starlette.datastructures import QueryParams as QueryParams
from starlette.datastructures import State as State
from starlette.datastructures import UploadFile as StarletteUploadFile


class UploadFile(StarletteUploadFile):
    """An uploaded file; usable as a parameter or model field type.

    Validation accepts any Starlette ``UploadFile`` as is; the JSON schema is a binary string.
    """

    # Named ``_validate`` on purpose: Pydantic puts the function's name in error titles
    # ("function-plain[_validate()]"), and FastAPI's read the same.
    @classmethod
    def _validate(cls, value: Any, _info: Any) -> "UploadFile":
        if not isinstance(value, StarletteUploadFile):
            raise ValueError(f"Expected UploadFile, received: {type(value)}")
        return cast(UploadFile, value)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: Mapping[str, Any], handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "string", "contentMediaType": "application/octet-stream"}

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: Callable[[Any], CoreSchema]
    ) -> CoreSchema:
        return core_schema.with_info_plain_validator_function(cls._validate)


class DefaultPlaceholder:
    """Wraps a default value so code can tell "left at its default" from "set by the user",
    even when the user passed the same value. Truthiness and ``==`` follow the value."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DefaultPlaceholder) and other.value == self.value


DefaultType = TypeVar("DefaultType")


def Default(value: DefaultType) -> DefaultType:
    """Mark ``value`` as a default; typed as the value itself so signatures stay readable."""
    return DefaultPlaceholder(value)  # type: ignore[return-value]
