"""server: ``storyline serve`` — the read-only HTTP API (JSON, OpenAPI) and the web UI.

``create_app(db)`` gives the ASGI app (tests drive it in-process); ``serve(db, host, port)``
runs it under uvicorn, bound to 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

from .api import create_app, serve

__all__ = ["create_app", "serve"]
