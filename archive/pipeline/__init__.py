"""The ingest pipeline: identify → extract → ocr → describe → deduplicate → index.

Layers, each importing only those before it: :mod:`.base` (the :class:`Step` protocol and
:class:`StepResult`), :mod:`.neardup` (pure MinHash), :mod:`.steps` (one module per step, writing through
:mod:`archive.records`), :mod:`.leases` (:class:`WorkerId`, claims and take-overs), :mod:`.engine` (runs a step
under its lease and returns the follow-up work; :mod:`archive.tasks` enqueues it).
"""

from __future__ import annotations

from archive.models import Stage, StageState
from archive.pipeline.base import Step, StepResult
from archive.pipeline.steps import deduplicate, describe, extract, identify, index, ocr

STEPS: list[Step] = [identify.STEP, extract.STEP, ocr.STEP, describe.STEP, deduplicate.STEP, index.STEP]
STEP_NAMES: list[str] = [step.name for step in STEPS]
BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
if [s.value for s in Stage if s != Stage.DONE] != STEP_NAMES:
    raise RuntimeError("archive.pipeline.STEPS and archive.models.Stage list different stages")


def next_stage(name: str) -> str:
    i = STEP_NAMES.index(name)
    return STEP_NAMES[i + 1] if i + 1 < len(STEP_NAMES) else Stage.DONE.value


__all__ = ["BY_NAME", "STEPS", "STEP_NAMES", "Stage", "StageState", "Step", "StepResult", "next_stage"]
