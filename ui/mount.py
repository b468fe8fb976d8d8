"""Mount the UI at /ui in the API's FastAPI app, over the API's own KickoffService (same store, same engine).

Auth: the API authenticates every /v1 call with a tenant's API key; a browser page has no key to send, so the
UI acts as one tenant (KICKOFF_UI_TENANT, default "local") and is served to loopback clients only. A request
to /ui from any other address gets 401, unless KICKOFF_UI_ALLOW_REMOTE=1 says that something in front
(a reverse proxy with its own login, a VPN) already decides who may reach it.
"""

from __future__ import annotations

import ipaddress
import os

import gradio as gr
from fastapi import FastAPI, Request

from assistant.service import KickoffService
from ui.app import build_ui
from ui.backend import DEFAULT_TENANT, UiBackend
from ui.render import CSS

UI_PATH = "/ui"


def _theme() -> gr.themes.Base:
    # System fonts only: the default theme fetches Google Fonts, which a closed network cannot reach.
    return gr.themes.Soft(
        primary_hue="blue",
        neutral_hue="slate",
        font=["ui-sans-serif", "system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
    )


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_only(request: Request) -> str | None:
    """Gradio's auth hook: the user id for a loopback client, None (401) for anyone else."""
    if os.environ.get("KICKOFF_UI_ALLOW_REMOTE", "").lower() in ("1", "true", "yes"):
        return "local"
    return "local" if is_loopback(request.client.host if request.client else None) else None


def mount_ui(app: FastAPI, service: KickoffService, *, tenant: str | None = None, path: str = UI_PATH) -> FastAPI:
    """Mount the Gradio UI on `app` at `path`. Fits create_app's `mount_ui=` hook (app, service)."""
    backend = UiBackend(service, tenant or os.environ.get("KICKOFF_UI_TENANT") or DEFAULT_TENANT)
    blocks = build_ui(backend)
    return gr.mount_gradio_app(
        app,
        blocks,
        path=path,
        auth_dependency=loopback_only,
        theme=_theme(),
        css=CSS,
        footer_links=[],
        ssr_mode=False,  # SSR would start a Node server; the client-rendered page needs nothing beyond Python
        show_error=True,
        mcp_server=False,
        pwa=False,
    )
