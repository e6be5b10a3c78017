"""Background tasks run after the response is sent."""

from collections.abc import Callable
from typing import Any

from starlette.background import BackgroundTasks as StarletteBackgroundTasks
from typing_extensions import ParamSpec

P = ParamSpec("P")


class BackgroundTasks(StarletteBackgroundTasks):
    """Declare a parameter of this type in an endpoint or dependency to get the request's
    task list; tasks run in the order added, once the response has been sent."""

    def add_task(self, func: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        """Queue ``func(*args, **kwargs)``; ``func`` may be a plain or an ``async`` function."""
        super().add_task(func, *args, **kwargs)
