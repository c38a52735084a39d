"""brainbone.book.tables on the tiny fixture: counts by hand, filters, readable values, and escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookutils import replace_in
from brainbone.book import tables
from brainbone.ledger.loader import Ledger, load_ledger

# tests/fixtures/tiny/data/claims.csv, counted by hand: four claims from one seed, "tiny";
# tiny-001 mechanism/unsupported, tiny-002 association/consistent, tiny-003 and tiny-004
# intervention/unsupported; speakers article ×3 and reader_comment ×1.


@pytest.fixture
def tiny(tiny_root: Path) -> Ledger:
    return load_ledger(tiny_root).require_valid()


def test_breakdown_counts_every_vocabulary_value_in_order(tiny: Ledger) -> None:
    table = tables.breakdown(tiny, "appraisal")
    assert list(table.columns) == [
        "consistent with its source",
        "indirect",
        "overstated",
        "misreporting its source",
        "unsupported",
    ]
    assert table.loc["tiny"].tolist() == [1, 0, 0, 0, 3]
    assert table.index.name == "Seed" and table.columns.name == "Appraisal"


def test_breakdown_labels_the_values(tiny: Ledger) -> None:
    table = tables.breakdown(tiny, "speaker")
    assert table.loc["tiny", "article"] == 3
    assert table.loc["tiny", "reader comment"] == 1
    assert table.loc["tiny", "AI summary"] == 0


def test_per_seed_counts_claims_and_verified_share(tiny: Ledger) -> None:
    row = tables.per_seed(tiny).iloc[0]
    assert (row.seed_id, row.claims, row.verified, row.verified_share) == ("tiny", 4, 4, 1.0)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"topics": ["supplements", "exercise"]}, ["tiny-003", "tiny-004"]),
        ({"sections": ["mechanism"]}, ["tiny-001"]),
        ({"sections": ["intervention"], "topics": ["exercise"]}, ["tiny-004"]),
        ({"seeds": ["another-seed"]}, []),
        ({}, ["tiny-001", "tiny-002", "tiny-003", "tiny-004"]),
    ],
)
def test_claims_table_filters(tiny: Ledger, filters: dict, expected: list[str]) -> None:
    assert tables.claims_table(tiny, **filters)["Claim"].tolist() == expected


def test_claims_table_has_readable_values_and_columns(tiny: Ledger) -> None:
    table = tables.claims_table(
        tiny, columns=("claim_id", "evidence_type", "commercial_context", "primary_source", "speaker")
    )
    assert list(table.columns) == [
        "Claim",
        "Evidence the page gives",
        "Promotes the site's offer",
        "Primary source",
        "Speaker",
    ]
    assert table.iloc[1].tolist() == ["tiny-002", "human observational", "no", "smith2020", "article"]
    assert table.iloc[2].tolist() == ["tiny-003", "none stated", "yes", "not identified", "article"]
    assert table.iloc[3, 4] == "reader comment"


def test_styled_escapes_every_cell_and_header(tiny_root: Path) -> None:
    replace_in(
        tiny_root / "data/claims.csv", "My bones felt stronger after yoga.", "My <b>bones</b> & <script>x</script>"
    )
    ledger = load_ledger(tiny_root, verify=False)
    table = tables.claims_table(ledger, columns=("claim_id", "excerpt"))
    table.columns = ["<i>Claim</i>", "Excerpt"]
    html = tables.styled(table, caption="Claims", table_id="tiny").to_html()
    assert "My &lt;b&gt;bones&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;i&gt;Claim&lt;/i&gt;" in html
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html


def test_styled_hides_a_plain_row_number_and_fixes_the_id(tiny: Ledger) -> None:
    html = tables.styled(tables.claims_table(tiny, columns=("claim_id",)), table_id="fixed").to_html()
    assert 'id="T_fixed"' in html
    assert "row_heading" not in html
    assert 'class="bb-table" tabindex="0"' in html
    keyed = tables.styled(tables.breakdown(tiny, "appraisal"), table_id="k").to_html()
    # A named index (seed ids) becomes an ordinary first column, so no header cell is left empty.
    assert "row_heading" not in keyed and ">Seed</th>" in keyed and " >tiny</td>" in keyed


def test_counts(tiny: Ledger) -> None:
    assert tables.counts(tiny, "section") == {"intervention": 2, "mechanism": 1, "association": 1}


# The explorer links that replace the chapters' reprinted claims tables (issue 12).


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"section": "intervention"}, ["tiny-003", "tiny-004"]),
        ({"section": "intervention", "speaker": "reader_comment"}, ["tiny-004"]),
        ({"appraisal": "unsupported"}, ["tiny-001", "tiny-003", "tiny-004"]),
        ({"seed": "tiny", "topic": "social_stress"}, ["tiny-002"]),
        ({"evidence": "animal_experiment"}, []),
    ],
)
def test_explorer_selection_filters_as_the_explorer_does(tiny: Ledger, filters: dict, expected: list[str]) -> None:
    assert tables.explorer_selection(tiny, **filters).claim_id.tolist() == expected


def test_explorer_selection_refuses_a_filter_it_cannot_count(tiny: Ledger) -> None:
    with pytest.raises(ValueError) as raised:
        tables.explorer_selection(tiny, commercial="yes")
    assert str(raised.value) == (
        "explorer_selection: cannot count by 'commercial'; expected one of: section, topic, seed, speaker, evidence, appraisal"
    )


def test_explorer_link_counts_and_links_the_filtered_claims(tiny: Ledger) -> None:
    link = tables.explorer_link(
        tiny, "intervention claims in the explorer", from_docname="chapters/interventions", section="intervention"
    )
    assert link.data == (
        '<a class="reference internal bb-explorer-link" href="explorer.html?section=intervention">'
        "all 2 intervention claims in the explorer</a>"
    )


def test_explorer_link_escapes_its_words(tiny: Ledger) -> None:
    link = tables.explorer_link(tiny, "<b>claims</b> & more", from_docname="chapters/x", appraisal="consistent")
    assert "all 1 &lt;b&gt;claims&lt;/b&gt; &amp; more</a>" in link.data


def test_each_section_link_counts_the_rows_the_explorer_marks() -> None:
    """The count in a chapter's link equals the rows of the real explorer carrying that filter's value."""
    import re

    from brainbone.book import explorer

    ledger = tables.ledger()
    html = explorer.explorer_html(ledger)
    for section in ledger.vocabulary.values("section"):
        rows = len(re.findall(rf'<tr[^>]* data-section="{section}"', html))
        assert rows > 0, section
        assert len(tables.explorer_selection(ledger, section=section)) == rows, section


def test_grade_table_counts_each_grade_and_its_selling_claims(tiny: Ledger) -> None:
    # By hand: tiny-002 consistent; tiny-001, -003 and -004 unsupported, of which tiny-003 sells (Bone Tonic).
    table = tables.grade_table(tiny)
    assert table.to_dict("list") == {
        "Appraisal": [
            "consistent with its source",
            "indirect",
            "overstated",
            "misreporting its source",
            "unsupported",
        ],
        "Claims": [1, 0, 0, 0, 3],
        "Share of all claims": ["25%", "0%", "0%", "0%", "75%"],
        "Of which sell a product": [0, 0, 0, 0, 1],
    }
