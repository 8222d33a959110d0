"""``sulieu eval-search --corpus C.jsonl --queries Q.jsonl [--backend sqlite|postgres] [--k 10] [--out R.jsonl]``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from search.evaluation import evaluate


class Command(BaseCommand):
    help = "Measure search quality: index a JSON-lines corpus in a throwaway index, run queries, print figures."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--corpus", required=True, help='JSON lines {"id", "title", "text"}')
        parser.add_argument("--queries", required=True, help='JSON lines {"qid", "query", "relevant": [ids]}')
        parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--out", help='write {"qid", "ranked": [ids]} lines here')
        parser.add_argument("--baseline", action="store_true",
                            help="also run plain FTS5 (unicode61 remove_diacritics 2, bm25) side by side")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = evaluate(options["corpus"], options["queries"], backend=options["backend"], k=options["k"],
                              out=options["out"], baseline=options["baseline"])
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
