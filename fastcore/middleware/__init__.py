"""Middleware: Starlette's ``Middleware`` wrapper; the middleware classes are in submodules."""

from starlette.middleware import Middleware as Middleware
