"""Jinja2 templates (Starlette's); importing this module needs ``jinja2`` installed."""

from starlette.templating import Jinja2Templates as Jinja2Templates
