"""An effect of the checked context file read as English: "Spine bone density was 0.053 g/cm² lower
(mean difference; 95% CI 0.018 to 0.087 lower)". One rule per effect measure (MEASURES), the
direction of a signed measure taken from the row's checked words (`direction_in_words`, DIRECTION_RULES),
never from its sign alone. Pure code: a row in, a sentence out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

RATIO = "ratio"  # hazard, risk, odds, incidence ratios: 1 = no difference
LOG_RATIO = "log ratio"  # a ratio on the log scale: 0 = no difference
DIFFERENCE = "difference"  # a raw difference with a unit: 0 = no difference
STANDARDISED = "standardised"  # a difference in standard deviations (d, g, SMD) or of an unnamed type
PERCENT = "percent"  # a relative change printed as a percentage ("16% lower", "58% higher")
PROPORTION = "proportion"  # a share of a group ("40%"), not a comparison
GROUPS = "groups"  # the values of two groups side by side ("0.82% vs 0.47%")
STATISTIC = "statistic"  # a test statistic or a correlation, not an effect size
NO_VALUE = "no value"  # the checked copies give no number, only words
TEXT = "text"  # a fact printed as words ("whole skeleton every 10 years")

HIGHER, LOWER, NONE = "higher", "lower", "none"
SIGNED = (DIFFERENCE, STANDARDISED)


@dataclass(frozen=True)
class Measure:
    """How one kind of `effect_measure` reads in words."""

    pattern: str  # regular expression matching the whole effect_measure (case-sensitive)
    family: str
    name: str  # the measure in words, as a reader meets it: "hazard ratio"
    unit: str = ""  # for a raw difference: "g/cm²"
    noun: str = "risk"  # for a ratio: what it compares ("risk", "odds", "incidence")
    undefined: str = ""  # why the checked abstract leaves its unit or comparator undefined, if it does

    @property
    def defined(self) -> bool:
        return not self.undefined


# Every effect_measure of the verified rows of data/checked/context-studies.csv meets exactly one rule,
# the first that matches (tests/test_effectwords.py checks them all); a new measure needs a rule here.
MEASURES: tuple[Measure, ...] = (
    Measure(r"HR per g/cm2 higher BMD", RATIO, "hazard ratio per g/cm² higher bone density"),
    Measure(
        r"HR \(second scaling; unit cut off, probably per SD\)",
        RATIO,
        "hazard ratio on a second scale",
        undefined="the checked abstract cuts off the unit of this second scale",
    ),
    Measure(r"(pooled |adjusted )?HR( \(random effects\))?", RATIO, "hazard ratio"),
    Measure(r"HR \((?P<q>[^)]*)\)", RATIO, "hazard ratio, {q}"),
    Measure(r"HR, (?P<q>.*)", RATIO, "hazard ratio, {q}"),
    Measure(
        r"log RR \(as printed; do not exponentiate\)",
        LOG_RATIO,
        "risk ratio on the log scale, as printed",
        undefined="the checked row gives a log risk ratio 'as printed' and says not to convert it",
    ),
    Measure(r"(pooled )?RR( \(random effects\))?", RATIO, "risk ratio"),
    Measure(r"summary relative risk estimate \(SRRE\)", RATIO, "summary relative risk"),
    Measure(r"Peto OR", RATIO, "Peto odds ratio", noun="odds"),
    Measure(r"(pooled |adjusted )?OR", RATIO, "odds ratio", noun="odds"),
    Measure(r"SIR", RATIO, "standardised incidence ratio, against the general population", noun="incidence"),
    Measure(r"(mean difference|MD) g/cm2", DIFFERENCE, "mean difference", unit="g/cm²"),
    Measure(r"WMD g/cm2", DIFFERENCE, "weighted mean difference", unit="g/cm²"),
    Measure(
        r"MD",
        DIFFERENCE,
        "mean difference",
        unit="points",
        undefined="the checked row does not name the symptom scale, so the unit of this mean difference is unknown",
    ),
    Measure(
        r"difference in (mean annual|annualised) bone loss rate \(%\)",
        DIFFERENCE,
        "difference in yearly bone loss",
        unit="percentage points a year",
    ),
    Measure(
        r"pooled beta \(units not stated in the abstract\)",
        DIFFERENCE,
        "pooled regression coefficient",
        undefined="the checked abstract does not state the units of this regression coefficient",
    ),
    Measure(r"weighted mean effect size d", STANDARDISED, "standardised mean difference (weighted Cohen's d)"),
    Measure(r"SMD", STANDARDISED, "standardised mean difference"),
    Measure(r"Hedges' g( \(95% credible interval\))?", STANDARDISED, "standardised mean difference (Hedges' g)"),
    Measure(
        r"mean effect|pooled effect size",
        STANDARDISED,
        "effect size, of a type the abstract does not name",
        undefined="the checked abstract does not name the type of this effect size, so its unit is unknown",
    ),
    Measure(r"relative risk reduction.*", PERCENT, "relative risk reduction"),
    Measure(r"reduction in odds of relapse \(%\)", PERCENT, "reduction in the odds", noun="odds"),
    Measure(r"relative increase in risk, age-adjusted.*", PERCENT, "relative increase in risk, age-adjusted"),
    Measure(r"% difference, (?P<q>.*)", PERCENT, "percentage difference, {q}", noun=""),
    Measure(
        r"additional % BMD loss over 6 years per point",
        PERCENT,
        "additional bone loss over 6 years per point of the score",
        noun="",
    ),
    Measure(r"proportion", PROPORTION, "proportion"),
    Measure(r"proportion \(95% CI\)", PROPORTION, "proportion"),
    Measure(r"proportion \(bootstrapped 95% CI\)", PROPORTION, "proportion"),
    Measure(r"pooled incidence \(%\)", PROPORTION, "pooled incidence"),
    Measure(r"incidence/prevalence \(%\) as printed", PROPORTION, "incidence or prevalence, as printed"),
    Measure(r"% of news \(95% CI\)", GROUPS, "percentages of news stories"),
    Measure(r"mean \(SD\), (?P<q>.*)", GROUPS, "group means ± SD, {q}"),
    Measure(r"mean % loss per year", GROUPS, "mean yearly loss in each group"),
    Measure(
        r"mean ± SD change in T-score, (?P<q>[^(]*?) \(ANCOVA\)",
        GROUPS,
        "mean change ± SD in each group, {q}, compared by analysis of covariance",
    ),
    Measure(r"mean ± SD change in T-score, (?P<q>.*)", GROUPS, "mean change ± SD in each group, {q}"),
    Measure(r"t \((?P<q>[^)]*)\)", STATISTIC, "t statistic, {q}"),
    Measure(r"r", STATISTIC, "correlation coefficient"),
    Measure(r".*(not given|not visible).*", NO_VALUE, "pooled"),
    Measure(r"", NO_VALUE, "effect size"),
)

# The direction of a signed effect, from the first clause of `direction_in_words` (its own finding; later
# clauses add context). In order: words that say there is no clear difference, then phrases, then single
# words at their first place in the clause; a hyphenated word ("less-adjusted") is not a direction.
NO_DIFFERENCE = re.compile(
    r"\b(no significant|not significant|no clear|no difference|did not|(?<!includes )no effect|not associated|similar)\b",
    re.I,
)
DIRECTION_RULES: tuple[tuple[str, str], ...] = (
    (r"deficit", LOWER),
    (r"faster\b[\w\s]*\bloss|more\b[\w\s]*\bloss|greater loss", HIGHER),
    (r"reduc\w*|decline\w*|fell|decrease\w*", LOWER),
    (r"increase\w*|rose|gain\w*", HIGHER),
)
WORDS = ((r"higher|more|raised|elevated|larger|faster", HIGHER), (r"lower|less|fewer|smaller|slower", LOWER))
WEAK_NO_DIFFERENCE = re.compile(r"\b(reaches zero|crosses 1)\b", re.I)
# Words that say the effect was favourable, and which direction is favourable for an outcome.
FAVOURABLE = re.compile(r"\b(benefit|positive effect|better|improv\w*)\b", re.I)
GOOD_WHEN_HIGHER = re.compile(r"\b(BMD|bone density|T-score|response)\b", re.I)
GOOD_WHEN_LOWER = re.compile(r"\b(symptoms?|depression|anxiety|scores?|fractures?|relapse)\b", re.I)

NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")


class EffectWordsError(ValueError):
    """A checked row that the rules here cannot read; the message names the row and the fix."""


def _get(row: Any, name: str) -> str:
    value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def _where(row: Any) -> str:
    ident = _get(row, "context_id") or f"{_get(row, 'study_key')}, {_get(row, 'outcome')}"
    return f"context row '{ident}'"


def measure_of(row: Any) -> tuple[Measure, dict[str, str]]:
    """The rule for the row's effect measure, with the parts its pattern names."""
    text = _get(row, "effect_measure")
    for measure in MEASURES:
        match = re.fullmatch(measure.pattern, text)
        if match:
            return measure, {k: v for k, v in match.groupdict().items() if v}
    raise EffectWordsError(
        f"{_where(row)}: effect measure '{text}' has no rule in brainbone.effectwords.MEASURES; "
        "add one naming its family and how it reads in words"
    )


def measure_name(row: Any) -> str:
    measure, parts = measure_of(row)
    return measure.name.format(**parts)


def _first_clause(text: str) -> str:
    return re.split(r";", text, maxsplit=1)[0]


def words_direction(row: Any) -> str | None:
    """HIGHER, LOWER or NONE as the checked words state it for the outcome; None if they state none."""
    clause = _first_clause(_get(row, "direction_in_words"))
    if NO_DIFFERENCE.search(clause):
        return NONE
    phrases = []
    for pattern, direction in DIRECTION_RULES:
        match = re.search(rf"(?<![\w-])({pattern})(?![\w-])", clause, re.I)
        if match:
            phrases.append((match.start(), direction))
    if phrases:
        return min(phrases)[1]
    found = []
    for pattern, direction in WORDS:
        match = re.search(rf"(?<![\w-])({pattern})(?![\w-])", clause, re.I)
        if match:
            found.append((match.start(), direction))
    if found:
        return min(found)[1]
    if WEAK_NO_DIFFERENCE.search(clause):
        return NONE
    if FAVOURABLE.search(clause):
        outcome = _get(row, "outcome")
        if GOOD_WHEN_HIGHER.search(outcome):
            return HIGHER
        if GOOD_WHEN_LOWER.search(outcome):
            return LOWER
    return None


def _value(text: str) -> float | None:
    return float(text.rstrip("%")) if NUMBER.match(text) else None


def orientation(row: Any) -> int:
    """+1 when a positive value of a signed measure means higher (the usual way), -1 when the checked
    words say the study reports lower values as positive (Mercurio et al. 2022), 0 when the words
    state no difference. An error when the words give no direction."""
    direction = words_direction(row)
    estimate = _value(_get(row, "estimate"))
    if direction == NONE:
        return 0
    if direction is None or estimate is None or estimate == 0:
        raise EffectWordsError(
            f"{_where(row)}: direction_in_words '{_get(row, 'direction_in_words')}' states no direction the rules "
            "in brainbone.effectwords.DIRECTION_RULES know, and the sign of a difference is never read alone; "
            "add a rule for its wording"
        )
    sign = 1 if estimate > 0 else -1
    return sign if direction == HIGHER else -sign


def _magnitude(text: str) -> str:
    return text.lstrip("+-").rstrip("%")


def subject(row: Any, *, split_comparator: bool = False) -> str:
    """The outcome as the subject of a sentence: 'spine BMD' -> 'Spine bone density'; with
    `split_comparator`, 'depressive symptoms vs placebo' -> 'Depressive symptoms'."""
    outcome = re.sub(r"\bBMD\b", "bone density", _get(row, "outcome"))
    outcome = re.sub(r"\bHR\b", "hazard ratios", re.sub(r"\bRR\b", "risk ratios", outcome))
    if split_comparator and " vs " in outcome and "(" not in outcome:
        outcome = re.split(r"\s+vs\s+", outcome, maxsplit=1)[0]
    return outcome[:1].upper() + outcome[1:]


def _in_sentence(text: str) -> str:
    """An outcome after 'Risk of': lower-case unless it starts with a name ('Alzheimer disease')."""
    return text if re.match(r"^[A-Z][a-z]*[A-Z]|^[A-Z]{2}|^Alzheimer|^Ward", text) else text[:1].lower() + text[1:]


def comparator(row: Any) -> str:
    """'placebo' for an outcome 'depressive symptoms vs placebo', else ''."""
    outcome = _get(row, "outcome")
    if " vs " in outcome and "(" not in outcome:
        return re.split(r"\s+vs\s+", outcome, maxsplit=1)[1]
    return ""


def _is_plural(noun_phrase: str) -> bool:
    head = re.split(r"\s(?:in|of|over|at|with|within|after)\s", noun_phrase)[0]
    head = re.sub(r"\s*\(.*$", "", head).split(",")[0].split()[-1].lower()
    return head.endswith("s") and not head.endswith(("ss", "is", "us"))


def _with_value(name: str, estimate: str) -> str:
    """'hazard ratio, fully adjusted' and 1.80 -> 'hazard ratio 1.80, fully adjusted'."""
    for separator in (", ", " per ", " on "):
        if separator in name:
            base, rest = name.split(separator, 1)
            return f"{base} {estimate}{separator}{rest}"
    return f"{name} {estimate}"


def _verb_after(subject_text: str, verb: str) -> str:
    """A subject holding a comma clause takes a closing comma before its verb."""
    outside = re.sub(r"\([^)]*\)", "", subject_text)
    return f"{subject_text}, {verb}" if ", " in outside else f"{subject_text} {verb}"


def interval_label(row: Any) -> str:
    measure = _get(row, "effect_measure")
    if "credible" in measure:
        return "95% credible interval"
    if "bootstrapped" in measure:
        return "bootstrapped 95% CI"
    return "95% CI"


def has_interval(row: Any) -> bool:
    return bool(_get(row, "ci_low") and _get(row, "ci_high"))


def _p(row: Any) -> str:
    p = _get(row, "p_value")
    if not p:
        return ""
    if re.match(r"^[<>=]", p):
        return f"p {p[0]} {p[1:].strip()}" if p[1:2] != "=" else f"p {p}"
    return p if re.match(r"^[A-Za-z]", p) else f"p = {p}"


def _no_interval(row: Any) -> str:
    p = _p(row)
    return "no interval reported" + (f"; {p}" if p else "")


def _bound_words(text: str, sign_means: int, unit: str) -> tuple[str, str]:
    value = _value(text)
    if value == 0:
        return "no difference", ""
    direction = HIGHER if (value > 0) == (sign_means > 0) else LOWER
    return f"{_magnitude(text)}", direction


def _interval_words(row: Any, sign_means: int) -> str:
    """'95% CI 0.018 to 0.087 lower', or '0.02 lower to 0.07 higher' when it spans no difference."""
    low, high = _get(row, "ci_low"), _get(row, "ci_high")
    (a, da), (b, db) = _bound_words(low, sign_means, ""), _bound_words(high, sign_means, "")
    label = interval_label(row)
    if da == db and da:
        first, second = sorted([a, b], key=float)
        return f"{label} {first} to {second} {da}"
    ends = sorted([(a, da), (b, db)], key=lambda e: (e[1] != LOWER, e[1] != "", e[0]))
    return f"{label} " + " to ".join(f"{m} {d}".strip() for m, d in ends)


def _ratio_size(value: float) -> str:
    if value >= 2:
        return f"{value:g} times as high"
    change = round(abs(value - 1) * 100)
    return f"{change}% {HIGHER if value > 1 else LOWER}" if change else "no different"


def _ratio(row: Any, measure: Measure, name: str) -> str:
    noun = measure.noun
    outcome = subject(row)
    starts_with_noun = outcome.lower().startswith(f"{noun} ")
    subject_text = outcome if starts_with_noun else f"{noun.capitalize()} of {_in_sentence(outcome)}"
    verb = "were" if noun == "odds" else "was"
    estimate = _get(row, "estimate")
    lows, highs = _get(row, "ci_low"), _get(row, "ci_high")
    if " / " in estimate:  # several results in one row: each with its own interval
        intervals = [f"{lo} to {hi}" for lo, hi in zip(lows.split(" / "), highs.split(" / "), strict=False)]
        numbers = f"{name}s {' / '.join(estimate.split(' / '))}, 95% CIs {' / '.join(intervals)}"
        if words_direction(row) == NONE:
            return f"{_verb_after(subject_text, 'did not differ clearly')} ({numbers})"
        values = [float(v) for v in estimate.split(" / ")]
        side = HIGHER if all(v > 1 for v in values) else LOWER if all(v < 1 for v in values) else "mixed"
        return f"{_verb_after(subject_text, verb)} {side} ({numbers})"
    value = float(estimate)
    interval = f"{interval_label(row)} {lows} to {highs}" if has_interval(row) else _no_interval(row)
    if has_interval(row) and float(lows) <= 1 <= float(highs):
        interval += "; the interval includes no difference"
    if words_direction(row) == NONE:
        return f"{_verb_after(subject_text, 'did not differ clearly')} ({_with_value(name, estimate)}; {interval})"
    return f"{_verb_after(subject_text, verb)} {_ratio_size(value)} ({_with_value(name, estimate)}; {interval})"


def _signed(row: Any, measure: Measure, name: str) -> str:
    outcome, versus = subject(row, split_comparator=True), comparator(row)
    verb = "were" if _is_plural(outcome) else "was"
    estimate = _get(row, "estimate")
    sign_means = orientation(row)
    if sign_means == 0:
        interval = (
            f"{interval_label(row)} {_get(row, 'ci_low')} to {_get(row, 'ci_high')}"
            if has_interval(row)
            else _no_interval(row)
        )
        versus = f" compared with {versus}" if versus else ""
        return f"{_verb_after(outcome, 'did not differ clearly')}{versus} ({_with_value(name, estimate)}; {interval})"
    direction = HIGHER if (_value(estimate) > 0) == (sign_means > 0) else LOWER
    interval = _interval_words(row, sign_means) if has_interval(row) else _no_interval(row)
    reversed_note = f"; in this study a positive value means {LOWER}" if sign_means < 0 else ""
    if measure.family == STANDARDISED and measure.defined:
        size = f"{_magnitude(estimate)} standard deviations {direction}"
    elif measure.unit:
        size = f"{_magnitude(estimate)} {measure.unit} {direction}"
    else:
        size = f"{direction} by {_magnitude(estimate)}"
    versus = f" than with {versus}" if versus else ""
    return f"{_verb_after(outcome, verb)} {size}{versus} ({name}; {interval}{reversed_note})"


def _log_ratio(row: Any, name: str) -> str:
    outcome = subject(row)
    estimate = _get(row, "estimate")
    interval = (
        f"{interval_label(row)} {_get(row, 'ci_low')} to {_get(row, 'ci_high')}"
        if has_interval(row)
        else _no_interval(row)
    )
    direction = words_direction(row)
    if direction == NONE:
        return f"Risk of {_in_sentence(outcome)} did not differ clearly ({_with_value(name, estimate)}; {interval})"
    if direction is None:
        direction = HIGHER if _value(estimate) > 0 else LOWER
    return f"Risk of {_in_sentence(outcome)} was {direction} ({_with_value(name, estimate)}; {interval})"


def _percent(row: Any, measure: Measure, name: str) -> str:
    estimate = _get(row, "estimate")
    number = re.match(r"^[+-]?(\d+(\.\d+)?)%", estimate)
    if number is None:
        raise EffectWordsError(
            f"{_where(row)}: estimate '{estimate}' of a percentage measure does not start with a percentage"
        )
    text = f"{_get(row, 'effect_measure')} {estimate}".lower()
    if re.search(r"reduction|lower|fewer", text):
        direction = LOWER
    elif re.search(r"increase|higher|greater|more", text):
        direction = HIGHER
    else:
        raise EffectWordsError(f"{_where(row)}: percentage '{estimate}' names no direction in its measure or estimate")
    interval = (
        f"{interval_label(row)} {_get(row, 'ci_low')} to {_get(row, 'ci_high')}"
        if has_interval(row)
        else _no_interval(row)
    )
    outcome = subject(row)
    if measure.noun:
        verb = "were" if measure.noun == "odds" else "was"
        phrase = f"{measure.noun.capitalize()} of {_in_sentence(outcome)}"
        return f"{_verb_after(phrase, verb)} {number.group(1)}% {direction} ({name}; {interval})"
    qualifier = re.sub(r"^[+-]?\d+(\.\d+)?%\s*", "", estimate)
    amount = f"{number.group(1)}% {qualifier or direction}".strip()
    return f"{outcome}: {amount} ({name}; {interval})"


def _proportion(row: Any, name: str) -> str:
    interval = (
        f"{interval_label(row)} {_get(row, 'ci_low')} to {_get(row, 'ci_high')}"
        if has_interval(row)
        else _no_interval(row)
    )
    return f"{subject(row)}: {_get(row, 'estimate')} ({name}; {interval})"


def _groups(row: Any, name: str) -> str:
    estimate = _get(row, "estimate")
    if has_interval(row):
        lows, highs = _get(row, "ci_low").split(" / "), _get(row, "ci_high").split(" / ")
        interval = "95% CIs " + " and ".join(f"{lo} to {hi}" for lo, hi in zip(lows, highs, strict=False))
        p = _p(row)
        interval += f"; {p}" if p else ""
    else:
        interval = _no_interval(row)
    direction = words_direction(row)
    outcome = subject(row)
    if direction == NONE:
        lead = _verb_after(outcome, "did not differ clearly")
    elif direction:
        lead = f"{_verb_after(outcome, 'were' if _is_plural(outcome) else 'was')} {direction}"
    else:
        lead = outcome
    return f"{lead}: {estimate} ({name}; {interval})"


def _statistic(row: Any, name: str) -> str:
    p = _p(row)
    outcome = _get(row, "outcome")
    return f"{outcome[:1].upper()}{outcome[1:]}: {_with_value(name, _get(row, 'estimate'))} ({p + '; ' if p else ''}a test result, not an effect size)"


# data/GRADE.md rule 10: an observational row's checked words are shown with association verbs, never causal ones.
CAUSAL_WORDS = re.compile(r"\b(raised|raises|raise|increased the risk|protects|leads to|causes)\b", re.IGNORECASE)
ASSOCIATION_REWORDING = (
    (re.compile(r"\bslightly raised (\w+) risk"), r"went with a slightly higher \1 risk"),
    (re.compile(r"\bindependently raised (\w+) risk"), r"went independently with a higher \1 risk"),
    (re.compile(r"^Raised (\w+) risk"), r"The higher \1 risk"),
    (re.compile(r"\bdid raise (\w+)"), r"went with more \1"),
    (re.compile(r"\bmay raise the risk"), "may go with a higher risk"),
)
RANDOMISED = re.compile(r"RCT|randomi[sz]ed|trial", re.IGNORECASE)


def shown_direction(row: Any) -> str:
    """The row's checked direction_in_words, with causal verbs reworded as associations when the design is not a trial."""
    words = _get(row, "direction_in_words") or ""
    if RANDOMISED.search(_get(row, "design") or ""):
        return words
    for pattern, replacement in ASSOCIATION_REWORDING:
        words = pattern.sub(replacement, words)
    return words


def effect_in_words(row: Any) -> str:
    """The row's effect as one English sentence (without a final stop), its measure named in words,
    its interval as reported or 'no interval reported'."""
    measure, parts = measure_of(row)
    name = measure.name.format(**parts)
    estimate = _get(row, "estimate")
    if measure.family == NO_VALUE or not estimate:
        if estimate and measure.family == NO_VALUE:
            return f"{subject(row)}: {estimate}"
        words = shown_direction(row)
        what = f"no {name} value" if _get(row, "effect_measure") else "no effect size"
        return f"{subject(row)}: the checked copies give {what}; the study reports: {words}"
    if measure.family == RATIO:
        return _ratio(row, measure, name)
    if measure.family in SIGNED:
        return _signed(row, measure, name)
    if measure.family == LOG_RATIO:
        return _log_ratio(row, name)
    if measure.family == PERCENT:
        return _percent(row, measure, name)
    if measure.family == PROPORTION:
        return _proportion(row, name)
    if measure.family == GROUPS:
        return _groups(row, name)
    return _statistic(row, name)
