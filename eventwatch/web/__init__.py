"""EventWatch over HTTP: a FastAPI app over the event store, and the map page.

    from eventwatch.web import create_app, serve
    app = create_app(open_store("events.db"), api_key=os.environ["EVENTWATCH_API_KEY"])

Needs the ``serve`` extra (``pip install 'eventwatch[serve]'``: fastapi, uvicorn).
"""

from __future__ import annotations

from typing import Any

__all__ = ["app_from_env", "create_app", "serve"]

SERVE_INSTALL = "pip install 'eventwatch[serve]'"


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'eventwatch.web' has no attribute {name!r}")
    try:
        from eventwatch.web import app
    except ModuleNotFoundError as error:
        if error.name in ("fastapi", "uvicorn", "starlette", "pydantic"):
            from eventwatch.errors import ConfigError

            raise ConfigError(f"the web service needs {error.name}, which is not installed: {SERVE_INSTALL}") from error
        raise
    return getattr(app, name)
