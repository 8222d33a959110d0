"""What a pipeline step is and what it answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from archive.models import Item


@dataclass(frozen=True)
class StepResult:
    """How a step ended. ``waiting_pages``: the step waits for these pages' OCR (the item stays at the stage)."""

    waiting_pages: tuple[int, ...] = ()
    detail: str = ""

    @property
    def waiting(self) -> bool:
        return bool(self.waiting_pages)


NEXT = StepResult()


class Step(Protocol):
    """One stage of the pipeline. ``run`` writes through :mod:`archive.records` and never enqueues anything."""

    @property
    def name(self) -> str: ...

    def applies(self, item: Item) -> bool:
        """False: the engine records the stage as skipped and moves on."""
        ...

    def run(self, item: Item) -> StepResult: ...
