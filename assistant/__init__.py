"""Kickoff: a facilitation assistant for the kickoff of technology deployments."""

__version__ = "0.1.0"
