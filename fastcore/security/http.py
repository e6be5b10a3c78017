"""HTTP authentication schemes read from the ``Authorization`` header (RFC 9110, 11.6.2).

``HTTPBasic`` decodes user and password; ``HTTPBearer``, ``HTTPDigest`` and the generic
``HTTPBase`` hand the scheme and its credentials over undecoded. Scheme names match in any
case (``bearer`` is ``Bearer``). Without usable credentials the dependency answers 401
``Not authenticated`` with a ``WWW-Authenticate`` challenge naming the scheme, or gives
``None`` when ``auto_error`` is false.
"""

from base64 import b64decode

from pydantic import BaseModel
from starlette.requests import HTTPConnection

from fastcore.exceptions import HTTPException
from fastcore.openapi.models import HTTPBase as HTTPBaseModel
from fastcore.openapi.models import HTTPBearer as HTTPBearerModel
from fastcore.security.utils import SecurityBase, get_authorization_scheme_param
from fastcore.status import HTTP_401_UNAUTHORIZED

__all__ = [
    "HTTPAuthorizationCredentials",
    "HTTPBase",
    "HTTPBaseModel",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPBearerModel",
    "HTTPDigest",
]


class HTTPBasicCredentials(BaseModel):
    """What ``HTTPBasic`` gives the endpoint: the decoded user name and password."""

    username: str
    password: str


class HTTPAuthorizationCredentials(BaseModel):
    """An ``Authorization`` value split at its first space: ``Bearer abc`` gives
    ``scheme="Bearer"`` and ``credentials="abc"``, both as sent."""

    scheme: str
    credentials: str


class HTTPBase(SecurityBase):
    """Any HTTP authentication ``scheme``: accepts whatever scheme the client names, as long
    as credentials follow it; subclasses check the scheme name."""

    def __init__(
        self,
        *,
        scheme: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model: HTTPBaseModel = HTTPBaseModel(scheme=scheme, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_authenticate_headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": self.model.scheme.title()}

    def make_not_authenticated_error(self) -> HTTPException:
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers=self.make_authenticate_headers(),
        )

    def _check_required(self) -> None:
        """No usable credentials: refuse the request, unless the endpoint decides
        (``auto_error=False``, and the dependency gives ``None``)."""
        if self.auto_error:
            raise self.make_not_authenticated_error()

    def _credentials(self, request: HTTPConnection, expected: str | None) -> tuple[str, str]:
        """The scheme and credentials sent, or ``("", "")`` when they are not ``expected``."""
        scheme, credentials = get_authorization_scheme_param(request.headers.get("Authorization"))
        if not (scheme and credentials):
            return "", ""
        if expected is not None and scheme.lower() != expected:
            return "", ""
        return scheme, credentials

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        scheme, credentials = self._credentials(request, None)
        if not scheme:
            self._check_required()
            return None
        return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)


class HTTPBasic(HTTPBase):
    """HTTP Basic (RFC 7617): ``Authorization: Basic base64(user:password)``.

    The endpoint receives ``HTTPBasicCredentials``. No ``Basic`` header at all gives 401 (or
    ``None`` without ``auto_error``); a ``Basic`` header that cannot be decoded (bad base64,
    not ASCII, no colon) always gives 401, since the client did try to authenticate. The
    challenge names the ``realm`` when there is one.
    """

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        realm: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = HTTPBaseModel(scheme="basic", description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.realm = realm
        self.auto_error = auto_error

    def make_authenticate_headers(self) -> dict[str, str]:
        if self.realm:
            return {"WWW-Authenticate": f'Basic realm="{self.realm}"'}
        return {"WWW-Authenticate": "Basic"}

    async def __call__(  # type: ignore[override]
        self, request: HTTPConnection
    ) -> HTTPBasicCredentials | None:
        authorization = request.headers.get("Authorization")
        scheme, encoded = get_authorization_scheme_param(authorization)
        if not authorization or scheme.lower() != "basic":
            self._check_required()
            return None
        try:
            # Lenient base64 (characters outside the alphabet are skipped), then ASCII, as
            # FastAPI decodes: UTF-8 user names are refused like any undecodable value.
            decoded = b64decode(encoded).decode("ascii")
        except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
            raise self.make_not_authenticated_error() from None
        username, colon, password = decoded.partition(":")
        if not colon:
            raise self.make_not_authenticated_error()
        return HTTPBasicCredentials(username=username, password=password)


class HTTPBearer(HTTPBase):
    """A bearer token (RFC 6750): ``Authorization: Bearer <token>``; the endpoint receives
    ``HTTPAuthorizationCredentials``. ``bearerFormat`` only documents the token."""

    def __init__(
        self,
        *,
        bearerFormat: str | None = None,  # noqa: N803 - the OpenAPI field name, as FastAPI
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = HTTPBearerModel(bearerFormat=bearerFormat, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        scheme, credentials = self._credentials(request, "bearer")
        if not scheme:
            self._check_required()
            return None
        return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)


class HTTPDigest(HTTPBase):
    """HTTP Digest (RFC 7616): the endpoint receives the ``Digest`` parameters undecoded, as
    ``HTTPAuthorizationCredentials``, and checks them itself."""

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = HTTPBaseModel(scheme="digest", description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        scheme, credentials = self._credentials(request, "digest")
        if not scheme:
            self._check_required()
            return None
        return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)
