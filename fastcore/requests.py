"""The request objects endpoints receive (Starlette's)."""

from starlette.requests import HTTPConnection as HTTPConnection
from starlette.requests import Request as Request
