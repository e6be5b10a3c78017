"""The framework's logger; configure it with ``logging.getLogger("fastcore")``."""

import logging

logger = logging.getLogger("fastcore")
