"""Demonyms and adjectives that name a country: المصري, الليبية, السودانيون, Egyptian.

Titles and affiliations name countries by adjective far more than by name ("رئيس الأركان
المصري", "الجيش الوطني الليبي", "the Libyan National Army"). Arabic forms them by the nisba
suffix -ي, so most are derived from the CLDR country name (`arabic_forms`): ال is dropped, a
final يا / ية / ا gives way to the suffix (ليبيا → ليبي, فرنسا → فرنسي), anything else takes it
(مصر → مصري, لبنان → لبناني); then the feminine and the sound plurals are added (ليبية, ليبيون,
ليبيين). Only one-word names are derived. The `CURATED_AR` table holds what derivation cannot
reach (multi-word names, irregular and broken-plural forms: أمريكي, نمساوي, الأفغان, المغاربة);
English has no usable rule, so `CURATED_EN` lists the adjectives by hand. The curated tables cover
at least the Arab League states, the permanent members of the Security Council and every country
in the GSR and NewsFANE evaluation data.
"""

from __future__ import annotations

from collections.abc import Iterator

# Derived forms that are common words in their own right: never used as demonyms.
NOT_DEMONYMS = frozenset({"مالي", "مالية", "ماليون", "ماليين"})  # "financial", not Malian

# Hand-written: irregular, multi-word and broken-plural forms (Arabic), by ISO alpha-2 code.
CURATED_AR: dict[str, tuple[str, ...]] = {
    "US": (
        "أمريكي",
        "أميركي",
        "أمريكية",
        "أميركية",
        "أمريكيون",
        "أمريكيين",
        "أميركيون",
        "أميركيين",
        "الأمريكان",
        "الأميركان",
    ),
    "GB": ("بريطاني", "بريطانية", "بريطانيون", "بريطانيين", "الإنجليز", "الإنكليز"),
    "AE": ("إماراتي", "إماراتية", "إماراتيون", "إماراتيين"),
    "SA": ("سعودي", "سعودية", "سعوديون", "سعوديين"),
    "PS": ("فلسطيني", "فلسطينية", "فلسطينيون", "فلسطينيين"),
    "AF": ("أفغاني", "أفغانية", "الأفغان"),
    "AT": ("نمساوي", "نمساوية"),
    "KM": ("قمري", "قمرية"),
    "SS": ("جنوب سوداني", "جنوب سودانية"),
    "KR": ("كوري جنوبي", "كورية جنوبية"),
    "KP": ("كوري شمالي", "كورية شمالية"),
    "MA": ("المغاربة",),
    "TR": ("الأتراك",),
    "RU": ("الروس",),
    "DE": ("الألمان",),
    "KG": ("قرغيزي", "قرغيزية"),
    "TJ": ("طاجيكي", "طاجيكية"),
    "UZ": ("أوزبكي", "أوزبكية"),
    "TL": ("تيموري", "تيمورية"),
    "SY": ("سورية",),  # also the country's own name in Syrian usage
    "CD": ("كونغولي", "كونغولية"),
    "CG": ("كونغولي", "كونغولية"),
    "NZ": ("نيوزيلندي", "نيوزيلندية"),
    "ZA": ("جنوب أفريقي", "جنوب أفريقية"),
}

# Hand-written English adjectives and demonyms.
CURATED_EN: dict[str, tuple[str, ...]] = {
    "DZ": ("Algerian",),
    "BH": ("Bahraini",),
    "KM": ("Comoran", "Comorian"),
    "DJ": ("Djiboutian",),
    "EG": ("Egyptian",),
    "IQ": ("Iraqi",),
    "JO": ("Jordanian",),
    "KW": ("Kuwaiti",),
    "LB": ("Lebanese",),
    "LY": ("Libyan",),
    "MR": ("Mauritanian",),
    "MA": ("Moroccan",),
    "OM": ("Omani",),
    "PS": ("Palestinian",),
    "QA": ("Qatari",),
    "SA": ("Saudi", "Saudi Arabian"),
    "SO": ("Somali",),
    "SD": ("Sudanese",),
    "SY": ("Syrian",),
    "TN": ("Tunisian",),
    "AE": ("Emirati",),
    "YE": ("Yemeni",),
    "US": ("American",),
    "GB": ("British",),
    "FR": ("French",),
    "RU": ("Russian",),
    "CN": ("Chinese",),
    "IL": ("Israeli",),
    "PK": ("Pakistani",),
    "AF": ("Afghan",),
    "TR": ("Turkish",),
    "IR": ("Iranian",),
    "TH": ("Thai",),
    "ES": ("Spanish",),
    "DE": ("German",),
    "KR": ("South Korean",),
    "KP": ("North Korean",),
    "GR": ("Greek",),
    "ET": ("Ethiopian",),
    "KE": ("Kenyan",),
    "GE": ("Georgian",),
    "NP": ("Nepalese", "Nepali"),
    "EE": ("Estonian",),
    "IT": ("Italian",),
    "PL": ("Polish",),
    "TL": ("Timorese",),
    "BE": ("Belgian",),
    "ML": ("Malian",),
    "LK": ("Sri Lankan",),
    "PH": ("Filipino",),
    "KG": ("Kyrgyz",),
    "CR": ("Costa Rican",),
    "RS": ("Serbian",),
    "DK": ("Danish",),
    "IN": ("Indian",),
    "JP": ("Japanese",),
    "BR": ("Brazilian",),
    "CA": ("Canadian",),
    "ER": ("Eritrean",),
    "TD": ("Chadian",),
    "NE": ("Nigerien",),
    "NG": ("Nigerian",),
    "SS": ("South Sudanese",),
    "UA": ("Ukrainian",),
    "CY": ("Cypriot",),
    "AU": ("Australian",),
    "NL": ("Dutch",),
    "SE": ("Swedish",),
    "NO": ("Norwegian",),
    "AT": ("Austrian",),
    "CH": ("Swiss",),
    "PT": ("Portuguese",),
    "IE": ("Irish",),
    "MX": ("Mexican",),
    "AR": ("Argentine", "Argentinian"),
    "ID": ("Indonesian",),
    "MY": ("Malaysian",),
    "BD": ("Bangladeshi",),
}

_SUFFIX_DROPS = ("يا", "ية", "ا")  # ليبيا → ليبي, سورية → سوري, فرنسا → فرنسي
_ARTICLE = "ال"


def nisba(name_ar: str) -> str | None:
    """The masculine nisba of a one-word country name (مصر → مصري), or None."""
    word = name_ar.strip()
    if " " in word or "-" in word or "(" in word:
        return None
    if word.startswith(_ARTICLE) and len(word) > len(_ARTICLE) + 2:
        word = word[len(_ARTICLE) :]
    if word.endswith("ي"):
        return word  # جيبوتي, مالي: the name is the adjective
    for ending in _SUFFIX_DROPS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)] + "ي"
    return word + "ي"


def inflections(masculine: str) -> tuple[str, ...]:
    """The masculine, the feminine and the sound plurals of a nisba: ليبي ليبية ليبيون ليبيين."""
    return (masculine, masculine + "ة", masculine + "ون", masculine + "ين")


def arabic_forms(code: str, name_ar: str) -> Iterator[str]:
    """Every Arabic demonym form of a country: derived from its name, then the curated ones."""
    base = nisba(name_ar)
    if base is not None:
        yield from (f for f in inflections(base) if f not in NOT_DEMONYMS)
    yield from CURATED_AR.get(code, ())


def english_forms(code: str) -> tuple[str, ...]:
    return CURATED_EN.get(code, ())


__all__ = [
    "CURATED_AR",
    "CURATED_EN",
    "NOT_DEMONYMS",
    "arabic_forms",
    "english_forms",
    "inflections",
    "nisba",
]
