from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Command(BaseCommand):
    help = "Serve the web site (gunicorn, static files included) with a background worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web server processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per web server process")
        parser.add_argument("--no-worker", action="store_true", help="do not start a background worker")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        call_command("collectstatic", interactive=False, verbosity=0)
        env = dict(os.environ)
        env["SULIEU_DATA_DIR"] = str(settings.DATA_DIR)
        if host in LOOPBACK and "SULIEU_SECURE_COOKIES" not in env:
            # Plain http on this machine only: browsers would drop Secure cookies and nobody could log in.
            env["SULIEU_SECURE_COOKIES"] = "0"
        children: list[subprocess.Popen] = []
        if not options["no_worker"]:
            children.append(subprocess.Popen([sys.executable, "-m", "sulieu.cli", "worker"], env=env))
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sulieu.wsgi:application",
             "--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
             "--workers", str(options["workers"]), "--threads", str(options["threads"]), "--timeout", "120",
             "--access-logfile", str(settings.DATA_DIR / "logs" / "access.log"), "--log-level", "warning"],
            env=env,
        )
        children.append(web)
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Sử liệu is serving on http://{shown}:{port}/  (back office: http://{shown}:{port}/admin/)"
                          "  Ctrl-C stops.")

        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
