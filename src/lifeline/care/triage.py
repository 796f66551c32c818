"""START and JumpSTART mass-casualty triage, as plain functions (no Django).

`triage_assess(algorithm, answers)` walks the published decision tree with the answers given so
far. It returns the category when the answers reach one, the decision path (each question that
was needed and its answer, in order) and otherwise the one question the tree needs next, so a
form asks only that. Answers the tree did not need are ignored and kept out of the path.

START (Simple Triage and Rapid Treatment; Hoag Hospital and Newport Beach Fire Department, 1983;
Benson, Koenig and Schultz, Prehosp Disaster Med 1996) for adults; JumpSTART (Romig, 1995) for
children. The algorithms give immediate, delayed, minor or dead; expectant is a clinician's
decision recorded with a reason on top of them (see `category_final`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Marks an English message for the catalogues (makemessages looks for this name) without
    importing Django into this pure module: labels, questions, reasons and problems stay
    English here, and the pages, the CLI and the API translate them when they show them."""
    return message


class Algorithm(StrEnum):
    START = "start"
    JUMPSTART = "jumpstart"


class Category(StrEnum):
    IMMEDIATE = "immediate"
    DELAYED = "delayed"
    MINOR = "minor"
    EXPECTANT = "expectant"
    DEAD = "dead"


CATEGORY_LABELS: dict[Category, str] = {
    Category.IMMEDIATE: gettext_noop("Immediate (red)"),
    Category.DELAYED: gettext_noop("Delayed (yellow)"),
    Category.MINOR: gettext_noop("Minor (green)"),
    Category.EXPECTANT: gettext_noop("Expectant (grey)"),
    Category.DEAD: gettext_noop("Dead (black)"),
}
ALGORITHM_LABELS: dict[Algorithm, str] = {
    Algorithm.START: gettext_noop("START (adult)"),
    Algorithm.JUMPSTART: gettext_noop("JumpSTART (child)"),
}
# The order of care on the board: who is seen first.
CATEGORY_ORDER: tuple[Category, ...] = (
    Category.IMMEDIATE,
    Category.DELAYED,
    Category.MINOR,
    Category.EXPECTANT,
    Category.DEAD,
)


class Question(StrEnum):
    WALKS = "walks"
    BREATHES = "breathes"
    BREATHES_AFTER_AIRWAY = "breathes_after_airway"
    PERIPHERAL_PULSE = "peripheral_pulse"
    BREATHES_AFTER_RESCUE_BREATHS = "breathes_after_rescue_breaths"
    RESPIRATORY_RATE = "respiratory_rate"
    RADIAL_PULSE = "radial_pulse"
    CAPILLARY_REFILL = "capillary_refill_seconds"
    OBEYS_COMMANDS = "obeys_commands"
    AVPU = "avpu"


class Avpu(StrEnum):
    ALERT = "alert"
    VOICE = "voice"
    PAIN_APPROPRIATE = "pain_appropriate"
    PAIN_INAPPROPRIATE = "pain_inappropriate"
    UNRESPONSIVE = "unresponsive"


AVPU_LABELS: dict[Avpu, str] = {
    Avpu.ALERT: gettext_noop("Alert"),
    Avpu.VOICE: gettext_noop("Responds to voice"),
    Avpu.PAIN_APPROPRIATE: gettext_noop("Responds to pain appropriately (localises, withdraws)"),
    Avpu.PAIN_INAPPROPRIATE: gettext_noop("Responds to pain inappropriately (moans, posturing)"),
    Avpu.UNRESPONSIVE: gettext_noop("Unresponsive"),
}

Answer = bool | int | float | str


class AnswerInvalid(ValueError):
    """A refused answer: the English message (marked for the catalogues) and its values, so
    that the form can say it in the reader's language."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class QuestionSpec:
    """How a question is asked and what answers it takes."""

    prompt: str
    kind: str  # "bool", "int", "float" or "choice"
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


QUESTIONS: dict[Question, QuestionSpec] = {
    Question.WALKS: QuestionSpec(gettext_noop("Can the patient walk?"), "bool"),
    Question.BREATHES: QuestionSpec(gettext_noop("Is the patient breathing?"), "bool"),
    Question.BREATHES_AFTER_AIRWAY: QuestionSpec(
        gettext_noop("Open (position) the airway. Is the patient breathing now?"), "bool"
    ),
    Question.PERIPHERAL_PULSE: QuestionSpec(
        gettext_noop("Is there a palpable peripheral pulse?"), "bool"
    ),
    Question.BREATHES_AFTER_RESCUE_BREATHS: QuestionSpec(
        gettext_noop("Give five rescue breaths. Is the child breathing now?"), "bool"
    ),
    Question.RESPIRATORY_RATE: QuestionSpec(
        gettext_noop("Respiratory rate (breaths per minute)?"), "int", gettext_noop("/min"), 1, 150
    ),
    Question.RADIAL_PULSE: QuestionSpec(gettext_noop("Is there a radial pulse?"), "bool"),
    Question.CAPILLARY_REFILL: QuestionSpec(
        gettext_noop("Capillary refill time (seconds)?"), "float", gettext_noop("s"), 0, 30
    ),
    Question.OBEYS_COMMANDS: QuestionSpec(
        gettext_noop("Does the patient obey simple commands?"), "bool"
    ),
    Question.AVPU: QuestionSpec(
        gettext_noop("Mental status (AVPU)?"), "choice", choices=tuple(a.value for a in Avpu)
    ),
}

# START: over 30 breaths a minute is immediate. JumpSTART: under 15 or over 45.
START_MAX_RATE = 30
JUMPSTART_MIN_RATE = 15
JUMPSTART_MAX_RATE = 45
CAPILLARY_REFILL_MAX_SECONDS = 2.0
# JumpSTART is for those who look like children; by age when nobody says otherwise: Romig
# designed it for children aged 1 to 8, so an eight-year-old (in whole years) is in it.
JUMPSTART_BELOW_AGE_YEARS = 9


@dataclass(frozen=True)
class Step:
    question: Question
    answer: Answer


@dataclass(frozen=True)
class Outcome:
    """Where the answers led: a category and why, or the next question to ask."""

    algorithm: Algorithm
    path: tuple[Step, ...]
    category: Category | None = None
    reason: str = ""
    next_question: Question | None = None

    @property
    def complete(self) -> bool:
        return self.category is not None

    @property
    def answers(self) -> dict[str, Answer]:
        """The answers the decision needed, by question."""
        return {step.question.value: step.answer for step in self.path}


def algorithm_for(*, age_years: float | None, looks_like_child: bool | None) -> Algorithm:
    """JumpSTART for a patient who looks like a child; by age when the assessor does not say.

    Romig's rule is the look of the patient (a child, not a young adult); the age bound is the
    one JumpSTART was designed for (children aged 1 to 8), used when there is no look.
    An unknown age and no look: START, the adult algorithm.
    """
    if looks_like_child is not None:
        return Algorithm.JUMPSTART if looks_like_child else Algorithm.START
    if age_years is not None and age_years < JUMPSTART_BELOW_AGE_YEARS:
        return Algorithm.JUMPSTART
    return Algorithm.START


def answer_coerce(question: Question, value: object) -> Answer:
    """The answer in its proper type, or ValueError with a message for the form."""
    spec = QUESTIONS[question]
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"yes", "y", "true", "1"}:
            return True
        if text in {"no", "n", "false", "0"}:
            return False
        raise AnswerInvalid(gettext_noop("answer yes or no"))
    if spec.kind == "choice":
        text = str(value).strip().lower()
        if text not in spec.choices:
            raise AnswerInvalid(
                gettext_noop("must be one of %(choices)s"), choices=", ".join(spec.choices)
            )
        return text
    number: float
    if isinstance(value, bool):
        raise AnswerInvalid(gettext_noop("must be a number"))
    try:
        number = float(value) if not isinstance(value, int | float) else value  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise AnswerInvalid(gettext_noop("must be a number")) from None
    if number != number:  # NaN
        raise AnswerInvalid(gettext_noop("must be a number"))
    if spec.kind == "int":
        if number != int(number):
            raise AnswerInvalid(gettext_noop("must be a whole number"))
        number = int(number)
    if spec.minimum is not None and number < spec.minimum:
        raise AnswerInvalid(
            gettext_noop("must be at least %(minimum)s"), minimum=f"{spec.minimum:g}"
        )
    if spec.maximum is not None and number > spec.maximum:
        raise AnswerInvalid(
            gettext_noop("must be at most %(maximum)s"), maximum=f"{spec.maximum:g}"
        )
    return number


class _Walk:
    """One walk down the tree: asks for answers in order, recording the path."""

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        self.answers = answers
        self.path: list[Step] = []

    def ask(self, question: Question) -> Answer:
        if question.value not in self.answers:
            raise _Missing(question)
        answer = self.answers[question.value]
        self.path.append(Step(question, answer))
        return answer


class _Missing(Exception):
    def __init__(self, question: Question) -> None:
        self.question = question


# The reasons are kept in English with the assessment (data, as recorded) and shown in the
# reader's language; those naming a threshold say its value (tested).
_RATE_OVER = gettext_noop("respiratory rate over 30")
_REFILL_OVER = gettext_noop("capillary refill over 2 s")
_RATE_OUTSIDE = gettext_noop("respiratory rate outside 15-45")


def _start(walk: _Walk) -> tuple[Category, str]:
    if walk.ask(Question.WALKS):
        return Category.MINOR, gettext_noop("walks")
    if not walk.ask(Question.BREATHES):
        if walk.ask(Question.BREATHES_AFTER_AIRWAY):
            return Category.IMMEDIATE, gettext_noop("breathes only once the airway is opened")
        return Category.DEAD, gettext_noop("not breathing with the airway open")
    rate = walk.ask(Question.RESPIRATORY_RATE)
    if float(rate) > START_MAX_RATE:
        return Category.IMMEDIATE, _RATE_OVER
    # Perfusion by either sign: the radial pulse (asked), or the capillary refill when that
    # is what the assessor measured instead; a refill given as well is heeded.
    pulse_given = Question.RADIAL_PULSE.value in walk.answers
    refill_given = Question.CAPILLARY_REFILL.value in walk.answers
    if (pulse_given or not refill_given) and not walk.ask(Question.RADIAL_PULSE):
        return Category.IMMEDIATE, gettext_noop("no radial pulse")
    if refill_given and float(walk.ask(Question.CAPILLARY_REFILL)) > CAPILLARY_REFILL_MAX_SECONDS:
        return Category.IMMEDIATE, _REFILL_OVER
    if not walk.ask(Question.OBEYS_COMMANDS):
        return Category.IMMEDIATE, gettext_noop("does not obey commands")
    return Category.DELAYED, gettext_noop("breathing, perfused and obeys commands but cannot walk")


def _jumpstart(walk: _Walk) -> tuple[Category, str]:
    # A child too young to walk answers "no" and is assessed by the rest of the tree.
    if walk.ask(Question.WALKS):
        return Category.MINOR, gettext_noop("walks")
    if not walk.ask(Question.BREATHES):
        if walk.ask(Question.BREATHES_AFTER_AIRWAY):
            return Category.IMMEDIATE, gettext_noop("breathes only once the airway is positioned")
        if not walk.ask(Question.PERIPHERAL_PULSE):
            return Category.DEAD, gettext_noop("apnoeic with no palpable pulse")
        if walk.ask(Question.BREATHES_AFTER_RESCUE_BREATHS):
            return Category.IMMEDIATE, gettext_noop("breathes after five rescue breaths")
        return Category.DEAD, gettext_noop("apnoeic after five rescue breaths")
    rate = float(walk.ask(Question.RESPIRATORY_RATE))
    if rate < JUMPSTART_MIN_RATE or rate > JUMPSTART_MAX_RATE:
        return (
            Category.IMMEDIATE,
            _RATE_OUTSIDE,
        )
    if not walk.ask(Question.PERIPHERAL_PULSE):
        return Category.IMMEDIATE, gettext_noop("no palpable peripheral pulse")
    avpu = walk.ask(Question.AVPU)
    if avpu in {Avpu.PAIN_INAPPROPRIATE, Avpu.UNRESPONSIVE}:
        return Category.IMMEDIATE, gettext_noop("responds to pain inappropriately or not at all")
    return Category.DELAYED, gettext_noop("breathing, perfused and responsive but cannot walk")


def triage_assess(algorithm: Algorithm, answers: Mapping[str, Answer]) -> Outcome:
    """Walk the algorithm's tree with these answers (already in their types: answer_coerce)."""
    walk = _Walk(answers)
    tree = _start if algorithm == Algorithm.START else _jumpstart
    try:
        category, reason = tree(walk)
    except _Missing as missing:
        return Outcome(algorithm, tuple(walk.path), next_question=missing.question)
    return Outcome(algorithm, tuple(walk.path), category=category, reason=reason)


def category_final(
    algorithm_category: Category, *, expectant: bool, reason: str
) -> tuple[Category, list[str]]:
    """The category recorded: the algorithm's, or expectant when a clinician decides so with a
    reason (not for the dead). Returns the category and the problems, if any."""
    if not expectant:
        return algorithm_category, []
    if algorithm_category == Category.DEAD:
        return algorithm_category, [
            gettext_noop("the algorithm found the patient dead; not expectant")
        ]
    if not reason.strip():
        return algorithm_category, [gettext_noop("say why the patient is expectant")]
    return Category.EXPECTANT, []
