"""Types for the part of qasync ClusterGenie uses (qasync ships none); see typings/README.md."""

import asyncio
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, ParamSpec, Self, TypeVar

from PySide6.QtCore import QCoreApplication

_P = ParamSpec("_P")
_T = TypeVar("_T")

class QEventLoop(asyncio.SelectorEventLoop):
    """An asyncio loop that runs on (and is run by) Qt's event loop."""

    def __init__(
        self,
        app: QCoreApplication | None = None,
        set_running_loop: bool = False,
        already_running: bool = False,
    ) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

QSelectorEventLoop = QEventLoop

def asyncSlot(
    *args: type | str, **kwargs: Any
) -> Callable[[Callable[_P, Coroutine[Any, Any, _T]]], Callable[_P, asyncio.Task[_T]]]:
    """A Qt slot (typed by args) that runs the coroutine function as a task on the loop.

    Calling the decorated method returns the task it started.
    """
