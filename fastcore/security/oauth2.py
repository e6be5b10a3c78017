"""OAuth2 helpers. For now: ``SecurityScopes``, which dependencies receive."""

from __future__ import annotations


class SecurityScopes:
    """The OAuth2 scopes required by the dependencies on the way to this one.

    Declare a parameter of this type in a dependency to receive them:
    ``Security(dependency, scopes=[...])`` adds scopes, and each dependency
    sees its own plus those of every ``Security`` above it in the tree.
    """

    def __init__(self, scopes: list[str] | None = None) -> None:
        self.scopes: list[str] = list(scopes or [])
        self.scope_str: str = " ".join(self.scopes)
