"""OAuth2: bearer tokens in the ``Authorization`` header, the password-flow login form, and
``SecurityScopes``, through which dependencies learn the scopes required of them.

The classes only read what the client sent; checking the token (and its scopes) is the
application's job, in a dependency of its own.
"""

from typing import Annotated, Any, cast

from starlette.requests import HTTPConnection

from fastcore.exceptions import HTTPException
from fastcore.openapi.models import OAuth2 as OAuth2Model
from fastcore.openapi.models import OAuthFlows as OAuthFlowsModel
from fastcore.param_functions import Form
from fastcore.security.utils import SecurityBase, get_authorization_scheme_param
from fastcore.status import HTTP_401_UNAUTHORIZED

__all__ = [
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "SecurityScopes",
]


class OAuth2PasswordRequestForm:
    """The login form of the OAuth2 password flow (RFC 6749, 4.3.2), as a dependency.

    Use it as ``form: Annotated[OAuth2PasswordRequestForm, Depends()]``: the fields are read
    from a form body. ``scope`` (space-separated) is also given split, as ``scopes``.
    ``grant_type`` may be left out, but if sent it must be ``password``; use
    ``OAuth2PasswordRequestFormStrict`` to require it.
    """

    def __init__(
        self,
        *,
        grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
        username: Annotated[str, Form()],
        password: Annotated[str, Form(json_schema_extra={"format": "password"})],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form(json_schema_extra={"format": "password"})] = None,
    ) -> None:
        self.grant_type = grant_type
        self.username = username
        self.password = password
        self.scopes = scope.split()
        self.client_id = client_id
        self.client_secret = client_secret


class OAuth2PasswordRequestFormStrict(OAuth2PasswordRequestForm):
    """``OAuth2PasswordRequestForm`` with ``grant_type=password`` required, as the RFC says."""

    # Unlike the lenient form, FastAPI's strict one does not mark the secrets as
    # ``format: password`` in the schema; kept so, for the same OpenAPI document.
    def __init__(
        self,
        grant_type: Annotated[str, Form(pattern="^password$")],
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form()] = None,
    ) -> None:
        super().__init__(
            grant_type=grant_type,
            username=username,
            password=password,
            scope=scope,
            client_id=client_id,
            client_secret=client_secret,
        )


class OAuth2(SecurityBase):
    """An OAuth2 scheme with the given ``flows``; the dependency returns the whole
    ``Authorization`` value, unparsed. The subclasses below read a bearer token instead.

    Without the header the dependency answers 401 ``Not authenticated`` with
    ``WWW-Authenticate: Bearer``, or gives ``None`` when ``auto_error`` is false.
    """

    def __init__(
        self,
        *,
        flows: OAuthFlowsModel | dict[str, dict[str, Any]] = OAuthFlowsModel(),  # noqa: B008
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        # A dict of flows is validated into the model here.
        self.model = OAuth2Model(flows=cast(OAuthFlowsModel, flows), description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_not_authenticated_error(self) -> HTTPException:
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )

    def _check_required(self) -> None:
        """No usable token: refuse the request, unless ``auto_error`` is false (``None``)."""
        if self.auto_error:
            raise self.make_not_authenticated_error()

    def _bearer_token(self, request: HTTPConnection) -> str | None:
        """The token after ``Bearer`` (any case); it may be empty: ``Authorization: Bearer``."""
        authorization = request.headers.get("Authorization")
        scheme, token = get_authorization_scheme_param(authorization)
        if not authorization or scheme.lower() != "bearer":
            self._check_required()
            return None
        return token

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("Authorization")
        if not authorization:
            self._check_required()
            return None
        return authorization


class OAuth2PasswordBearer(OAuth2):
    """A bearer token obtained with the password flow at ``tokenUrl``; the dependency
    returns the token."""

    def __init__(
        self,
        tokenUrl: str,  # noqa: N803 - the OpenAPI field name, as FastAPI spells it
        scheme_name: str | None = None,
        scopes: dict[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
        refreshUrl: str | None = None,  # noqa: N803
    ) -> None:
        flows = OAuthFlowsModel(
            password=cast(
                Any, {"tokenUrl": tokenUrl, "refreshUrl": refreshUrl, "scopes": scopes or {}}
            )
        )
        super().__init__(
            flows=flows, scheme_name=scheme_name, description=description, auto_error=auto_error
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)


class OAuth2AuthorizationCodeBearer(OAuth2):
    """A bearer token obtained with the authorization-code flow (``authorizationUrl``, then
    ``tokenUrl``); the dependency returns the token."""

    def __init__(
        self,
        authorizationUrl: str,  # noqa: N803 - the OpenAPI field names, as FastAPI spells them
        tokenUrl: str,  # noqa: N803
        refreshUrl: str | None = None,  # noqa: N803
        scheme_name: str | None = None,
        scopes: dict[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        flows = OAuthFlowsModel(
            authorizationCode=cast(
                Any,
                {
                    "authorizationUrl": authorizationUrl,
                    "tokenUrl": tokenUrl,
                    "refreshUrl": refreshUrl,
                    "scopes": scopes or {},
                },
            )
        )
        super().__init__(
            flows=flows, scheme_name=scheme_name, description=description, auto_error=auto_error
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)


class SecurityScopes:
    """The OAuth2 scopes required by the dependencies on the way to this one.

    Declare a parameter of this type in a dependency to receive them:
    ``Security(dependency, scopes=[...])`` adds scopes, and each dependency
    sees its own plus those of every ``Security`` above it in the tree.
    """

    def __init__(self, scopes: list[str] | None = None) -> None:
        self.scopes: list[str] = list(scopes or [])
        self.scope_str: str = " ".join(self.scopes)
