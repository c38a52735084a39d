"""The published appraisal instruments (DISCERN, JAMA benchmarks, HealthNewsReview.org criteria) and their scoring rules.

Pure code, no Sphinx. Items, scales and rules follow `data/checked/instruments.md` only; where that file marks
something *not verified* (DISCERN's summed-score bands, the JAMA benchmarks' exact wording), it is not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

DISCERN = "discern"
JAMA = "jama"
HNR = "hnr"
INSTRUMENTS = (DISCERN, JAMA, HNR)
INSTRUMENT_NAMES = {
    DISCERN: "DISCERN",
    JAMA: "JAMA benchmarks",
    HNR: "HealthNewsReview.org criteria",
}

# Ratings as written in data/source_ratings.csv.
DISCERN_SCALE = ("1", "2", "3", "4", "5")
NOT_APPLICABLE = "not_applicable"  # DISCERN: a question left out because it does not apply (stated in the row)
MET, NOT_MET = "met", "not_met"
JAMA_SCALE = (MET, NOT_MET)
SATISFACTORY, UNSATISFACTORY = "satisfactory", "unsatisfactory"
HNR_SCALE = (SATISFACTORY, UNSATISFACTORY, NOT_APPLICABLE)
SCALES = {DISCERN: (*DISCERN_SCALE, NOT_APPLICABLE), JAMA: JAMA_SCALE, HNR: HNR_SCALE}
SCALE_TEXT = {
    DISCERN: "1-5 (5 = definite yes, 1 = definite no, 2-4 partly); not_applicable only for q9-q15",
    JAMA: "met / not_met",
    HNR: "satisfactory / unsatisfactory / not_applicable",
}


@dataclass(frozen=True)
class Item:
    """One question or criterion of an instrument."""

    instrument: str
    item: str
    text: str
    section: str = ""


def _discern() -> tuple[Item, ...]:
    reliability, treatment, overall = (
        "Section 1: reliability",
        "Section 2: treatment choices",
        "Section 3: overall rating",
    )
    texts = [
        "Are its aims clear?",
        "Does it achieve those aims?",
        "Is it relevant (to its readers)?",
        "Is it clear which sources of information it was compiled from, beyond its author?",
        "Is it clear when that information was produced?",
        "Is it balanced and unbiased?",
        "Does it point to further sources of support and information?",
        "Does it refer to areas of uncertainty?",
        "Does it describe how each treatment works?",
        "Does it describe each treatment's benefits?",
        "Does it describe each treatment's risks?",
        "Does it describe what happens without treatment?",
        "Does it describe how treatment choices affect overall quality of life?",
        "Is it clear that there may be more than one possible treatment choice?",
        "Does it support shared decision-making?",
        "Overall rating of the publication as a source of information about treatment choices.",
    ]
    return tuple(
        Item(DISCERN, f"q{n}", text, reliability if n <= 8 else treatment if n <= 15 else overall)
        for n, text in enumerate(texts, start=1)
    )


ITEMS: tuple[Item, ...] = (
    *_discern(),
    Item(JAMA, "authorship", "Authors and contributors, with their affiliations and relevant credentials, are given."),
    Item(JAMA, "attribution", "References and sources for the content are listed clearly, with copyright information."),
    Item(
        JAMA,
        "disclosure",
        "Ownership of the site is disclosed prominently and fully, and so is any sponsorship, advertising, "
        "commercial funding or potential conflict of interest.",
    ),
    Item(JAMA, "currency", "The dates on which content was posted and updated are given."),
    Item(HNR, "c1", "Does it adequately discuss costs?"),
    Item(HNR, "c2", "Does it adequately quantify benefits?"),
    Item(HNR, "c3", "Does it adequately explain and quantify harms?"),
    Item(HNR, "c4", "Does it grasp the quality of the evidence?"),
    Item(HNR, "c5", "Does it avoid disease-mongering?"),
    Item(HNR, "c6", "Does it use independent sources and identify conflicts of interest?"),
    Item(HNR, "c7", "Does it compare the new approach with existing alternatives?"),
    Item(HNR, "c8", "Does it establish availability?"),
    Item(HNR, "c9", "Does it establish true novelty?"),
    Item(HNR, "c10", "Does it go beyond a news release (not rely solely or largely on one)?"),
)
ITEM_KEYS = tuple((i.instrument, i.item) for i in ITEMS)
DISCERN_TREATMENT_ITEMS = tuple(f"q{n}" for n in range(9, 16))
# A short label for each item, for figures and scorecards.
SHORT_LABELS = {
    (DISCERN, "q1"): "aims clear",
    (DISCERN, "q2"): "aims achieved",
    (DISCERN, "q3"): "relevant",
    (DISCERN, "q4"): "sources clear",
    (DISCERN, "q5"): "dates clear",
    (DISCERN, "q6"): "balanced",
    (DISCERN, "q7"): "further sources",
    (DISCERN, "q8"): "uncertainty",
    (DISCERN, "q9"): "how it works",
    (DISCERN, "q10"): "benefits",
    (DISCERN, "q11"): "risks",
    (DISCERN, "q12"): "no treatment",
    (DISCERN, "q13"): "quality of life",
    (DISCERN, "q14"): "other choices",
    (DISCERN, "q15"): "shared decisions",
    (DISCERN, "q16"): "overall",
    (JAMA, "authorship"): "authorship",
    (JAMA, "attribution"): "attribution",
    (JAMA, "disclosure"): "disclosure",
    (JAMA, "currency"): "currency",
    (HNR, "c1"): "costs",
    (HNR, "c2"): "benefits quantified",
    (HNR, "c3"): "harms",
    (HNR, "c4"): "evidence quality",
    (HNR, "c5"): "no disease-mongering",
    (HNR, "c6"): "independent sources",
    (HNR, "c7"): "alternatives",
    (HNR, "c8"): "availability",
    (HNR, "c9"): "novelty",
    (HNR, "c10"): "beyond a release",
}


# ---------------------------------------------------------------------------------------------------------------
# Hard anchors (data/RATING.md): where the published definition leaves no choice and the stored text decides it.

# A date in a page's text: a year from 1900 to 2099, or a month's name before a year ("Jun 2026", "PublishedJun 2026").
DATE = re.compile(
    r"(?<!\d)(19|20)\d{2}(?!\d)|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d{4}", re.IGNORECASE
)
# A page that shows it rests on a news release names one.
NEWS_RELEASE = re.compile(r"\b(news|press|media)[ -]release\b", re.IGNORECASE)


def hard_anchor_problem(text: str, instrument: str, item_id: str, rating: str) -> str | None:
    """Why `rating` breaks a hard anchor of data/RATING.md for a page whose stored text is `text`, or None."""
    if (instrument, item_id) == (DISCERN, "q5") and rating in DISCERN_SCALE and rating != "1" and not DATE.search(text):
        return (
            f"rated {rating}, but the stored page dates neither itself nor any source (no year or month and year "
            "anywhere in it); DISCERN's 1 is 'not met at all', so by data/RATING.md's hard anchor it cannot score "
            "above 1: rate 1"
        )
    if (instrument, item_id) == (HNR, "c10") and rating != NOT_APPLICABLE and not NEWS_RELEASE.search(text):
        return (
            f"rated {rating}, but the stored page names no news release, so it is not shown to rest on one and "
            "criterion 10 cannot apply (data/RATING.md): rate not_applicable"
        )
    return None


def item(instrument: str, item_id: str) -> Item:
    for candidate in ITEMS:
        if (candidate.instrument, candidate.item) == (instrument, item_id):
            return candidate
    raise KeyError(f"no item '{item_id}' in instrument '{instrument}'")


class ScoringError(ValueError):
    """A set of ratings that an instrument's rule cannot score; the message says what is wrong."""


# How a scoring error names each instrument and the items it needs.
_ERROR_NAMES = {DISCERN: "DISCERN", JAMA: "JAMA", HNR: "HealthNewsReview.org"}
_NEEDS = {DISCERN: "q1-q16", JAMA: "authorship, attribution, disclosure and currency", HNR: "c1-c10"}


def item_ids(instrument: str) -> list[str]:
    """The instrument's items, in order: q1-q16, the four JAMA benchmarks, c1-c10."""
    return [i.item for i in ITEMS if i.instrument == instrument]


def _rated_items(instrument: str, ratings: Mapping[str, object]) -> list[str]:
    """The instrument's items, once `ratings` rates exactly those; on the scale too, except DISCERN's
    (whose not_applicable depends on the question: `_discern_value`)."""
    name, expected = _ERROR_NAMES[instrument], item_ids(instrument)
    missing = [i for i in expected if i not in ratings]
    extra = sorted(set(ratings) - set(expected))
    if missing or extra:
        raise ScoringError(
            f"{name} needs exactly {_NEEDS[instrument]}"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(extra)}" if extra else "")
        )
    if instrument != DISCERN:
        scale = SCALES[instrument]
        words = f"{', '.join(scale[:-1])} or {scale[-1]}"
        for key in expected:
            if ratings[key] not in scale:
                raise ScoringError(f"{name} {key}: '{ratings[key]}' is not a rating; expected {words}")
    return expected


# ---------------------------------------------------------------------------------------------------------------
# DISCERN: question 16 is the overall rating, a judgment informed by 1-15, not their sum.


@dataclass(frozen=True)
class DiscernSummary:
    overall: int
    reliability: tuple[int, ...]  # questions 1-8, in order
    treatment: tuple[int | None, ...]  # questions 9-15, None where not applicable
    not_applicable: tuple[str, ...]

    @property
    def rated(self) -> int:
        return len(self.reliability) + sum(r is not None for r in self.treatment)


def _discern_value(question: str, value: object) -> int | None:
    if value == NOT_APPLICABLE:
        if question not in DISCERN_TREATMENT_ITEMS:
            raise ScoringError(
                f"DISCERN {question}: not_applicable is allowed only for the treatment questions q9-q15; rate it 1-5"
            )
        return None
    text = str(value)
    if text not in DISCERN_SCALE:
        raise ScoringError(f"DISCERN {question}: '{value}' is not a rating; expected 1, 2, 3, 4 or 5")
    return int(text)


def discern_summary(ratings: Mapping[str, object]) -> DiscernSummary:
    """DISCERN for one page from its sixteen ratings ({'q1': 4, ..., 'q16': 2}); every question must be rated,
    q9-q15 may be 'not_applicable'. The overall rating is question 16 as rated, never computed from the others."""
    values = {q: _discern_value(q, ratings[q]) for q in _rated_items(DISCERN, ratings)}
    overall = values["q16"]
    assert overall is not None  # q16 is not a treatment question, so _discern_value refused not_applicable
    return DiscernSummary(
        overall=overall,
        reliability=tuple(values[f"q{n}"] for n in range(1, 9)),  # type: ignore[misc]
        treatment=tuple(values[q] for q in DISCERN_TREATMENT_ITEMS),
        not_applicable=tuple(q for q in DISCERN_TREATMENT_ITEMS if values[q] is None),
    )


# ---------------------------------------------------------------------------------------------------------------
# JAMA: four standards, each met or not; studies count the standards met, 0 to 4.


def jama_count(ratings: Mapping[str, object]) -> int:
    """How many of the four JAMA benchmarks a page meets ({'authorship': 'met', ...})."""
    return sum(ratings[b] == MET for b in _rated_items(JAMA, ratings))


# ---------------------------------------------------------------------------------------------------------------
# HealthNewsReview.org: a star score only with at most two criteria not applicable; the share of applicable
# criteria rated satisfactory, 0 % = 0 stars, 1-20 % = 1, 21-40 % = 2, 41-60 % = 3, 61-80 % = 4, 81-100 % = 5.

HNR_MAX_NOT_APPLICABLE = 2
_STAR_UPPER_BOUNDS = ((0, 0), (20, 1), (40, 2), (60, 3), (80, 4), (100, 5))


@dataclass(frozen=True)
class HnrScore:
    satisfactory: int
    applicable: int
    not_applicable: int
    stars: int | None  # None: more than two criteria not applicable, so no total is given

    @property
    def share(self) -> float | None:
        return self.satisfactory / self.applicable if self.applicable else None


def stars_for_share(share: Fraction) -> int:
    """Stars for the share of applicable criteria rated satisfactory, as an exact fraction: 0 % is 0 stars,
    above 0 up to 20 % is 1, above 20 up to 40 % is 2, and so on up to 5 stars for above 80 up to 100 %."""
    if not 0 <= share <= 1:
        raise ScoringError(f"a share of criteria must lie between 0 and 1, got {share}")
    for upper, stars in _STAR_UPPER_BOUNDS:
        if share * 100 <= upper:
            return stars
    raise AssertionError("unreachable: 100 % is the last bound")


def hnr_score(ratings: Mapping[str, object]) -> HnrScore:
    """HealthNewsReview.org's score for one page from its ten criteria ({'c1': 'satisfactory', ...})."""
    expected = _rated_items(HNR, ratings)
    satisfactory = sum(ratings[c] == SATISFACTORY for c in expected)
    not_applicable = sum(ratings[c] == NOT_APPLICABLE for c in expected)
    applicable = len(expected) - not_applicable
    stars = None
    if not_applicable <= HNR_MAX_NOT_APPLICABLE:
        stars = stars_for_share(Fraction(satisfactory, applicable))
    return HnrScore(satisfactory, applicable, not_applicable, stars)


# ---------------------------------------------------------------------------------------------------------------
# All three for every seed, from the rows of data/source_ratings.csv.


@dataclass(frozen=True)
class SeedScores:
    seed_id: str
    discern: DiscernSummary
    jama: int
    hnr: HnrScore


def _ratings_of(rows: Iterable[Mapping[str, object]], seed_id: str, instrument: str) -> dict[str, object]:
    return {r["item"]: r["rating"] for r in rows if r["seed_id"] == seed_id and r["instrument"] == instrument}


def seed_scores(rows: Iterable[Mapping[str, object]], seed_id: str) -> SeedScores:
    """The three instruments' results for one seed from rating rows (dicts with seed_id, instrument, item, rating)."""
    rows = list(rows)
    return SeedScores(
        seed_id,
        discern_summary(_ratings_of(rows, seed_id, DISCERN)),
        jama_count(_ratings_of(rows, seed_id, JAMA)),
        hnr_score(_ratings_of(rows, seed_id, HNR)),
    )


def totals_table(scores: Mapping[str, SeedScores], outlets: Mapping[str, str]) -> pd.DataFrame:
    """One row per seed: DISCERN's overall rating, the JAMA count and HealthNewsReview.org's stars, as shown in the book."""
    rows = []
    for seed_id, score in scores.items():
        hnr = score.hnr
        rows.append(
            {
                "Page": outlets.get(seed_id, seed_id),
                "DISCERN overall rating (q16, 1–5)": score.discern.overall,
                "JAMA benchmarks met (of 4)": score.jama,
                "HealthNewsReview.org stars (of 5)": "no score (more than 2 not applicable)"
                if hnr.stars is None
                else hnr.stars,
                "Applicable criteria satisfactory": f"{hnr.satisfactory} of {hnr.applicable}",
            }
        )
    return pd.DataFrame(rows)


# How each scorecard states the book's adaptations of the instruments (data/RATING.md, "Adaptations").
ADAPTATION_STORED_TEXT = (
    "Rated from the stored text of the page: links, bylines, dates or footers the live page may have had do not count."
)
ADAPTATION_TREATMENTS = (
    "DISCERN was made for information on treatment choices: its questions 9 to 15, and HealthNewsReview.org's "
    "criteria on costs, benefits, harms, alternatives and availability, are rated on every treatment the page names "
    "or recommends, lifestyle measures included."
)
ADAPTATION_NEWS = (
    "HealthNewsReview.org's criteria were written for news stories about a treatment; they are applied to this page "
    "as a story about the treatments it presents or, where it presents none, about the research it reports."
)


def adaptations(rows: Iterable[Mapping[str, object]], seed_id: str) -> list[str]:
    """The adaptations of the instruments that apply to one seed's ratings, in words, for its scorecard: the three
    that apply to every page, then each item rated not applicable, with the reason its row gives."""
    lines = [ADAPTATION_STORED_TEXT, ADAPTATION_TREATMENTS, ADAPTATION_NEWS]
    for row in rows:
        if row["seed_id"] != seed_id or row["rating"] != NOT_APPLICABLE:
            continue
        key = (str(row["instrument"]), str(row["item"]))
        number = key[1].lstrip("qc")
        kind = "question" if key[0] == DISCERN else "criterion"
        reason = str(row["justification"]).rstrip(".")
        lines.append(
            f"Not applicable: {_ERROR_NAMES[key[0]]} {kind} {number} ({SHORT_LABELS[key]}), because {reason[:1].lower()}{reason[1:]}."
        )
    return lines


def blank_sheet(seeds: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """One row per (seed_id, seed_file) × item, rating and justification left blank: a second rater's sheet."""
    return [
        {
            "seed_id": seed_id,
            "seed_file": seed_file,
            "instrument": i.instrument,
            "item": i.item,
            "item_text": i.text,
            "scale": SCALE_TEXT[i.instrument],
            "rating": "",
            "justification": "",
        }
        for seed_id, seed_file in seeds
        for i in ITEMS
    ]
