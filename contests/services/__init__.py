"""Every write of the contests app: banks, contests, rounds, takers, attempts, answers.

Organiser operations check ``contests.manage`` through :mod:`orgs.policy` (``by=None`` is the operator at the
command line) and are audited. Taker operations are authenticated by their token in the API layer and are
not audited one by one (a contest day writes millions of answers); their rows are the record.

The hot path is :func:`~contests.services.attempts.answer_save`: a conditional UPDATE of the attempt row (which
also serialises it with a concurrent submit) and an UPDATE of one answer row found by a unique index. Question
data comes from a per-process cache: versions are immutable once a round has frozen them.

Modules: :mod:`.common` (errors, caches), :mod:`.banks`, :mod:`.rounds` (contests and rounds),
:mod:`.attempts` (takers and attempts). The names below are the app's one entry point.
"""

from contests.services.attempts import (
    Result,
    answer_save,
    attempt_questions,
    attempt_start,
    attempt_submit,
    contact_key,
    finalise_attempt,
    finalise_expired,
    flag_flood,
    prediction_save,
    result_of,
    taker_register,
)
from contests.services.banks import ImportReport, bank_get_or_create, bank_import, version_review
from contests.services.common import (
    CONTEST_CACHE_SECONDS,
    MANAGE,
    Conflict,
    ContestError,
    Invalid,
    NotFound,
    VersionData,
    contest_with_rounds,
    forget_contest,
    ms,
    round_named,
    version_data,
)
from contests.services.rounds import (
    contest_create,
    questions_hash,
    round_freeze,
    round_set_actual,
    round_verify,
)

__all__ = [
    "CONTEST_CACHE_SECONDS", "MANAGE", "Conflict", "ContestError", "ImportReport", "Invalid", "NotFound", "Result",
    "VersionData", "answer_save", "attempt_questions", "attempt_start", "attempt_submit", "bank_get_or_create",
    "bank_import", "contact_key", "contest_create", "contest_with_rounds", "finalise_attempt", "finalise_expired",
    "flag_flood", "forget_contest", "ms", "prediction_save", "questions_hash", "result_of", "round_freeze",
    "round_named", "round_set_actual", "round_verify", "taker_register", "version_data", "version_review",
]
