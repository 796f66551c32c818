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
    Category.IMMEDIATE: "Immediate (red)",
    Category.DELAYED: "Delayed (yellow)",
    Category.MINOR: "Minor (green)",
    Category.EXPECTANT: "Expectant (grey)",
    Category.DEAD: "Dead (black)",
}
ALGORITHM_LABELS: dict[Algorithm, str] = {
    Algorithm.START: "START (adult)",
    Algorithm.JUMPSTART: "JumpSTART (child)",
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
    Avpu.ALERT: "Alert",
    Avpu.VOICE: "Responds to voice",
    Avpu.PAIN_APPROPRIATE: "Responds to pain appropriately (localises, withdraws)",
    Avpu.PAIN_INAPPROPRIATE: "Responds to pain inappropriately (moans, posturing)",
    Avpu.UNRESPONSIVE: "Unresponsive",
}

Answer = bool | int | float | str


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
    Question.WALKS: QuestionSpec("Can the patient walk?", "bool"),
    Question.BREATHES: QuestionSpec("Is the patient breathing?", "bool"),
    Question.BREATHES_AFTER_AIRWAY: QuestionSpec(
        "Open (position) the airway. Is the patient breathing now?", "bool"
    ),
    Question.PERIPHERAL_PULSE: QuestionSpec("Is there a palpable peripheral pulse?", "bool"),
    Question.BREATHES_AFTER_RESCUE_BREATHS: QuestionSpec(
        "Give five rescue breaths. Is the child breathing now?", "bool"
    ),
    Question.RESPIRATORY_RATE: QuestionSpec(
        "Respiratory rate (breaths per minute)?", "int", "/min", 1, 150
    ),
    Question.RADIAL_PULSE: QuestionSpec("Is there a radial pulse?", "bool"),
    Question.CAPILLARY_REFILL: QuestionSpec(
        "Capillary refill time (seconds)?", "float", "s", 0, 30
    ),
    Question.OBEYS_COMMANDS: QuestionSpec("Does the patient obey simple commands?", "bool"),
    Question.AVPU: QuestionSpec(
        "Mental status (AVPU)?", "choice", choices=tuple(a.value for a in Avpu)
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
        raise ValueError("answer yes or no")
    if spec.kind == "choice":
        text = str(value).strip().lower()
        if text not in spec.choices:
            raise ValueError(f"must be one of {', '.join(spec.choices)}")
        return text
    number: float
    if isinstance(value, bool):
        raise ValueError("must be a number")
    try:
        number = float(value) if not isinstance(value, int | float) else value  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError("must be a number") from None
    if number != number:  # NaN
        raise ValueError("must be a number")
    if spec.kind == "int":
        if number != int(number):
            raise ValueError("must be a whole number")
        number = int(number)
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(f"must be at least {spec.minimum:g}")
    if spec.maximum is not None and number > spec.maximum:
        raise ValueError(f"must be at most {spec.maximum:g}")
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


def _start(walk: _Walk) -> tuple[Category, str]:
    if walk.ask(Question.WALKS):
        return Category.MINOR, "walks"
    if not walk.ask(Question.BREATHES):
        if walk.ask(Question.BREATHES_AFTER_AIRWAY):
            return Category.IMMEDIATE, "breathes only once the airway is opened"
        return Category.DEAD, "not breathing with the airway open"
    rate = walk.ask(Question.RESPIRATORY_RATE)
    if float(rate) > START_MAX_RATE:
        return Category.IMMEDIATE, f"respiratory rate over {START_MAX_RATE}"
    # Perfusion by either sign: the radial pulse (asked), or the capillary refill when that
    # is what the assessor measured instead; a refill given as well is heeded.
    pulse_given = Question.RADIAL_PULSE.value in walk.answers
    refill_given = Question.CAPILLARY_REFILL.value in walk.answers
    if (pulse_given or not refill_given) and not walk.ask(Question.RADIAL_PULSE):
        return Category.IMMEDIATE, "no radial pulse"
    if refill_given and float(walk.ask(Question.CAPILLARY_REFILL)) > CAPILLARY_REFILL_MAX_SECONDS:
        return Category.IMMEDIATE, f"capillary refill over {CAPILLARY_REFILL_MAX_SECONDS:g} s"
    if not walk.ask(Question.OBEYS_COMMANDS):
        return Category.IMMEDIATE, "does not obey commands"
    return Category.DELAYED, "breathing, perfused and obeys commands but cannot walk"


def _jumpstart(walk: _Walk) -> tuple[Category, str]:
    # A child too young to walk answers "no" and is assessed by the rest of the tree.
    if walk.ask(Question.WALKS):
        return Category.MINOR, "walks"
    if not walk.ask(Question.BREATHES):
        if walk.ask(Question.BREATHES_AFTER_AIRWAY):
            return Category.IMMEDIATE, "breathes only once the airway is positioned"
        if not walk.ask(Question.PERIPHERAL_PULSE):
            return Category.DEAD, "apnoeic with no palpable pulse"
        if walk.ask(Question.BREATHES_AFTER_RESCUE_BREATHS):
            return Category.IMMEDIATE, "breathes after five rescue breaths"
        return Category.DEAD, "apnoeic after five rescue breaths"
    rate = float(walk.ask(Question.RESPIRATORY_RATE))
    if rate < JUMPSTART_MIN_RATE or rate > JUMPSTART_MAX_RATE:
        return (
            Category.IMMEDIATE,
            f"respiratory rate outside {JUMPSTART_MIN_RATE}-{JUMPSTART_MAX_RATE}",
        )
    if not walk.ask(Question.PERIPHERAL_PULSE):
        return Category.IMMEDIATE, "no palpable peripheral pulse"
    avpu = walk.ask(Question.AVPU)
    if avpu in {Avpu.PAIN_INAPPROPRIATE, Avpu.UNRESPONSIVE}:
        return Category.IMMEDIATE, "responds to pain inappropriately or not at all"
    return Category.DELAYED, "breathing, perfused and responsive but cannot walk"


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
        return algorithm_category, ["the algorithm found the patient dead; not expectant"]
    if not reason.strip():
        return algorithm_category, ["say why the patient is expectant"]
    return Category.EXPECTANT, []
