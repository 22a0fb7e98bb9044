"""Place linking on real names: the seed article, GSR actors, Tripoli both ways, bad installs."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from agent.errors import GazetteerError, KhabarError
from agent.models import LinkStatus, PlaceFeature
from agent.places.demonyms import nisba
from agent.places.gazetteer import (
    DATA_FILE,
    default_path,
    load_gazetteer,
    place_key,
    query_keys,
    read_gazetteer,
)
from agent.places.linking import PlaceQuery, contradiction, countries_in, link_article
from tests.conftest import ROOT, SEED

COUNTRY, CITY, REGION = PlaceFeature.COUNTRY, PlaceFeature.CITY, PlaceFeature.REGION
DATA = Path(__file__).parent / "data"


def codes(queries: list[PlaceQuery], affiliations: Sequence[str] = ()) -> list[str | None]:
    return [
        link.place.country_code if link.place else link.status.value
        for link in link_article(queries, affiliations=affiliations)
    ]


def test_the_seed_articles_places_link_to_their_countries() -> None:
    article = (SEED / "article.txt").read_text(encoding="utf-8")
    names = ["مصر", "ليبيا", "القاهرة", "السودان", "شرق المتوسط"]
    assert all(n in article for n in names)
    kinds = [COUNTRY, COUNTRY, CITY, COUNTRY, REGION]
    links = link_article([PlaceQuery(n, k) for n, k in zip(names, kinds, strict=True)])
    got = [(ln.place.country_code, ln.place.feature) for ln in links if ln.place]
    assert got == [
        ("EG", PlaceFeature.COUNTRY),
        ("LY", PlaceFeature.COUNTRY),
        ("EG", PlaceFeature.CAPITAL),
        ("SD", PlaceFeature.COUNTRY),
        (None, PlaceFeature.REGION),  # شرق المتوسط is a region of no one country
    ]
    cairo = links[2].place
    assert cairo is not None and cairo.geonames_id == 360630 and cairo.name_en == "Cairo"
    assert cairo.latitude == pytest.approx(30.06, abs=0.01)
    egypt = links[0].place
    assert egypt is not None and egypt.geonames_id is None and egypt.latitude is None


@pytest.mark.parametrize(
    ("written", "code", "name_en"),
    [
        ("بالقاهرة", "EG", "Cairo"),
        ("للقاهرة", "EG", "Cairo"),
        ("والقاهرة", "EG", "Cairo"),
        ("القاهره", "EG", "Cairo"),
        ("لمصر", "EG", "Egypt"),
        ("وليبيا", "LY", "Libya"),
        ("لبنان", "LB", "Lebanon"),  # not ل + بنان
        ("واشنطن", "US", "Washington, D.C."),
        ("Cairo", "EG", "Cairo"),
        ("Egypt's", "EG", "Egypt"),
        ("الخرطوم", "SD", "Khartoum"),
        ("السعودية", "SA", "Saudi Arabia"),
        ("the United States", "US", "United States"),
        ("هونج كونج", "HK", "Hong Kong SAR China"),  # ج for g, as Egyptian papers write it
    ],
)
def test_proclitics_article_and_spelling_fold_away(written: str, code: str, name_en: str) -> None:
    (link,) = link_article([PlaceQuery(written)])
    assert link.status is LinkStatus.LINKED, link
    assert link.place is not None
    assert (link.place.country_code, link.place.name_en) == (code, name_en)


def test_tripoli_is_resolved_both_ways_by_the_article_and_left_open_alone() -> None:
    tripoli = PlaceQuery("طرابلس", CITY)
    assert codes([tripoli, PlaceQuery("بنغازي", CITY)]) == ["LY", "LY"]
    assert codes([PlaceQuery("بيروت", CITY), tripoli]) == ["LB", "LB"]
    assert codes([tripoli], affiliations=["الجيش الوطني الليبي"]) == ["LY"]
    (alone,) = link_article([tripoli])
    assert alone.status is LinkStatus.AMBIGUOUS and alone.place is None
    assert [(c.country_code, c.name_en) for c in alone.candidates] == [
        ("LY", "Tripoli"),
        ("LB", "Tripoli"),
    ]
    (by_model,) = link_article([PlaceQuery("طرابلس", CITY, "LB")])
    assert by_model.place is not None and by_model.place.country_code == "LB"
    assert by_model.resolved_by == "model_code"


def test_latin_script_names_inside_arabic_articles_link_and_give_context() -> None:
    assert codes([PlaceQuery("Tripoli", CITY), PlaceQuery("بنغازي", CITY)]) == ["LY", "LY"]
    assert codes([PlaceQuery("طرابلس", CITY), PlaceQuery("Beirut")]) == ["LB", "LB"]


def test_oman_and_amman_are_told_apart_by_kind_never_guessed() -> None:
    assert codes([PlaceQuery("عمان", COUNTRY)]) == ["OM"]
    assert codes([PlaceQuery("عمّان", CITY)]) == ["JO"]
    (amman,) = link_article([PlaceQuery("عمان", CITY, "OM")])  # the kind outranks a wrong code
    assert amman.place is not None and amman.place.country_code == "JO"
    assert contradiction(amman, "OM") == "Amman is in JO"
    (open_link,) = link_article([PlaceQuery("عمان")])
    assert open_link.status is LinkStatus.AMBIGUOUS
    assert {c.country_code for c in open_link.candidates} == {"OM", "JO"}


def test_a_country_or_a_much_larger_city_wins_over_small_namesakes_and_says_so() -> None:
    moscow, lebanon = link_article([PlaceQuery("موسكو"), PlaceQuery("لبنان")])
    assert moscow.place is not None and moscow.place.country_code == "RU"
    assert moscow.resolved_by == "prominence"  # not Moscow, Idaho
    assert lebanon.place is not None and lebanon.place.feature is PlaceFeature.COUNTRY
    (congo,) = link_article([PlaceQuery("الكونغو")])
    assert congo.status is LinkStatus.AMBIGUOUS  # two countries: no prominence between them


def test_a_contradicted_model_code_is_named() -> None:
    (tunis,) = link_article([PlaceQuery("تونس", CITY, "LY")])
    assert contradiction(tunis, "LY") == "Tunis is in TN"
    assert contradiction(tunis, "TN") is None
    assert contradiction(tunis, None) is None
    (tripoli,) = link_article([PlaceQuery("طرابلس", CITY, "TN")])
    assert contradiction(tripoli, "TN") == "a place of that name is in LB or LY"


def test_borders_and_regions_that_name_a_country_link_to_it() -> None:
    (border,) = link_article([PlaceQuery("الحدود الغربية لمصر", contains=True)])
    assert border.place is not None and border.place.country_code == "EG"
    assert border.resolved_by == "contains"
    (facility,) = link_article([PlaceQuery("مقر الأمانة العامة لوزارة الدفاع", contains=True)])
    assert facility.status is LinkStatus.UNLINKED
    embassy, airport, coast = link_article(
        [
            PlaceQuery("السفارة الأمريكية في القاهرة", contains=True),
            PlaceQuery("مطار القاهرة الدولي", contains=True),
            PlaceQuery("Indonesian coast", contains=True),
        ]
    )
    assert embassy.place is not None and embassy.place.country_code == "EG"  # not US
    assert airport.place is not None and airport.place.country_code == "EG"
    assert coast.place is not None and coast.place.country_code == "ID"
    # A country read off a name is too weak to contradict the model: no re-ask from it.
    assert contradiction(embassy, "US") is None


# Real adjectives for every Arab League state and permanent Security Council member.
DEMONYMS = {
    "DZ": "الجزائري", "BH": "البحريني", "KM": "القمري", "DJ": "الجيبوتي", "EG": "المصرية",
    "IQ": "العراقيون", "JO": "الأردني", "KW": "الكويتية", "LB": "اللبنانية", "LY": "الليبيين",
    "MR": "الموريتاني", "MA": "المغربية", "OM": "العماني", "PS": "الفلسطينيين", "QA": "القطري",
    "SA": "السعودي", "SO": "الصومالي", "SD": "السودانيون", "SY": "السورية", "TN": "التونسي",
    "AE": "الإماراتي", "YE": "اليمنية", "US": "الأميركي", "GB": "البريطانية", "FR": "الفرنسي",
    "RU": "الروسية", "CN": "الصيني",
}  # fmt: skip


@pytest.mark.parametrize(("code", "adjective"), sorted(DEMONYMS.items()))
def test_demonyms_of_the_arab_league_and_the_security_council(code: str, adjective: str) -> None:
    assert load_gazetteer().demonym(adjective) == {code}
    assert countries_in(f"وزارة الخارجية {adjective}") == [code]


def test_affiliations_name_their_countries_and_common_words_do_not() -> None:
    assert countries_in("الجيش الوطني الليبي") == ["LY"]
    assert countries_in("للجيش الوطني الليبي") == ["LY"]
    assert countries_in("the Libyan National Army") == ["LY"]
    assert countries_in("Egyptian Armed Forces") == ["EG"]
    assert countries_in("اللجنة العسكرية المصرية الليبية") == ["EG", "LY"]
    assert countries_in("وزارة الدفاع الكورية الجنوبية") == ["KR"]
    assert countries_in("الدعم المالي") == []  # "financial", not Malian
    assert countries_in("القوات المسلحة") == []


def test_nisba_derivation() -> None:
    assert [nisba(n) for n in ("مصر", "ليبيا", "فرنسا", "لبنان", "العراق", "جيبوتي")] == [
        "مصري",
        "ليبي",
        "فرنسي",
        "لبناني",
        "عراقي",
        "جيبوتي",
    ]
    assert nisba("المملكة المتحدة") is None  # multi-word names are curated, not derived


def test_gsr_actor_countries_agree_with_the_gold_codes() -> None:
    lines = (DATA / "gsr_actors.jsonl").read_text(encoding="utf-8").splitlines()
    actors = [json.loads(line) for line in lines]
    assert len(actors) == 40
    found = [(a, countries_in(a["actor"])) for a in actors]
    wrong = [(a["actor"], got, a["country"]) for a, got in found if got and got != [a["country"]]]
    assert wrong == []
    assert sum(1 for _, got in found if got) == 22  # the others name no country in words


def test_stored_keys_match_the_normaliser() -> None:
    """Every canonical name finds its own entry: the keys were folded the way lookups fold."""
    g = load_gazetteer()
    places = g.places()
    assert len(places) > 11_000
    for place in places[::5]:
        for name in (place.name_en, place.name_ar):
            if name:
                assert place in g.lookup(name), (name, query_keys(name))
    assert place_key("القاهرة") == place_key("قاهره") == "قاهره"


def test_the_data_ships_with_its_licences_and_stays_small() -> None:
    data = default_path().parent
    assert default_path().stat().st_size < 2_000_000
    assert (data / "LICENSE.unicode-cldr.txt").read_text().startswith("UNICODE LICENSE V3")
    attribution = (data / "ATTRIBUTION.md").read_text()
    assert "**GeoNames, geonames.org**" in attribution and "CC BY 4.0" in attribution


def test_a_missing_or_damaged_gazetteer_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="missing: khabar's install is incomplete") as info:
        read_gazetteer(tmp_path / DATA_FILE)
    assert isinstance(info.value, KhabarError) and "\n" not in str(info.value)
    broken = tmp_path / "broken.tsv.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(GazetteerError, match="cannot be read"):
        read_gazetteer(broken)
    other = tmp_path / "other.tsv.gz"
    other.write_bytes(gzip.compress(b"something else\n"))
    with pytest.raises(GazetteerError, match="is not a 'khabar-gazetteer 1' file"):
        read_gazetteer(other)


def test_the_build_script_is_deterministic_on_a_small_source(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "countries_cldr.tsv").write_text(
        "code\tname_en\tname_ar\nLY\tLibya\tليبيا\nLB\tLebanon\tلبنان\n"
        "EU\tEuropean Union\tالاتحاد الأوروبي\n"
    )
    (src / "cities_cldr_exemplar.tsv").write_text(
        "tz_id\tcity_en\tcity_ar\nAfrica/Tripoli\tTripoli\tطرابلس\n"
    )
    header = "geonameid\tname\tasciiname\tcountry_code\tadmin1_code\tfeature_code\tpopulation"
    (src / "geonames_cities15000_ar.tsv").write_text(
        f"{header}\tlatitude\tlongitude\tar_names\tother_arabic_script_names\n"
        "2210247\tTripoli\tTripoli\tLY\t77\tPPLC\t1302947\t32.88743\t13.18733\tطرابلس\t\n"
        "266826\tTripoli\tTripoli\tLB\t09\tPPLA\t229398\t34.43352\t35.84415\tترابلس|طرابلس\t\n"
    )
    (src / "LICENSE.unicode-cldr.txt").write_text("UNICODE LICENSE V3\n")
    zone_tab = tmp_path / "zone.tab"
    zone_tab.write_text("LY\t+3254+01311\tAfrica/Tripoli\n")
    built = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "--source", str(src),
             "--zone-tab", str(zone_tab), "--out-dir", str(out)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        built.append((out / DATA_FILE).read_bytes())
    assert built[0] == built[1]
    g = read_gazetteer(tmp_path / "a" / DATA_FILE)
    assert [p.country_code for p in g.lookup("بطرابلس")] == ["LY", "LB"]
    assert g.lookup("الاتحاد الأوروبي") == ()  # CLDR regions that are not countries stay out
    assert g.demonym("الليبية") == {"LY"}


def test_a_small_namesake_or_one_of_another_kind_never_contradicts_the_model() -> None:
    # Cheshire, England is a county the gazetteer lacks; Cheshire, Connecticut is a town of 29,000.
    (cheshire,) = link_article([PlaceQuery("Cheshire", REGION, "GB")])
    assert cheshire.place is not None and cheshire.place.country_code == "US"
    assert contradiction(cheshire, "GB", REGION) is None
    assert contradiction(cheshire, "GB", CITY) is None  # a town too small to overrule the model
    (cairo,) = link_article([PlaceQuery("القاهرة", CITY)])
    assert contradiction(cairo, "LY", CITY) == "Cairo is in EG"
    assert contradiction(cairo, "LY", REGION) is None  # the model means something else
