from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

# Recurring work that books itself; each hook is idempotent (at most one booking).
STARTUP_HOOKS = ["archive.schedule.ensure_fixity_scheduled", "archive.schedule.ensure_recovery_scheduled",
                 "portal.tasks.ensure_tick_scheduled"]


class Command(BaseCommand):
    help = "Run a background worker (processes ingest, OCR and indexing tasks from every queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="process what is queued, then exit")
        parser.add_argument("--queues", default="*", help="comma-separated queue names (default: all)")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls when idle")

    def handle(self, *args: Any, **options: Any) -> None:
        for dotted in STARTUP_HOOKS:
            import_string(dotted)()
        call_command(
            "db_worker",
            queue_name=options["queues"],
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
        )
