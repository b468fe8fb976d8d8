"""The HTTP API (FastAPI): routes under /v1, Bearer API keys per tenant, one error shape, SSE streaming."""

from assistant.api.app import create_app

__all__ = ["create_app"]
