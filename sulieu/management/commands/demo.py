from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo data (units of Khánh Hòa, users, a demo archive). Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        from sulieu.demo import DEMO_PASSWORD, load_demo

        load_demo(log=lambda line: self.stdout.write(line))
        self.stdout.write(
            f"demo ready. Logins (password {DEMO_PASSWORD}): admin (administrator), luutru (archivist), "
            "biensoan (compiler), bandoc (reader); portal: phongvien (writer), bientap (editor), lanhdao (leader)"
        )
