"""Security schemes, as ``fastapi.security`` has them."""

from fastcore.security.oauth2 import SecurityScopes as SecurityScopes
