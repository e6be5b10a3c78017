"""Security schemes, as ``fastapi.security`` has them.

Each scheme is a dependency (``Depends(scheme)`` or ``Security(scheme, scopes=[...])``)
that reads a credential from the request, and an entry of the OpenAPI document's
``securitySchemes`` (its ``model``, under its ``scheme_name``).
"""

from fastcore.security import api_key as api_key
from fastcore.security import http as http
from fastcore.security import oauth2 as oauth2
from fastcore.security import open_id_connect_url as open_id_connect_url
from fastcore.security import utils as utils
from fastcore.security.api_key import APIKeyCookie as APIKeyCookie
from fastcore.security.api_key import APIKeyHeader as APIKeyHeader
from fastcore.security.api_key import APIKeyQuery as APIKeyQuery
from fastcore.security.http import HTTPAuthorizationCredentials as HTTPAuthorizationCredentials
from fastcore.security.http import HTTPBasic as HTTPBasic
from fastcore.security.http import HTTPBasicCredentials as HTTPBasicCredentials
from fastcore.security.http import HTTPBearer as HTTPBearer
from fastcore.security.http import HTTPDigest as HTTPDigest
from fastcore.security.oauth2 import OAuth2 as OAuth2
from fastcore.security.oauth2 import OAuth2AuthorizationCodeBearer as OAuth2AuthorizationCodeBearer
from fastcore.security.oauth2 import OAuth2PasswordBearer as OAuth2PasswordBearer
from fastcore.security.oauth2 import OAuth2PasswordRequestForm as OAuth2PasswordRequestForm
from fastcore.security.oauth2 import (
    OAuth2PasswordRequestFormStrict as OAuth2PasswordRequestFormStrict,
)
from fastcore.security.oauth2 import SecurityScopes as SecurityScopes
from fastcore.security.open_id_connect_url import OpenIdConnect as OpenIdConnect
