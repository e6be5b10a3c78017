"""The error answers each operation documents, beside the 422 the framework adds itself.

Declaring them puts them in ``/openapi.json``, so that clients (and API fuzzers
such as Schemathesis) know every status an operation can answer and the shape
of its body.
"""

from typing import Any

from examples.shop.models import Message


def error(description: str) -> dict[str, Any]:
    return {"model": Message, "description": description}


# Every protected operation: the token is refused, or its user is disabled.
PROTECTED = {
    400: error("The account is disabled"),
    401: error("No token, or one that is invalid, expired or lacks a scope"),
}
# JSON bodies that are not UTF-8 text cannot even be parsed, which is a 400, not a 422.
UNREADABLE_BODY = {400: error("The body is not UTF-8 text")}
# A protected operation with a JSON body: one description for the 400 they share.
PROTECTED_WITH_BODY = {
    **PROTECTED,
    400: error("The account is disabled, or the body is not UTF-8 text"),
}
LOG_IN_REFUSED = {401: error("Wrong username or password")}
USERNAME_TAKEN = {409: error("Username taken")}
NOT_FOUND = {404: error("No item has this number")}
NOT_OWNER = {403: error("The item belongs to another user")}
