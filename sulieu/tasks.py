"""Platform-level background tasks."""

from __future__ import annotations

from django_tasks import task


@task()
def ping(message: str = "ping") -> str:
    """A no-op task: proves the worker runs (used by tests and `sulieu worker` health checks)."""
    return message
