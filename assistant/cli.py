"""The `kickoff` command line. Each command is a thin adapter over the engine and the knowledge base."""

from __future__ import annotations

import typer

app = typer.Typer(help="Kickoff: facilitate the kickoff of a technology deployment.", no_args_is_help=True)


@app.command()
def serve() -> None:
    """Serve the HTTP API and the browser UI."""
    typer.echo("Serving is not available yet: the API lands with its own issue. Try `kickoff chat`.")


if __name__ == "__main__":
    app()
