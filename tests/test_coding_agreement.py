"""The blind second coding: agreement figures, reconciliation rows, and the Methods page built from them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from bookutils import copy_book
from brainbone.appraisal import coding_agreement as ca
from brainbone.ledger import coding_tables
from brainbone.ledger.loader import load_ledger

ROOT = Path(__file__).parent.parent
INSTRUMENTS = ROOT / "data" / "checked" / "instruments.md"


def test_every_reconciliation_row_is_a_disagreement_and_every_disagreement_has_one() -> None:
    ledger = load_ledger(ROOT)
    assert [str(issue) for issue in ledger.issues if issue.file == coding_tables.RECONCILIATION_FILE] == []
    assert coding_tables.reconciliation_issues(ca.load(ledger)) == []


def _copy_data(tmp_path: Path) -> Path:
    return copy_book(tmp_path / "book")  # the whole book, so that the ledger loads it too


def _set_second(root: Path, claim_id: str, field: str, value: str) -> None:
    path = root / coding_tables.SECOND_CODING_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame.claim_id == claim_id, field] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def test_an_unreconciled_disagreement_is_reported(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    codings = ca.load(load_ledger(root))
    agreed = codings.first.index[codings.first.safety_flag == codings.second.safety_flag][0]
    flipped = "true" if codings.second.at[agreed, "safety_flag"] == "false" else "false"
    _set_second(root, agreed, "safety_flag", flipped)
    message = (
        f"data/reconciliation.csv: claim '{agreed}', field 'safety_flag': the codings disagree "
        f"('{codings.first.at[agreed, 'safety_flag']}' vs '{flipped}') but this file has no row"
    )
    # the ledger runs the rule (a catalog rule of data/reconciliation.csv), so `make check` and the build
    # fail, and Methods' figures refuse the codings
    ledger = load_ledger(root)
    assert [str(issue) for issue in ledger.issues] == [message]
    with pytest.raises(ca.CodingFileError) as raised:
        ca.load(ledger)
    assert str(raised.value) == message


def test_a_reconciliation_row_that_is_not_a_disagreement_is_reported(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    path = root / coding_tables.RECONCILIATION_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    first = frame.iloc[0]
    frame.loc[0, "first_value"] = first.second_value
    frame.to_csv(path, index=False, lineterminator="\n")
    problems = [str(issue) for issue in load_ledger(root).issues]
    assert (
        f"data/reconciliation.csv:2: claim '{first.claim_id}', field '{first.field}': first and second values "
        f"agree ('{first.second_value}'); not a disagreement"
    ) in problems


def test_changing_one_second_code_changes_the_appraisal_figures() -> None:
    codings = ca.load(load_ledger(ROOT))
    before = {r.field: r for r in ca.agreement(codings.first, codings.second)}["appraisal"]
    agreed = codings.first.index[codings.first.appraisal == codings.second.appraisal][0]
    other = next(v for v in ("consistent", "unsupported") if v != codings.second.at[agreed, "appraisal"])
    second = codings.second.copy()
    second.at[agreed, "appraisal"] = other  # in memory: on disk the ledger would want a reconciliation row
    after = {r.field: r for r in ca.agreement(codings.first, second)}["appraisal"]
    assert after.agreed == before.agreed - 1
    assert after.alpha < before.alpha


def test_changing_one_round2_code_changes_the_round2_figures(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    before = {r.field: r for r in ca.round2_agreement(load_ledger(root))}["appraisal"]
    final = ca.load(load_ledger(root)).final
    round2 = pd.read_csv(root / coding_tables.SECOND_CODING_ROUND2_FILE, dtype=str, keep_default_na=False).set_index(
        "claim_id"
    )
    agreed = next(c for c in final.index if final.at[c, "appraisal"] == round2.at[c, "appraisal"])
    other = next(v for v in ("consistent", "unsupported") if v != round2.at[agreed, "appraisal"])
    round2.loc[agreed, "appraisal"] = other
    round2.reset_index().to_csv(root / coding_tables.SECOND_CODING_ROUND2_FILE, index=False, lineterminator="\n")
    after = {r.field: r for r in ca.round2_agreement(load_ledger(root))}["appraisal"]
    assert after.agreed == before.agreed - 1
    assert after.alpha < before.alpha


def test_a_bad_round2_code_names_its_file_and_line(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    path = root / coding_tables.SECOND_CODING_ROUND2_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[2, "advice"] = "strong"
    frame.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(ca.CodingFileError) as raised:
        ca.round2_agreement(load_ledger(root))
    message = (
        "data/second_coding_round2.csv:4: column 'advice': 'strong' is not allowed; "
        "expected one of: none, implicit, explicit (nearest: 'none')"
    )
    assert str(raised.value) == message
    assert [str(issue) for issue in load_ledger(root).issues] == [message]  # the ledger's schema is the same one


def test_a_claim_added_after_the_codings_is_left_out_and_named(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    claims = pd.read_csv(root / "data/claims.csv", dtype=str, keep_default_na=False)
    coded = set(pd.read_csv(root / coding_tables.SECOND_CODING_FILE, dtype=str).claim_id)
    # Claims of a seed added since the codings (a living review) are in none of them, as the one added here.
    since = [c for c in claims.claim_id if c not in coded]
    if not since:
        assert ca.coverage_sentence(load_ledger(root)) == "All three blind codings cover every claim in the ledger."
    added = claims.iloc[[0]].assign(claim_id="nativepath-999")
    pd.concat([claims, added]).to_csv(root / "data/claims.csv", index=False, lineterminator="\n")
    codings = ca.load(load_ledger(root))
    assert "nativepath-999" not in codings.first.index and len(codings.first) == len(claims) - len(since)
    first, n = (since + ["nativepath-999"])[0], len(since) + 1
    assert ca.coverage_sentence(load_ledger(root)) == (
        f"Agreement is measured on the claims each coding covers: the first blind coding does not yet cover {n} "
        f"claim(s) added since, from '{first}'; the fresh blind coding does not yet cover {n} claim(s) added "
        f"since, from '{first}'; the reference blind coding does not yet cover {n} claim(s) added since, "
        f"from '{first}'."
    )
    reference = ca.reference_agreement(load_ledger(root))
    assert (reference.claims, reference.agreed) == (len(coded), len(coded))


def test_reference_target_agreement_is_counted_from_the_two_files(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    path = root / "data/second_coding_reference.csv"
    coding = pd.read_csv(path, dtype=str, keep_default_na=False)
    ledger = pd.read_csv(root / "data/claims.csv", dtype=str, keep_default_na=False)
    # Compared claim by claim over the claims the coding covers; a claim added since (a new seed) is in it not yet.
    ledger_codes = ledger.set_index("claim_id").reference_target.reindex(coding.claim_id)
    agreed = int((coding.reference_target.to_numpy() == ledger_codes.to_numpy()).sum())
    result = ca.reference_agreement(load_ledger(root))
    assert (result.field, result.level, result.claims, result.agreed) == (
        "reference_target",
        "nominal",
        len(coding),
        agreed,
    )
    # One code changed: one fewer agreement, and alpha below 1.
    first_unresolved = coding.index[coding.reference_target == "unresolved"][0]
    coding.loc[first_unresolved, "reference_target"] = "none"
    coding.to_csv(path, index=False, lineterminator="\n")
    changed = ca.reference_agreement(load_ledger(root))
    assert changed.agreed == agreed - 1 and changed.alpha is not None and changed.alpha < result.alpha


def test_a_bad_reference_code_names_its_file_and_line(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    path = root / "data/second_coding_reference.csv"
    coding = pd.read_csv(path, dtype=str, keep_default_na=False)
    coding.loc[0, "reference_target"] = "resolve"
    coding.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(ca.CodingFileError) as raised:
        ca.reference_agreement(load_ledger(root))
    assert str(raised.value) == (
        "data/second_coding_reference.csv:2: column 'reference_target': 'resolve' is not allowed; "
        "expected one of: resolved, unresolved, none (nearest: 'resolved')"
    )


def test_alpha_on_a_hand_worked_example() -> None:
    # Two coders, four claims, nominal: they agree on three of a/a, a/a, b/b and differ on b/a.
    first = pd.Series(["consistent", "consistent", "overstated", "overstated"])
    second = pd.Series(["consistent", "consistent", "overstated", "consistent"])
    # n = 8 values (5 consistent, 3 overstated); the one split unit adds 1 to each off-diagonal
    # coincidence, so alpha = 1 - (n - 1) * 2 / (2 * 5 * 3) = 1 - 14/30.
    assert ca.field_alpha(first, second, ("consistent", "overstated"), "nominal") == pytest.approx(1 - 14 / 30)
    assert ca.field_alpha(first, first, ("consistent", "overstated"), "nominal") == pytest.approx(1.0)
    same = pd.Series(["consistent"] * 4)
    assert ca.field_alpha(same, same, ("consistent",), "nominal") is None


def test_the_claims_agreement_table_on_hand_made_results() -> None:
    results = [
        ca.FieldAgreement("speaker", "nominal", 8, 3, 0.456),
        ca.FieldAgreement("appraisal", "nominal", 8, 8, None),
    ]
    frame = ca.agreement_table(results)
    assert list(frame.columns) == ["Field", "Claims", "Identical codes", "Krippendorff's alpha", "Target", "Target met"]
    assert frame.values.tolist() == [
        ["speaker", 8, "3 (37.5%)", "0.46 (nominal)", "0.67", "no"],
        ["appraisal", 8, "8 (100.0%)", "not defined: one category only", "0.80", "no"],
    ]


def test_a_bad_second_code_names_its_line(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    first_id = pd.read_csv(root / coding_tables.SECOND_CODING_FILE, dtype=str).claim_id.iloc[0]
    _set_second(root, first_id, "advice", "strong")
    with pytest.raises(ca.CodingFileError) as error:
        ca.load(load_ledger(root))
    assert str(error.value) == (
        "data/second_coding.csv:2: column 'advice': 'strong' is not allowed; expected one of: none, implicit, explicit "
        "(nearest: 'none')"
    )


def test_a_reconciled_claim_the_second_coding_lacks_is_located_by_the_ledger(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    path = root / coding_tables.RECONCILIATION_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    claim_id = lines[3].split(",")[0]
    lines[3] = lines[3].replace(claim_id, claim_id + "x", 1)
    path.write_text("".join(lines), encoding="utf-8")
    expected = (
        f"data/reconciliation.csv:4: unknown claim_id '{claim_id}x': no such key in data/second_coding.csv "
        f"(nearest: '{claim_id}'); reconcile only claims that data/second_coding.csv codes"
    )
    assert [str(issue) for issue in load_ledger(root).issues] == [expected]
    with pytest.raises(ca.CodingFileError) as error:
        ca.load(load_ledger(root))
    assert str(error.value) == expected


def test_a_claim_coded_twice_is_located(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    path = root / coding_tables.SECOND_CODING_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    claim_id = lines[1].split(",")[0]
    with pytest.raises(ca.CodingFileError) as error:
        ca.load(load_ledger(root))
    assert str(error.value) == (
        f"data/second_coding.csv:{len(lines) + 1}: duplicate claim_id '{claim_id}': it is already used on line 2; "
        "give this row a new claim_id"
    )


def test_a_field_reconciled_twice_is_located_by_the_ledger(tmp_path: Path) -> None:
    root = _copy_data(tmp_path)
    path = root / coding_tables.RECONCILIATION_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    claim_id, field = lines[1].split(",")[:2]
    assert [str(issue) for issue in load_ledger(root).issues] == [
        f"data/reconciliation.csv:{len(lines) + 1}: claim '{claim_id}', field '{field}': reconciled twice"
    ]


def test_discerns_published_kappa_is_that_of_the_checked_instruments_file() -> None:
    text = INSTRUMENTS.read_text(encoding="utf-8")
    assert f"(weighted kappa): {ca.DISCERN_OVERALL_KAPPA_EXPERTS:.2f} among expert raters" in text


@pytest.mark.slow
def test_the_methods_page_shows_the_figures_computed_from_the_files(built_book: Path) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup((built_book / "_build/html/chapters/methods.html").read_text(encoding="utf-8"), "html.parser")
    table = page.select_one("table#methods-agreement")
    shown = [[cell.get_text(strip=True) for cell in row.select("td")] for row in table.select("tbody tr")]
    expected = ca.book_agreement_table(load_ledger(built_book)).astype(str).values.tolist()
    assert shown == expected
    codings = ca.load(load_ledger(built_book))
    appraisal = {r.field: r for r in ca.agreement(codings.first, codings.second)}["appraisal"]
    text = re.sub(r"\s+", " ", page.get_text(" "))
    assert f"alpha {appraisal.alpha:.2f}" in text
    table2 = page.select_one("table#methods-agreement-round2")
    shown2 = [[cell.get_text(strip=True) for cell in row.select("td")] for row in table2.select("tbody tr")]
    assert shown2 == ca.book_round2_table(load_ledger(built_book)).astype(str).values.tolist()
    round2 = {r.field: r for r in ca.round2_agreement(load_ledger(built_book))}["appraisal"]
    assert f"the fresh coding agreed on the grade for {round2.raw:.0%} of claims, alpha {round2.alpha:.2f}" in text


def test_methods_reads_the_codings_the_ledger_loaded_not_the_files_again(tmp_path: Path) -> None:
    from brainbone.book import facts

    root = _copy_data(tmp_path)
    ledger = load_ledger(root)
    expected = facts.methods(ledger)
    for rel in (
        coding_tables.SECOND_CODING_FILE,
        coding_tables.SECOND_CODING_ROUND2_FILE,
        coding_tables.RECONCILIATION_FILE,
    ):
        (root / rel).unlink()
    assert facts.methods(ledger) == expected
    assert expected["methods_n_disagreements"] == len(ledger.tables["reconciliation"]) == 125
