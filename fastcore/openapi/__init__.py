"""The OpenAPI document: its models (``fastcore.openapi.models``), as in ``fastapi.openapi``."""
