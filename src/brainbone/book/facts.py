"""The numbers and phrases each chapter's prose glues, one function per chapter.

Each function takes the ledger and returns {glue key: value}; the chapter glues them all in one
loop, so every key is written here, where it can be searched for, and tested
(tests/test_facts.py checks that each key a chapter's prose uses is one its function returns).
The study keys, seed ids and effect ids below name what a chapter discusses in its prose.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from brainbone import layout, words
from brainbone.appraisal import ratings
from brainbone.book import counts, coverage, outlets, review, selections, tables
from brainbone.ledger import vocabulary as vocab
from brainbone.ledger.loader import Ledger

if TYPE_CHECKING:
    import pandas as pd

Facts = dict[str, object]


def intro(ledger: Ledger) -> Facts:
    claims = ledger.claims
    vocabulary = ledger.vocabulary
    grades = tables.counts(ledger, "appraisal")
    facts: Facts = {
        "intro_n_seeds": counts.count(ledger, "seeds"),
        "intro_pages": words.pages(len(ledger.sources)),
        "intro_n_grades_words": words.count_word(len(vocabulary.values("appraisal"))),
        "intro_n_claims": counts.count(ledger, "claims"),
        "intro_n_verified": counts.count(ledger, "verified"),
        "intro_share_verified": f"{claims.verified.mean():.0%}",
    }
    for grade in vocabulary.values("appraisal"):
        facts[f"intro_n_{grade}"] = grades.get(grade, 0)
    facts["intro_n_commercial"] = counts.count(ledger, "commercial")
    facts["intro_n_reader"] = counts.count(ledger, "reader_comments")
    facts["intro_n_references"] = counts.count(ledger, "references")
    # The example quote in the introduction: its badges, read from the ledger so that the prose cannot drift.
    example = ledger.claim("saveourbones-depression-028")
    facts["intro_example_outlet"] = example.outlet
    facts["intro_example_speaker"] = vocabulary.label(example.speaker, "speaker")
    facts["intro_example_evidence"] = vocabulary.label(example.evidence_type, "evidence_type")
    facts["intro_example_appraisal"] = vocabulary.label(example.appraisal, "appraisal")
    facts.update(research_facts(ledger, "intro_"))
    return facts


def research_facts(ledger: Ledger, prefix: str) -> Facts:
    """The summary of findings of the wider research (brainbone.book.research), keyed for one chapter's glue."""
    from brainbone.book import research

    return {f"{prefix}{key}": value for key, value in research.facts(ledger).items()}


def methods(ledger: Ledger) -> Facts:
    return {
        "methods_n_seeds": counts.count(ledger, "seeds"),
        "methods_pages": words.pages(len(ledger.sources)),
        "methods_n_grades_words": words.count_word(len(ledger.vocabulary.values("appraisal"))),
        "methods_n_claims": counts.count(ledger, "claims"),
        "methods_n_verified": counts.count(ledger, "verified"),
        "methods_n_effects": counts.count(ledger, "effects"),
        # Studies the seeds rely on: the keys claims cite, not the instruments' or context papers in references.bib.
        "methods_n_references": counts.count(ledger, "references"),
        **_coding_agreement(ledger),
        **_context_scope(ledger),
        **_research(ledger),
    }


def _research(ledger: Ledger) -> Facts:
    """Methods: how the wider research was gathered (the frozen search log) and the blind GRADE comparison."""
    from brainbone.book import searchlog

    facts: Facts = dict(searchlog.facts(ledger.root))
    facts.update(research_facts(ledger, "methods_"))
    return facts


# Reconciliation reasons that cite the passage and tie rules clarified after the manual was sent.
CLARIFIED_TIE_RULES = ("Clarified rule: a news report's", "Clarified rule: a headline")


def _alpha(result) -> str:
    return f"{result.alpha:.2f}" if result.alpha is not None else "not defined"


def _coding_agreement(ledger: Ledger) -> Facts:
    """Methods, "How reproducible the grades are": the blind second coding, its reconciliation, and round 2."""
    from brainbone.appraisal import coding_agreement  # krippendorff: only Methods needs it

    codings = coding_agreement.load(ledger)
    results = {r.field: r for r in coding_agreement.agreement(codings.first, codings.second)}
    facts: Facts = {}
    for field, result in results.items():
        facts[f"methods_alpha_{field}"] = _alpha(result)
        facts[f"methods_raw_{field}"] = f"{result.raw:.0%}"
    short = [field for field, result in results.items() if not result.meets_target]
    facts["methods_fields_short"] = ", ".join(short) if short else "none"
    reconciliation = codings.reconciliation
    appraisal_rows = reconciliation[reconciliation.field == "appraisal"]
    facts["methods_n_appraisal_disagreements"] = len(appraisal_rows)
    facts["methods_n_appraisal_tie"] = int(appraisal_rows.reason.str.startswith(CLARIFIED_TIE_RULES).sum())
    facts["methods_n_fields_met"] = sum(result.meets_target for result in results.values())
    facts["methods_n_fields"] = len(results)
    facts["methods_target_appraisal"] = f"{coding_agreement.TARGET_APPRAISAL:.2f}"
    facts["methods_target_other"] = f"{coding_agreement.TARGET_OTHER:.2f}"
    facts["methods_n_disagreements"] = len(reconciliation)
    facts["methods_n_to_second"] = int((reconciliation.final_value == reconciliation.second_value).sum())
    regraded = ledger.tables.get("regrades")
    facts["methods_n_regraded"] = 0 if regraded is None else len(regraded)
    facts["methods_discern_kappa"] = f"{coding_agreement.DISCERN_OVERALL_KAPPA_EXPERTS:.2f}"
    facts["methods_appraisal_short"] = "met" if results["appraisal"].meets_target else "fell short of"
    round2 = {r.field: r for r in coding_agreement.round2_agreement(ledger)}
    for field, result in round2.items():
        facts[f"methods_round2_alpha_{field}"] = _alpha(result)
        facts[f"methods_round2_raw_{field}"] = f"{result.raw:.0%}"
    facts["methods_coding_coverage"] = coding_agreement.coverage_sentence(ledger)
    # How far the first blind coding reaches: a claim or a seed added since it was done is not yet second-coded.
    coded = ledger.claims.loc[codings.second.index]
    facts["methods_n_second_coded"] = len(coded)
    facts["methods_n_seeds_second_coded"] = words.count_word(coded.seed_id.nunique())
    facts["methods_round2_n"] = round2["appraisal"].claims
    facts["methods_round2_n_fields_met"] = sum(result.meets_target for result in round2.values())
    facts["methods_round2_appraisal_short"] = "met" if round2["appraisal"].meets_target else "fell short of"
    facts["methods_round2_n_appraisal_disagreements"] = round2["appraisal"].claims - round2["appraisal"].agreed
    reference = coding_agreement.reference_agreement(ledger)
    facts["methods_reference_n"] = reference.claims
    facts["methods_reference_n_agreed"] = reference.agreed
    facts["methods_reference_alpha"] = _alpha(reference)
    facts["methods_reference_short"] = "meets" if reference.meets_target else "falls short of"
    return facts


def _context_scope(ledger: Ledger) -> Facts:
    """Methods, "scope of the context layer": what the checked context file holds and links."""
    from brainbone.appraisal import context as contextlayer

    context = contextlayer.book_context(ledger)
    return {
        "methods_context_rows": len(context.effects),
        "methods_context_studies": context.effects.study_key.nunique(),
        "methods_context_questions": context.effects.question.nunique(),
        "methods_context_links": len(context.links),
    }


# The seeds the Sources chapter reviews in a section of its own; a seed added since is named, with what it lacks.
SOURCES_SECTIONS = (
    "nativepath",
    "sciencealert",
    "saveourbones-depression",
    "osteoimmune-ai-summary",
    "saveourbones-stress",
)


def seeds_added_since(ledger: Ledger, reviewed: tuple[str, ...] = SOURCES_SECTIONS) -> str:
    """One sentence a seed the chapter's prose does not review yet, saying plainly what it lacks; or that none is."""
    from brainbone.ledger import status

    sentences = []
    for seed_id in (s for s in ledger.sources.seed_id if s not in reviewed):
        state = status.seed_status(ledger, seed_id, read_drafts=False)
        lacks = [status.NOT_YET_RATED] if not state.rated_items else []
        if state.second_coded < state.claims:
            lacks.append(
                status.NOT_YET_SECOND_CODED
                if not state.second_coded
                else f"second-coded for {state.second_coded} of its {state.claims} claims only"
            )
        source = ledger.sources.loc[seed_id]
        sentences.append(
            f"{source.outlet}'s page “{source.title}” was added after this chapter was written: its "
            f"{words.count_word(state.claims)} claim{' is' if state.claims == 1 else 's are'} in the tables and figures "
            "below and on its seed page, but it has no section of its own yet"
            + (f", and it is {' and '.join(lacks)}." if lacks else ".")
        )
    return " ".join(sentences) or "Each page has a section of its own below."


def sources(ledger: Ledger) -> Facts:
    claims = ledger.claims
    seeds = ledger.sources
    seed_coverage = coverage.coverage(ledger).set_index("seed_id")
    facts: Facts = {
        "sources_n_seeds": counts.count(ledger, "seeds"),
        "sources_added_since": seeds_added_since(ledger),
        "sources_n_seeds_words": words.count_word(len(seeds)),
        "sources_n_claims": counts.count(ledger, "claims"),
        "sources_article_share": f"{(claims.speaker == 'article').mean():.0%}",
    }
    grades_in_order = list(ledger.vocabulary.values("appraisal"))
    for seed_id in seeds.seed_id:
        key = "sources_" + seed_id.replace("-", "_")
        mine = claims[claims.seed_id == seed_id]
        grades = mine.appraisal.value_counts(normalize=True).reindex(grades_in_order, fill_value=0.0)
        facts[f"{key}_claims"] = len(mine)
        for grade in grades_in_order:
            facts[f"{key}_{grade}"] = f"{grades[grade]:.0%}"
        facts[f"{key}_identified"] = int(mine.primary_source.notna().sum())
        facts[f"{key}_none_stated"] = f"{(mine.evidence_type == 'none_stated').mean():.0%}"
        facts[f"{key}_commercial"] = int(mine.commercial_context.sum())
        facts[f"{key}_comments"] = int(mine.speaker.isin(vocab.COMMENT_THREAD_SPEAKERS).sum())
        facts[f"{key}_products"] = seeds.at[seed_id, "products_promoted"] or "nothing"
        facts[f"{key}_coverage"] = f"{seed_coverage.at[seed_id, 'covered_share']:.0%}"
        facts[f"{key}_coverage_without_comments"] = f"{seed_coverage.at[seed_id, 'covered_share_without_comments']:.0%}"

    # NativePath's numbered references, "(1)" or "(7, 8)", as the stored text prints them.
    text = ledger.seed_texts["nativepath"].text
    references = {int(n) for group in re.findall(r"\((\d+(?:, \d+)*)\)", text) for n in group.split(", ")}
    facts["sources_nativepath_n_refs"] = len(references)

    depression = claims[claims.seed_id == "saveourbones-depression"]
    facts["sources_depression_yirmiya"] = int((depression.primary_source == "yirmiya2006").sum())
    facts["sources_depression_bajayo"] = int((depression.primary_source == "bajayo2012").sum())
    stress = claims[claims.seed_id == "saveourbones-stress"]
    facts["sources_stress_follis"] = int((stress.primary_source == WHI_STUDY).sum())
    facts["sources_stress_kelly"] = int((stress.primary_source == "kelly2019").sum())
    facts["sources_stress_effects"] = int((ledger.effects.primary_source == WHI_STUDY).sum())
    facts.update(_exaggeration(ledger))
    facts.update(_instruments(ledger))
    facts.update(outlets.statements(ledger))  # every sentence about an outlet comes from data/outlet_facts.csv
    return facts


def _exaggeration(ledger: Ledger) -> Facts:
    """Sources, "Three kinds of exaggeration" (brainbone.appraisal.exaggeration, after Sumner et al. 2014)."""
    from brainbone.appraisal import exaggeration

    exaggerated = exaggeration.per_seed(ledger).set_index("seed_id")
    facts: Facts = {"sources_n_exaggerated": int(exaggerated["any"].sum())}
    for kind in exaggeration.TYPES:
        facts[f"sources_n_{kind}_exaggerated"] = int(exaggerated[kind].sum())
        facts[f"sources_pages_{kind}_exaggerated"] = int((exaggerated[kind] > 0).sum())
    facts["sources_species_depression"] = int(exaggerated.at["saveourbones-depression", "species"])
    facts["sources_sumner_press_releases"] = exaggeration.SUMNER_2014_SAMPLE["press_releases"]
    facts["sources_sumner_universities"] = exaggeration.SUMNER_2014_SAMPLE["universities"]
    return facts


def _instruments(ledger: Ledger) -> Facts:
    """Sources, the instruments' ratings (DISCERN, JAMA, HealthNewsReview.org) and their blind second rating."""
    from brainbone.appraisal import agreement
    from brainbone.appraisal import ratings as ratings_module

    ratings = ratings_module.load_ratings(ledger).require_valid()
    scores = [ratings.scores(seed_id) for seed_id in ratings.rated_seeds(ledger.sources.seed_id)]
    frame = ratings.frame
    facts: Facts = {
        "sources_instruments_best_discern": max(s.discern.overall for s in scores),
        "sources_instruments_best_jama": max(s.jama for s in scores),
        "sources_instruments_best_stars": max(s.hnr.stars for s in scores if s.hnr.stars is not None),
        "sources_instruments_no_stars": sum(s.hnr.stars is None for s in scores),
        "sources_instruments_n_rows": len(frame),
        "sources_instruments_n_rated": words.count_word(len(scores)),
        "sources_instruments_n_absence": int((frame.claim_id.isna() & frame.evidence.isna()).sum()),
        "sources_instruments_n_claim": int(frame.claim_id.notna().sum()),
        "sources_instruments_n_evidence": int(frame.evidence.notna().sum()),
        "sources_instruments_n_discern_one": sum(s.discern.overall == 1 for s in scores),
        "sources_instruments_max_na": max(s.hnr.not_applicable for s in scores),
    }
    second = agreement.load_second(ledger, ratings)
    if second.issues:
        raise ValueError("\n".join(str(issue) for issue in second.issues))
    results = {result.scope: result for result in agreement.agreement(ratings, second)}
    discern_all = results["DISCERN"]
    overall = results["DISCERN question 16 (overall rating)"]
    hnr_all = results["HealthNewsReview.org criteria"]
    jama_all = results["JAMA benchmarks"]
    facts["sources_agreement_discern_raw"] = f"{discern_all.raw:.0%}"
    facts["sources_agreement_discern_agreed"] = discern_all.agreed
    facts["sources_agreement_discern_items"] = discern_all.items
    facts["sources_agreement_discern_alpha"] = f"{discern_all.alpha:.2f}"
    facts["sources_agreement_discern_within_one"] = f"{discern_all.within_one / discern_all.items:.0%}"
    facts["sources_agreement_discern_kappa"] = f"{discern_all.kappa:.2f}"
    facts["sources_agreement_discern_kappa_quadratic"] = f"{discern_all.kappa_quadratic:.2f}"
    facts["sources_agreement_kappa_weights"] = agreement.KAPPA_WEIGHTS
    facts["sources_agreement_kappa_target"] = f"{agreement.TARGET_DISCERN_KAPPA:.2f}"
    facts["sources_agreement_kappa_verdict"] = (
        "meets" if discern_all.kappa >= agreement.TARGET_DISCERN_KAPPA else "falls short of"
    )
    facts["sources_agreement_identical_target"] = f"{agreement.TARGET_IDENTICAL:.0%}"
    facts["sources_agreement_hnr_raw"] = f"{hnr_all.raw:.0%}"
    facts["sources_agreement_hnr_agreed"] = hnr_all.agreed
    facts["sources_agreement_hnr_items"] = hnr_all.items
    facts["sources_agreement_hnr_alpha"] = f"{hnr_all.alpha:.2f}"
    facts["sources_agreement_overall_agreed"] = overall.agreed
    facts["sources_agreement_overall_items"] = overall.items
    facts["sources_agreement_jama_raw"] = f"{jama_all.raw:.0%}"
    facts["sources_agreement_jama_agreed"] = jama_all.agreed
    facts["sources_agreement_jama_items"] = jama_all.items
    facts["sources_agreement_n_disagreements"] = sum(r.items - r.agreed for r in (discern_all, jama_all, hnr_all))
    higher, lower = agreement.discern_direction(ratings, second)
    facts["sources_agreement_book_higher"] = higher
    facts["sources_agreement_book_lower"] = lower
    for group, kappa in agreement.DISCERN_PUBLISHED_KAPPA.items():
        facts[f"sources_discern_kappa_{group.split()[0].replace('-', '_')}"] = f"{kappa:.2f}"
    return facts


def _section_summaries(prefix: str, section_claims, ledger: Ledger) -> Facts:
    """`<prefix>_all_<field>` for the whole section and `<prefix>_<topic>_<field>` for each topic
    (review.summarise), the number of topics, and the number of seeds in the ledger."""
    facts: Facts = {f"{prefix}_all_{field}": value for field, value in review.summarise(section_claims).items()}
    for topic in section_claims.topic.unique():
        for field, value in review.summarise(section_claims[section_claims.topic == topic]).items():
            facts[f"{prefix}_{topic}_{field}"] = value
    facts[f"{prefix}_n_topics"] = section_claims.topic.nunique()
    facts[f"{prefix}_n_seeds_total"] = len(ledger.sources)
    return facts


def _explorer_link(ledger: Ledger, chapter: str, words: str, **filters: str):
    """The chapter's link to the explorer, filtered to its claims, with their number in its words."""
    return tables.explorer_link(ledger, words, from_docname=f"{layout.CHAPTERS_DIR}/{chapter}", **filters)


def _grades(claims, ledger: Ledger) -> str:
    return review.tally_phrase(claims.appraisal, ledger.vocabulary.values("appraisal"))


def mechanisms(ledger: Ledger) -> Facts:
    claims = ledger.claims
    chosen = claims[claims.section == "mechanism"]
    facts = _section_summaries("mechanisms", chosen, ledger)
    facts["mechanisms_n_human"] = int(selections.in_people(chosen, ledger).sum())
    facts["mechanisms_n_none_stated"] = int((chosen.evidence_type == "none_stated").sum())
    facts["mechanisms_n_reviews"] = int(chosen.evidence_type.isin(selections.review_evidence(ledger)).sum())
    animal = chosen[chosen.evidence_type == "animal_experiment"]
    facts["mechanisms_n_animal"] = len(animal)
    facts["mechanisms_animal_appraisal"] = _grades(animal, ledger)

    mouse = selections.citing(ledger, "yirmiya2006", "bajayo2012")
    facts["mechanisms_mouse_n"] = len(mouse)
    facts["mechanisms_mouse_n_yirmiya"] = int((mouse.primary_source == "yirmiya2006").sum())
    facts["mechanisms_mouse_n_bajayo"] = int((mouse.primary_source == "bajayo2012").sum())
    facts["mechanisms_mouse_appraisal"] = _grades(mouse, ledger)
    for key, source in (("kelly", "kelly2019"), ("li", "li2026")):
        subset = chosen[chosen.primary_source == source]
        facts[f"mechanisms_{key}_n"] = len(subset)
        facts[f"mechanisms_{key}_appraisal"] = _grades(subset, ledger)

    ai_summary = claims[claims.seed_id == "osteoimmune-ai-summary"]
    facts["mechanisms_ai_n"] = len(ai_summary)
    facts["mechanisms_ai_appraisal"] = _grades(ai_summary, ledger)
    facts["mechanisms_explorer_link"] = _explorer_link(ledger, "mechanisms", "mechanism claims", section="mechanism")
    return facts


WHI_STUDY = selections.WHI_STUDY
WHI_SITES = selections.WHI_SITES


def associations(ledger: Ledger) -> Facts:
    claims = ledger.claims
    vocabulary = ledger.vocabulary
    chosen = claims[claims.section == "association"]
    facts = _section_summaries("associations", chosen, ledger)
    facts["associations_n_human"] = int(selections.in_people(chosen, ledger).sum())
    facts["associations_n_trials"] = int((chosen.evidence_type == "randomized_trial").sum())

    effects = ledger.effects[ledger.effects.primary_source == WHI_STUDY].set_index("effect_id")
    for effect_id, key in WHI_SITES:
        facts[f"associations_whi_{key}"] = float(effects.at[effect_id, "value"])
    facts["associations_whi_n"] = f"{int(effects.n.iloc[0]):,}"
    facts["associations_whi_follow_up"] = effects.follow_up.iloc[0]
    facts["associations_whi_p"] = f"p{effects.p_value.iloc[0]}"
    facts["associations_whi_n_results"] = len(effects)
    facts["associations_whi_n_ci"] = int(effects.ci_low.notna().sum())
    for field, value in review.summarise(selections.citing(ledger, WHI_STUDY)).items():
        facts[f"associations_follis_{field}"] = value

    harvest = selections.harvest_claims(ledger)
    facts["associations_harvest_n"] = len(harvest)
    facts["associations_harvest_sections"] = review.tally_phrase(
        harvest.section, vocabulary.values("section"), count_first=False
    )
    facts["associations_harvest_association_n"] = int((harvest.section == "association").sum())
    none_stated = harvest[harvest.evidence_type == "none_stated"]
    facts["associations_harvest_none_n"] = len(none_stated)
    directed = vocabulary.in_family("claimed_effect", "directed")
    facts["associations_harvest_none_directional"] = int(none_stated.claimed_effect.isin(directed).sum())
    facts["associations_harvest_none_unsupported"] = int((none_stated.appraisal == "unsupported").sum())
    people = harvest[selections.in_people(harvest, ledger)]
    facts["associations_harvest_human_n"] = len(people)
    facts["associations_harvest_human_link"] = int((people.claimed_effect == "association").sum())
    facts["associations_harvest_human_consistent"] = int((people.appraisal == "consistent").sum())
    effect_words = {"harmful": "harm", "beneficial": "benefit", "association": "a link with no direction of effect"}
    facts["associations_harvest_effects"] = review.tally_phrase(
        harvest.claimed_effect, vocabulary.values("claimed_effect"), effect_words, count_first=False
    )
    facts.update(_association_context(ledger))
    facts["associations_explorer_link"] = _explorer_link(
        ledger, "associations", "association claims", section="association"
    )
    return facts


def _association_context(ledger: Ledger) -> Facts:
    """Associations, the forest plots of the wider research (selections.association_effects)."""
    rows = selections.association_effects(ledger)
    drawn = rows[rows.drawn]
    return {
        "associations_context_drawn": len(drawn),
        "associations_context_studies": drawn.study.nunique(),
        "associations_context_not_drawn": int((~rows.drawn).sum()),
        "associations_context_subgroups": int(drawn.subgroup.sum()),
    }


def interventions(ledger: Ledger) -> Facts:
    claims = ledger.claims
    chosen = claims[claims.section == "intervention"]
    selling = chosen[chosen.commercial_context]
    facts: Facts = {
        "interventions_n_claims": len(chosen),
        "interventions_n_topics": chosen.topic.nunique(),
        "interventions_n_no_evidence": int((chosen.evidence_type == "none_stated").sum()),
        "interventions_n_trial": int((chosen.evidence_type == "randomized_trial").sum()),
        "interventions_n_reader": int((chosen.speaker == "reader_comment").sum()),
        "interventions_n_selling": len(selling),
        "interventions_n_selling_unsupported": int((selling.appraisal == "unsupported").sum()),
        "interventions_n_unsupported": int((chosen.appraisal == "unsupported").sum()),
    }
    exercise = chosen[chosen.topic == "exercise"]
    facts["interventions_n_exercise"] = len(exercise)
    facts["interventions_n_exercise_selling"] = int(exercise.commercial_context.sum())
    facts["interventions_n_exercise_unsupported"] = int((exercise.appraisal == "unsupported").sum())
    facts["interventions_n_axis"] = int((chosen.topic == "axis_targeted_treatment").sum())
    medicines = chosen[chosen.topic == "medicines_and_remedies"]
    facts["interventions_n_medicines"] = len(medicines)
    facts["interventions_n_collagen"] = int((chosen.topic == "collagen").sum())
    facts["interventions_n_medicines_unsupported"] = int((medicines.appraisal == "unsupported").sum())
    facts["interventions_explorer_link"] = _explorer_link(
        ledger, "interventions", "intervention claims", section="intervention"
    )
    return facts


def _count_by_seed(ledger: Ledger, claims: pd.DataFrame) -> str:
    """ "21 on NativePath, 13 on Save Our Bones (stress)": how many of `claims` each seed holds, most first."""
    labels = ratings.seed_labels(ledger.sources, width=len(max(ledger.sources.outlet, key=len)) + 40)
    counts = claims.seed_id.value_counts(sort=False)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], list(labels).index(item[0])))
    parts = [f"{count} on {labels[seed_id]}" for seed_id, count in ordered]
    return " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def synthesis(ledger: Ledger) -> Facts:
    claims = ledger.claims
    effects = ledger.effects
    grades = tables.counts(ledger, "appraisal")
    regraded = ledger.tables.get("regrades")
    facts: Facts = {
        "synthesis_n_claims": counts.count(ledger, "claims"),
        "synthesis_n_seeds": counts.count(ledger, "seeds"),
        "synthesis_n_regraded": 0 if regraded is None else len(regraded),
    }
    for grade in ledger.vocabulary.values("appraisal"):
        facts[f"synthesis_n_{grade}"] = grades.get(grade, 0)

    # Matches its cited source: the one cohort study with figures.
    whi = effects[effects.primary_source == WHI_STUDY].set_index("effect_id")
    facts["synthesis_whi_n"] = f"{int(whi.n.iloc[0]):,}"
    facts["synthesis_whi_follow_up"] = whi.follow_up.iloc[0]
    for effect_id, key in WHI_SITES:
        facts[f"synthesis_whi_{key}"] = f"{whi.loc[effect_id, 'value']:g}%"
    facts["synthesis_whi_p"] = whi.p_value.iloc[0]
    facts["synthesis_n_follis_consistent"] = int((selections.citing(ledger, WHI_STUDY).appraisal == "consistent").sum())

    # The AI-written summary: many consistent grades, one unnamed review.
    summary = claims[claims.seed_id == "osteoimmune-ai-summary"]
    facts["synthesis_n_summary"] = len(summary)
    facts["synthesis_n_summary_consistent"] = int((summary.appraisal == "consistent").sum())
    facts["synthesis_n_summary_unidentified"] = int(summary.primary_source.isna().sum())

    # Indirect and overstated.
    indirect = claims[claims.appraisal == "indirect"]
    facts["synthesis_n_indirect_mechanism"] = int((indirect.section == "mechanism").sum())
    overstated = claims[claims.appraisal == "overstated"]
    facts["synthesis_n_overstated_observational"] = int((overstated.evidence_type == "human_observational").sum())
    facts["synthesis_n_overstated_animal"] = int((overstated.evidence_type == "animal_experiment").sum())
    facts["synthesis_n_animal"] = int((claims.evidence_type == "animal_experiment").sum())

    # Gaps.
    facts["synthesis_n_trial"] = int((claims.evidence_type == "randomized_trial").sum())
    facts["synthesis_n_effects"] = counts.count(ledger, "effects")
    facts["synthesis_n_effects_ci"] = int(effects[["ci_low", "ci_high"]].notna().all(axis=1).sum())
    unresolved = selections.unresolved_references(ledger)
    facts["synthesis_n_unresolved"] = counts.count(ledger, "unresolved")
    facts["synthesis_unresolved_by_seed"] = _count_by_seed(ledger, unresolved)
    facts["synthesis_n_unidentified"] = int(claims.primary_source.isna().sum())
    facts["synthesis_share_unidentified"] = f"{claims.primary_source.isna().mean():.0%}"
    facts["synthesis_n_none_stated"] = int((claims.evidence_type == "none_stated").sum())
    # Readers' comments and the site's replies: the sentence names both (intro_n_reader counts the readers only).
    facts["synthesis_n_comment_threads"] = counts.count(ledger, "comment_threads")
    facts.update(_synthesis_context(ledger))
    facts.update(_summary_of_findings(ledger))
    facts.update(research_facts(ledger, "synthesis_"))
    facts["synthesis_overstated_link"] = _explorer_link(
        ledger, "synthesis", "overstated claims", appraisal="overstated"
    )
    return facts


def _synthesis_context(ledger: Ledger) -> Facts:
    """Synthesis, "What the wider research says": the verdicts and the interventions' forest plot."""
    from brainbone.appraisal import context as contextlayer

    context = contextlayer.book_context(ledger)
    facts: Facts = {
        "synthesis_context_n_claims": context.links.claim_id.nunique(),
        "synthesis_context_n_links": len(context.links),
    }
    for verdict, count in contextlayer.verdict_counts(context).items():
        facts[f"synthesis_context_{verdict}"] = count
    # The topics where the research disagrees, from the verdicts themselves, so the sentence cannot drift from the table.
    disagree = context.links[context.links.verdict == "disagrees"].question.drop_duplicates()
    labels = [contextlayer.QUESTION_LABELS[q] for q in sorted(disagree, key=lambda q: int(q[1:]))]
    facts["synthesis_context_disagree_topics"] = (
        "; ".join(labels[:-1]) + "; and " + labels[-1] if len(labels) > 1 else "".join(labels) or "none"
    )
    rows = selections.intervention_effects(ledger)
    facts["synthesis_context_drawn"] = int(rows.drawn.sum())
    facts["synthesis_context_not_drawn"] = int((~rows.drawn).sum())
    return facts


# The summary-of-findings question whose certainty the Synthesis prose names.
SOF_SOCIAL_STRESS = "social-stress-bone"


def _summary_of_findings(ledger: Ledger) -> Facts:
    """Synthesis, "Summary of findings": its questions and their GRADE certainty (brainbone.appraisal.sof)."""
    from brainbone.appraisal import sof as sof_module
    from brainbone.ledger import sof_tables

    sof = sof_module.load_sof(ledger).require_valid()
    certainty = sof.questions.certainty
    lowest = next(level for level in sof_tables.LEVELS if level in set(certainty))
    return {
        "synthesis_sof_n": len(sof.questions),
        "synthesis_sof_lowest": sof_module.REACH[lowest],
        "synthesis_sof_n_lowest": int((certainty == lowest).sum()),
        "synthesis_sof_n_footnotes": len(sof.footnotes),
        "synthesis_sof_social_stress": sof_module.REACH[
            sof.questions.set_index("question_id").at[SOF_SOCIAL_STRESS, "certainty"]
        ],
    }


def explorer(ledger: Ledger) -> Facts:
    return {
        "explorer_n_claims": counts.count(ledger, "claims"),
        "explorer_n_seeds": counts.count(ledger, "seeds"),
        "explorer_n_topics": len(ledger.topics),
        "explorer_n_effects": counts.count(ledger, "effects"),
    }


CHAPTERS = {
    "intro": intro,
    "methods": methods,
    "sources": sources,
    "mechanisms": mechanisms,
    "associations": associations,
    "interventions": interventions,
    "synthesis": synthesis,
    "explorer": explorer,
}

__all__ = ["CHAPTERS", "Facts", *CHAPTERS]
