"""`kickoff serve` and `kickoff tenant ...`: the server runner and tenant administration."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from assistant.config import Settings
from assistant.errors import KickoffError
from assistant.knowledge.index import KnowledgeBase
from assistant.service import KickoffService
from assistant.store import Store

tenant_app = typer.Typer(help="Tenants and their API keys (only a key's hash is stored).", no_args_is_help=True)
_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _store() -> Store:
    store = Store(Settings())
    store.migrate()
    return store


def _fail(exc: KickoffError) -> typer.Exit:
    _err.print(f"[red]Error: {exc}[/red]")
    return typer.Exit(1)


@tenant_app.command("create")
def tenant_create(name: Annotated[str, typer.Argument(help="A unique tenant name, e.g. the customer's.")]) -> None:
    """Create a tenant and print its API key (shown once; store it safely)."""
    try:
        row, key = _store().create_tenant(name)
    except KickoffError as exc:
        raise _fail(exc) from exc
    _err.print(f"Created tenant {row.name!r} ({row.id}). Its API key, shown only now:")
    typer.echo(key)


@tenant_app.command("revoke")
def tenant_revoke(name: Annotated[str, typer.Argument(help="The tenant whose key stops working.")]) -> None:
    """Revoke a tenant's API key; its requests get 401 from then on (its data stays)."""
    try:
        row = _store().revoke_tenant(name)
    except KickoffError as exc:
        raise _fail(exc) from exc
    _out.print(f"Revoked the API key of tenant {row.name!r}.")


@tenant_app.command("list")
def tenant_list() -> None:
    """List tenants (name, id, key prefix, revoked)."""
    table = Table("name", "id", "key", "status", "created")
    for t in _store().list_tenants():
        table.add_row(
            t.name, t.id, t.key_prefix + "…", "revoked" if t.revoked else "active", f"{t.created_at:%Y-%m-%d}"
        )
    _out.print(table)


def run_server(settings: Settings, kb: KnowledgeBase, log_level: str = "info") -> None:
    """Migrate the store, build the app over one service, and serve it with uvicorn (one process)."""
    import uvicorn

    from assistant.api.app import create_app

    logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    store = Store(settings)
    store.migrate()
    _err.print(f"Store: {store.engine.url.render_as_string(hide_password=True)} (migrated to head).")
    service = KickoffService(store, settings, kb=kb)
    from ui.mount import mount_ui  # the browser UI at /ui, over this same service and store

    app = create_app(settings, service=service, migrate=False, mount_ui=mount_ui)
    _err.print(f"Serving on http://{settings.host}:{settings.port}  (UI /ui, API /v1, docs /docs)")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=log_level, access_log=False)
