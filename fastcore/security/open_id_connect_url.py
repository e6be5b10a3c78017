"""OpenID Connect discovery: the scheme points clients at the provider's configuration."""

from starlette.requests import HTTPConnection

from fastcore.exceptions import HTTPException
from fastcore.openapi.models import OpenIdConnect as OpenIdConnectModel
from fastcore.security.utils import SecurityBase
from fastcore.status import HTTP_401_UNAUTHORIZED

__all__ = ["OpenIdConnect", "OpenIdConnectModel"]


class OpenIdConnect(SecurityBase):
    """OpenID Connect, discovered at ``openIdConnectUrl``. The dependency returns the whole
    ``Authorization`` value, unparsed; validating it is the application's job.

    Without the header it answers 401 ``Not authenticated`` with
    ``WWW-Authenticate: Bearer``, or gives ``None`` when ``auto_error`` is false.
    """

    def __init__(
        self,
        *,
        openIdConnectUrl: str,  # noqa: N803 - the OpenAPI field name, as FastAPI spells it
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = OpenIdConnectModel(openIdConnectUrl=openIdConnectUrl, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_not_authenticated_error(self) -> HTTPException:
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("Authorization")
        if authorization:
            return authorization
        if self.auto_error:
            raise self.make_not_authenticated_error()
        return None
