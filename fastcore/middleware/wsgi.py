"""Run a WSGI app inside an ASGI one (Starlette's ``WSGIMiddleware``).

Starlette deprecates it in favour of the ``a2wsgi`` package and warns on import, exactly
as importing ``fastapi.middleware.wsgi`` does.
"""

from starlette.middleware.wsgi import WSGIMiddleware as WSGIMiddleware
