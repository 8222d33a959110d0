from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


class Command(BaseCommand):
    help = "Load a province's administrative units, old and new (offline data), e.g. \"Lâm Đồng\"."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("province", nargs="+", help="province name(s), with or without diacritics")

    def handle(self, *args: Any, **options: Any) -> None:
        from orgs.adminunits import load_province

        for name in options["province"]:
            bar = tqdm(desc=name, unit="unit", disable=None)

            def progress(done: int, total: int, bar: tqdm = bar) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                result = load_province(name, progress=progress)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            finally:
                bar.close()
            self.stdout.write(f"{result.province}: {result.created} units created, {result.existing} already there")
