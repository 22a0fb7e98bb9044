"""Hand-written additions to CLDR and GeoNames, each for a reason the sources cannot cover.

CLDR gives one standard name per country ("المملكة العربية السعودية", "الأراضي الفلسطينية",
"United States"); news writes the short and the long forms (السعودية, فلسطين, أمريكا, "U.S.").
The GeoNames extract lacks Washington, D.C. (no Arabic-script name in that export), and neither
source has regions, seas or continents, which the model classes as places (شرق المتوسط, الشرق
الأوسط). These tables are small, curated by hand, and read by `scripts/build_gazetteer.py`.
"US" alone is left out on purpose: folded, it is the English pronoun.
"""

from __future__ import annotations

from typing import NamedTuple

# Further names of countries, by ISO alpha-2 code (CLDR's own names are always kept).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": (
        "أمريكا",
        "أميركا",
        "الولايات المتحدة الأمريكية",
        "الولايات المتحدة الأميركية",
        "United States of America",
        "USA",
        "U.S.",
        "U.S.A.",
        "America",
    ),
    "GB": ("بريطانيا", "بريطانيا العظمى", "Britain", "Great Britain", "UK", "U.K."),
    "SA": ("السعودية", "Saudi"),
    "AE": ("الإمارات", "دولة الإمارات", "Emirates", "UAE", "U.A.E."),
    "PS": ("فلسطين", "دولة فلسطين", "Palestine", "State of Palestine"),
    "CN": ("الصين الشعبية", "جمهورية الصين الشعبية", "People's Republic of China"),
    "EG": ("جمهورية مصر العربية",),
    "SY": ("سورية", "الجمهورية العربية السورية"),
    "OM": ("سلطنة عمان",),
    "KW": ("دولة الكويت",),
    "QA": ("دولة قطر",),
    "BH": ("مملكة البحرين",),
    "MA": ("المملكة المغربية",),
    "JO": ("المملكة الأردنية الهاشمية",),
    "DZ": ("الجمهورية الجزائرية",),
    "TN": ("الجمهورية التونسية",),
    "LY": ("دولة ليبيا",),
    "IQ": ("جمهورية العراق",),
    "YE": ("الجمهورية اليمنية",),
    "MR": ("الجمهورية الإسلامية الموريتانية",),
    "CD": ("الكونغو الديمقراطية", "جمهورية الكونغو الديمقراطية", "DR Congo", "DRC"),
    "CZ": ("Czech Republic", "جمهورية التشيك"),
    "CI": ("Ivory Coast", "كوت ديفوار"),
    "TR": ("Turkey",),
    "MM": ("Burma", "بورما", "Myanmar", "ميانمار"),
    "HK": ("Hong Kong", "هونغ كونغ", "هونج كونج"),
    "NL": ("Holland", "هولندة"),
    "TH": ("تايلند",),
    "DK": ("الدانمارك",),
    "RU": ("روسيا الاتحادية", "الاتحاد الروسي", "Russian Federation"),
    "TM": ("تركمنستان",),
    "MK": ("مقدونيا", "Macedonia"),
    "BA": ("البوسنة", "Bosnia"),
    "KR": ("Republic of Korea", "كوريا"),  # كوريا alone: South or North, left ambiguous
    "KP": ("كوريا",),
    "IR": ("الجمهورية الإسلامية الإيرانية", "جمهورية إيران الإسلامية", "Islamic Republic of Iran"),
}


# English names the GeoNames extract lacks (it keeps one name and its ASCII form), by geonameid.
CITY_ALIASES: dict[int, tuple[str, ...]] = {
    104515: ("Mecca", "Makkah al-Mukarramah"),
    109223: ("Medina", "Al-Madinah"),
    5128581: ("New York",),
}


class CuratedPlace(NamedTuple):
    """A place neither source has: a region, sea or continent, or a missing capital."""

    feature: str
    geonames_id: int | None
    country_code: str | None
    name_en: str
    names: tuple[str, ...]  # the first Arabic one is the canonical Arabic name
    latitude: float | None = None
    longitude: float | None = None


CURATED_PLACES: tuple[CuratedPlace, ...] = (
    # Missing from the GeoNames extract; id and coordinates are GeoNames' own (4140963).
    CuratedPlace(
        "capital",
        4140963,
        "US",
        "Washington, D.C.",
        ("واشنطن", "واشنطن العاصمة", "Washington", "Washington, D.C."),
        38.89511,
        -77.03637,
    ),
    # Regions inside one country.
    CuratedPlace("region", None, "PS", "Gaza Strip", ("قطاع غزة", "Gaza Strip")),
    CuratedPlace("region", None, "PS", "West Bank", ("الضفة الغربية", "West Bank")),
    CuratedPlace("region", None, "SD", "Darfur", ("دارفور", "إقليم دارفور", "Darfur")),
    CuratedPlace("region", None, "EG", "Sinai", ("سيناء", "شبه جزيرة سيناء", "Sinai")),
    CuratedPlace(
        "region",
        None,
        "IQ",
        "Kurdistan Region",
        ("إقليم كردستان", "كردستان العراق", "Kurdistan Region"),
    ),
    CuratedPlace("region", None, "LY", "Cyrenaica", ("برقة", "Cyrenaica")),
    CuratedPlace("region", None, "LY", "Fezzan", ("فزان", "Fezzan")),
    CuratedPlace("region", None, "GB", "England", ("إنجلترا", "إنكلترا", "England")),
    CuratedPlace("region", None, "GB", "Scotland", ("اسكتلندا", "إسكتلندا", "Scotland")),
    CuratedPlace("region", None, "GB", "Wales", ("ويلز", "Wales")),
    CuratedPlace("region", None, "RU", "Chechnya", ("الشيشان", "Chechnya")),
    CuratedPlace("region", None, "TR", "Anatolia", ("الأناضول", "Anatolia")),
    # Regions across countries, seas and continents, and former states: no country code.
    CuratedPlace(
        "region",
        None,
        None,
        "Soviet Union",
        ("الاتحاد السوفيتي", "الاتحاد السوفييتي", "الاتحاد السوفياتي", "Soviet Union"),
    ),
    CuratedPlace("region", None, None, "Caucasus", ("القوقاز", "Caucasus")),
    CuratedPlace("region", None, None, "Far East", ("الشرق الأقصى", "Far East")),
    CuratedPlace("region", None, None, "Eastern Europe", ("أوروبا الشرقية", "Eastern Europe")),
    CuratedPlace("region", None, None, "Middle East", ("الشرق الأوسط", "Middle East")),
    CuratedPlace(
        "region",
        None,
        None,
        "North Africa",
        ("شمال أفريقيا", "شمال إفريقيا", "الشمال الأفريقي", "North Africa"),
    ),
    CuratedPlace(
        "region",
        None,
        None,
        "Eastern Mediterranean",
        ("شرق المتوسط", "شرق البحر المتوسط", "شرق البحر الأبيض المتوسط", "Eastern Mediterranean"),
    ),
    CuratedPlace(
        "region",
        None,
        None,
        "Mediterranean Sea",
        ("البحر المتوسط", "البحر الأبيض المتوسط", "المتوسط", "Mediterranean"),
    ),
    CuratedPlace("region", None, None, "Red Sea", ("البحر الأحمر", "Red Sea")),
    CuratedPlace(
        "region",
        None,
        None,
        "Persian Gulf",
        (
            "الخليج",
            "الخليج العربي",
            "الخليج الفارسي",
            "منطقة الخليج",
            "Gulf",
            "Persian Gulf",
            "Arabian Gulf",
        ),
    ),
    CuratedPlace(
        "region",
        None,
        None,
        "Horn of Africa",
        ("القرن الأفريقي", "القرن الإفريقي", "Horn of Africa"),
    ),
    CuratedPlace("region", None, None, "Levant", ("بلاد الشام", "الشام", "Levant")),
    CuratedPlace(
        "region",
        None,
        None,
        "Arabian Peninsula",
        ("الجزيرة العربية", "شبه الجزيرة العربية", "Arabian Peninsula"),
    ),
    CuratedPlace("region", None, None, "Sahel", ("منطقة الساحل", "الساحل الأفريقي", "Sahel")),
    CuratedPlace("region", None, None, "Balkans", ("البلقان", "Balkans")),
    CuratedPlace("region", None, None, "Central Asia", ("آسيا الوسطى", "Central Asia")),
    CuratedPlace(
        "region",
        None,
        None,
        "Southeast Asia",
        ("جنوب شرق آسيا", "جنوب شرقي آسيا", "Southeast Asia", "South East Asia"),
    ),
    CuratedPlace(
        "region",
        None,
        None,
        "Latin America",
        ("أمريكا اللاتينية", "أميركا اللاتينية", "Latin America"),
    ),
    CuratedPlace("region", None, None, "Arab world", ("العالم العربي", "Arab world")),
    CuratedPlace("region", None, None, "Western Europe", ("أوروبا الغربية", "Western Europe")),
    CuratedPlace(
        "region", None, None, "Africa", ("أفريقيا", "إفريقيا", "القارة الأفريقية", "Africa")
    ),
    CuratedPlace("region", None, None, "Europe", ("أوروبا", "أوربا", "Europe")),
    CuratedPlace("region", None, None, "Asia", ("آسيا", "Asia")),
    CuratedPlace(
        "region",
        None,
        None,
        "North America",
        ("أمريكا الشمالية", "أميركا الشمالية", "North America"),
    ),
    CuratedPlace(
        "region",
        None,
        None,
        "South America",
        ("أمريكا الجنوبية", "أميركا الجنوبية", "South America"),
    ),
    CuratedPlace("region", None, None, "Indian Ocean", ("المحيط الهندي", "Indian Ocean")),
    CuratedPlace("region", None, None, "Atlantic Ocean", ("المحيط الأطلسي", "الأطلسي", "Atlantic")),
    CuratedPlace(
        "region", None, None, "Pacific Ocean", ("المحيط الهادئ", "المحيط الهادي", "Pacific")
    ),
)

# CLDR regions that are not countries (or not ISO 3166-1 codes): never linked as countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "AC", "CP", "DG", "EA", "IC", "TA"})

__all__ = ["CITY_ALIASES", "COUNTRY_ALIASES", "CURATED_PLACES", "NOT_COUNTRIES", "CuratedPlace"]
