"""What the security schemes share: their base class and the ``Authorization`` header parser."""

from fastcore.openapi.models import SecurityBase as SecurityBaseModel

__all__ = ["SecurityBase", "SecurityBaseModel", "get_authorization_scheme_param"]


class SecurityBase:
    """A security scheme: a dependency that also describes itself in the OpenAPI document.

    ``model`` is the scheme's entry in ``components.securitySchemes`` and ``scheme_name``
    its key there (the class name unless given).
    """

    model: SecurityBaseModel
    scheme_name: str


def get_authorization_scheme_param(authorization_header_value: str | None) -> tuple[str, str]:
    """Split an ``Authorization`` value at its first space: ``("Bearer", "<token>")``.

    The second part loses its surrounding spaces; a value without a space is all scheme,
    and a missing or empty value gives ``("", "")``. The scheme keeps its case: callers
    compare it case-insensitively, as RFC 9110 says schemes are.
    """
    if not authorization_header_value:
        return "", ""
    scheme, _, param = authorization_header_value.partition(" ")
    return scheme, param.strip()
