"""The validator on Arabic as news writes it: NewsFANE's tokenised cases, re-glued."""

from __future__ import annotations

import pytest

from benchmarks import validator as vb
from benchmarks.validator_untokenised import compare, rewritten, tokenised_cases, untokenise


def test_untokenise_glues_what_newsfane_splits() -> None:
    assert untokenise("و قال ل الشرق الاوسط ان ه") == "وقال للشرق الاوسط انه"
    assert untokenise("لكن ها نقلت عن الحكومة نفي ها") == "لكنها نقلت عن الحكومة نفيها"
    assert untokenise("قال Ali و Omar") == "قال Ali و Omar"  # only before Arabic letters


@pytest.mark.parametrize(
    "case_id",
    [
        "ar_nf_khalid_kelly_muhajiroun_plot_media",  # "و قال ل الشرق الاوسط" → "للشرق الاوسط"
        "ar_nf_times_ban_ki_moon_korea_aid_campaign",  # "نفي ها" → "نفيها", "و ان سول اعلنت"
        "ar_nf_kurdistan_talabani_neighbours",
    ],
)
def test_glued_clitics_change_no_verdict(case_id: str) -> None:
    (case,) = [c for c in tokenised_cases() if c.id == case_id]
    assert rewritten(case).article != case.article
    result = compare([case])
    assert result["flagged"] == result["flagged_before"]
    assert result["caught"] == result["caught_before"] > 0


def test_every_tokenised_case_is_rewritten_and_still_grounds() -> None:
    grounded = vb.load_validator().grounded
    cases = tokenised_cases()
    assert len(cases) >= 50
    for case in cases[:10]:
        new = rewritten(case)
        assert all(grounded(new.article, p["name"]) for p in new.answer["participants"]), case.id
