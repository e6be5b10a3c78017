"""The base class of every security scheme, where ``fastapi.security.base`` keeps it."""

from fastcore.security.utils import SecurityBase as SecurityBase
from fastcore.security.utils import SecurityBaseModel as SecurityBaseModel
