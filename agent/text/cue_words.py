"""The words attribution is read with: fillers, openers, continuations, collectives, pronouns.

Arabic and English side by side, folded (`agent.text.normalize.fold`), so a lookup ignores
diacritics, hamza seats and case. These are the closed classes of the two languages that tell
where a speaker is written ("وقال في كلمة" drops him; "وقال الوزير" names him), not a lexicon of
the open vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agent.text.normalize import fold
from agent.text.segments import folded_words

WORDS = re.compile(r"\w+")
POSSESSIVE = re.compile(r"\s?['’]s\b")
QUOTED_AS = re.compile(r"\bas\s*$")
PLURAL_VERB = re.compile(
    r"[\u0621-\u064a]{2,}(?:وا|وه|وها|وهم|وهما|ونا)"
    r"|[يت][\u0621-\u064a]{2,}ون(?:ه|ها|هم)?"  # present: يهتفون، ويحملونها
)
OPENING_QUOTES = frozenset("\"“«„'‘`")
# "… ـ حسب ما ردده المتظاهرون ـ": Arabic reported content followed by its source
# (and in the tokenised spelling of some corpora: "ك ما افادت الشرطة"; "على ما افاد مراسل")
_SOURCE_WORDS = r"حسب|ب\s?حسب|وفق|وفقا|طبقا|استنادا|ك\s?ما"
SOURCE_AFTER = re.compile(
    rf"(?:(?:{_SOURCE_WORDS}|على حد)\s*(?:ل\s*|الى\s*|إلى\s*)?(?:ما)?|(?:على|علي)\s+ما)\s*$"
)
# A cue that is itself such a phrase: "... 10 الاف شخص حسب تقديرات السلطات"
SOURCE_CUE = re.compile(rf"(?:و\s?)?(?:{_SOURCE_WORDS}|نقلا|(?:على|علي)\s?حد)(?:ما)?(?!\w)")
# Arabic plural participles (مطالبين, مؤكدين): the statement is several people's
PLURAL_PARTICIPLE = re.compile(r"م[\u0621-\u064a]{3,}ين")
# English words between a name and its verb that leave the name the verb's subject
AUXILIARIES = frozenset(["has", "had", "have", "was", "is", "were", "also", "then", "later"])
# "X and Y", "X and the Y", "X وY", "X و Y"
COORDINATION = re.compile(r"\s*[,،]?\s*(?:(?:and|&)\s+(?:the\s+)?|و\s*)", re.IGNORECASE)


def _fold_set(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# Words that may stand between a cue and its subject or its content without naming anyone.
FILLERS = _fold_set(
    "أيضا ايضا كذلك بدوره بدورها بدورهم اليوم أمس امس الاثنين الثلاثاء الأربعاء الخميس الجمعة "
    "السبت الأحد مساء صباح مجددا بدوره من جانبه جانبها جانبهم جهته "
    "جهتها جهتهم ناحيته قد وقد بشدة مجددا صراحة also then later again today yesterday monday "
    "tuesday wednesday "
    "thursday friday saturday sunday a an statement interview told reporters earlier has had "
    "have was is لكن ولكن بينما فيما كما بل ثم حين أما اما كان كانت وكان وكانت و ف but while and"
)
# Words that open the content: the cue's clause has no subject of its own when only these follow.
OPENERS = _fold_set(
    "أن ان إن بأن بان لأن عن على إلى الى الي ب ل بضرورة إنه انه أنه إنها أنها انها إنهم انهم أنهم "
    "that to about on of for what how whether"
)
# Verbs and participles that continue the speaker of the sentence before.
CONTINUATIONS = _fold_set(
    "أضاف وأضاف أضافت وأضافت تابع وتابع تابعت وتابعت استطرد واستطرد مضى ومضى أردف وأردف ختم وختم "
    "مشيرا مؤكدا معتبرا مضيفا لافتا موضحا مشددا معربا داعيا منوها مبينا محذرا متابعا مطالبا "
    "مشيرة مؤكدة معتبرة مضيفة لافتة موضحة مشددة معربة داعية منوهة مبينة محذرة "
    "قائلا قائلة واصفا واصفة متهما متهمة منتقدا منتقدة مرحبا مرحبة مستنكرا مستنكرة رافضا رافضة "
    "نافيا نافية معلنا معلنة كاشفا كاشفة مبديا مبدية معبرا معبرة متسائلا متسائلة مذكرا مذكرة "
    "مطالبة متابعة مبرزا مشيدا مشيدة مستدركا ملمحا مرجحا متوقعا مقترحا مناشدا مختتما معلقا "
    "سائلا سائلة راجيا راجية متمنيا متمنية "
    "added continued adding noting saying stressing warning"
)
# The accusative participle that goes on with the sentence's subject (مستنكرا، مشيرة): a cue of
# one word of this shape is one, whatever its root.
CIRCUMSTANTIAL = re.compile(r"م[\u0621-\u064a]{3,6}[اه]")
# Plural and dual references to several participants, and plural participles.
COLLECTIVES = _fold_set(
    "الزعيمان الزعيمين الجانبان الجانبين الطرفان الطرفين الوزيران الوزيرين الرئيسان الرئيسين "
    "البلدان البلدين الوفدان الوفدين القائدان القائدين المسؤولان المسؤولين الزعماء الجانبين "
    "الرجلان الرجلين الدولتان الدولتين الحكومتان الحكومتين الحزبان الحزبين الحركتان الحركتين "
    "المبعوثان المبعوثين الموفدان الموفدين السفيران السفيرين الملكان الملكين الاميران الاميرين "
    "مؤكدين مشيرين معتبرين مضيفين لافتين موضحين مشددين معربين داعين مؤكدان مشيران مشددان "
    "الجميع الحاضرون الحضور "  # "و تقدم الجميع بالتهاني": all those just named
    "both two leaders sides pair they"
)
# The collectives that count people (the two leaders, ministers, envoys), never states or bodies.
PERSONAL_COLLECTIVES = _fold_set(
    "الزعيمان الزعيمين الوزيران الوزيرين الرئيسان الرئيسين القائدان القائدين المسؤولان "
    "المسؤولين الزعماء الرجلان الرجلين المبعوثان المبعوثين الموفدان الموفدين السفيران السفيرين "
    "الملكان الملكين الاميران الاميرين leaders"
)
# The dual collectives: they count exactly two ("وينفي كل من الرجلين": the pair named before).
DUAL_COLLECTIVES = _fold_set(
    "الزعيمان الزعيمين الجانبان الجانبين الطرفان الطرفين الوزيران الوزيرين الرئيسان الرئيسين "
    "البلدان البلدين الوفدان الوفدين القائدان القائدين المسؤولان الرجلان الرجلين الدولتان "
    "الدولتين الحكومتان الحكومتين الحزبان الحزبين الحركتان الحركتين المبعوثان المبعوثين "
    "الموفدان الموفدين السفيران السفيرين الملكان الملكين الاميران الاميرين مؤكدان مشيران مشددان "
    "both"
)
PRONOUNS = _fold_set("he she it his her هو هي")
# Pronoun suffixes as NewsFANE writes them apart: "نفي ها", "في ه".
SUFFIX_PRONOUNS = ("ه", "ها", "هم", "هما")
# The writer's own asides, which open a sentence of background ("والجدير بالذكر أن", "يذكر
# أن", "تجدر الإشارة"), and a page's link to itself under its headline ("رابط الخبر بصحيفة
# الوئام: ..."): no speaker's words go on there.
WRITER_ASIDE = re.compile(
    r"\s*(?:و\s?)?(?:ال?جدير\s+(?:بالذكر|ذكره)|يذكر\s|يشار\s|تجدر\s+الإشارة|تجدر\s+الاشارة|"
    r"من\s+المعروف|رابط\s+الخبر|it\s+is\s+worth)",
    re.IGNORECASE,
)
# Complementizers: "that" opening what was said ("قال إن", "أكد أن", "said that").
COMPLEMENTIZER_WORDS = ("أن", "إن", "ان", "بأن", "بان", "that")
# Where what was said begins after its cue: a complementizer, a colon, an opening quotation.
SAID_BEGINS = re.compile(rf"(?<!\w)(?:{'|'.join(COMPLEMENTIZER_WORDS)})(?!\w)|[:«\"“]")
# Documents that "say" what their author said (وأضاف البيان أن): the author speaks.
DOCUMENTS = _fold_set(
    "بيان البيان تقرير التقرير رسالة الرسالة وثيقة الوثيقة مذكرة المذكرة الإعلان تصريح التصريح "
    "الدراسة دراسة الخطاب النص statement report letter document memo"
)
# A verb's subject comes right after it in Arabic: a preposition there (or an adverbial ردا،
# تعليقا: "و قال ردا على ...") means it was dropped.
PREPOSITIONS = _fold_set(
    "في وفي خلال أثناء اثناء لدى عقب بعد قبل أمام امام عبر حول ل لل مع عند إثر اثر ردا تعليقا "
    "تعقيبا in at during "
    "after before on to with from"
)
# The particles a cue verb takes, which the subject may stand before (أعرب المنفي عن).
PARTICLES = _fold_set("عن على إلى الى الي في من مع on to out for about with")
ADVERBS = _fold_set("بشدة مجددا صراحة أيضا ايضا كذلك اليوم أمس امس ثم كما then also again")
OBJECT_VERBS = _fold_set("دعا حث طالب ناشد urged")
# Verbal nouns a statement is reported by, owned by a pronoun (قوله، نفيها، تأكيده).
VERBAL_NOUNS = _fold_set(
    "قول نفي تأكيد تاكيد إعلان اعلان رفض اتهام تحذير دعوة دعوت مطالبة مطالبت تصريح انتقاد "
    "ترحيب تنديد وصف إشارة اشارة اشارت اعتبار تشديد ادعاء ادعائ زعم"
)
# Verbs that relay another's words (نقلت الصحيفة عن مصادر ...): the source after عن speaks too.
RELAY_VERBS = _fold_set(
    "نقل نقلت نسب نسبت أورد أوردت روى روت ينقل تنقل ينسب تنسب يورد تورد يروي تروي"
)
# Common attribution verbs, whose dual (اكدا) and plural (اكدوا) forms speak for several.
VERBS = _fold_set(
    "قال أكد شدد أعرب أشار أوضح أعلن حث طالب رحب ندد أدان اعتبر رأى لفت نفى كشف ذكر أفاد صرح "
    "تابع أضاف وصف حذر اتفق عبر جدد أبدى قرر أبلغ أكدت وافق رفض اتهم انتقد هاجم استنكر شجب أيد "
    "عارض اقترح هدد توقع رجح استبعد تساءل علق اعترف أقر بين نبه ناشد أشاد ثمن زعم أصر تعهد"
)
# Speech verbs that take no object: with its subject written beside it, any occurrence starts a
# speaker's chain, listed as a statement or not ("و لكن الحكيم قال ما هو اروع من ذلك").
CHAIN_VERBS = _fold_set(
    "قال يقول قالت تقول أكد أكدت يؤكد تؤكد أضاف أضافت أوضح أوضحت صرح صرحت تحدث تحدثت يتحدث "
    "ذكر ذكرت رأى رأت يرى ترى أعلن أعلنت كتب كتبت"
)
DEMONSTRATIVES = _fold_set("ذلك هذا هذه تلك هؤلاء this that these those")
RELATIVES = _fold_set("الذي الذى التي اللذين اللتين الذين اللواتي who which that")
# English subjects that are pronouns for the speaker (the subject of "he said").
ENGLISH_PRONOUN_SUBJECTS = _fold_set("he she")


# Speech verbs whose first letter و is their root's, in the forms a statement is cued with.
_ROOT_WAW = _fold_set(
    "وجه وجهت وصف وصفت وعد وعدت وافق وافقت وقع وقعت وضع وضعت ودع ودعت وثق وثقت وصى وصت "
    "وجهوا وصفوا وعدوا وافقوا وقعوا"
)


def bare_verb(word: str) -> str:
    """A verb without the conjunction glued to it (ودعا → دعا); not a verb whose root begins
    with و ("وجهت", she directed, is no "و" + "جهت")."""
    if word in _ROOT_WAW:
        return word
    return word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else word


def definite_noun(words: Sequence[str], english: bool) -> bool:
    """An Arabic definite noun right after the verb ("وقال المتظاهرون") is surely its subject."""
    return not english and bool(words) and words[0].startswith("ال") and len(words[0]) > 3


def word_stem(word: str) -> str:
    """A folded word without ال, proclitics and the feminine or nisba ending, for descriptions."""
    for prefix in ("وال", "بال", "فال", "لل", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in ("يه", "ه", "ي"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word.removesuffix("s") if word.isascii() and len(word) > 3 else word


GENERIC_WORDS = frozenset(
    word_stem(w)
    for w in folded_words(
        "the of and for in on at to a an الفريق أول اللواء العميد العقيد ركن في من على عن إلى و "
        "مع ل ب"
    )
)


# Banners, chants and songs, the verbs that carry them, and the cues that give their words: a
# feminine singular verb, present or past (the banners' own agreement: تندد، شجبت), "كتب عليها",
# or a purpose infinitive (للمطالبة).
BANNERS = re.compile(
    r"[وف]?(?:ال)?(?:لافت|يافط|شعار|هتاف|ملصق|رايات|اعلام|اغان|اناشيد|نشيد)[\u0621-\u064a]*"
)
BANNER_CARRIERS = re.compile(
    r"[وف]?(?:(?:[يت])?(?:رفع|حمل|ردد|علق|لوح|اطلق|نشد|انشد)(?:وا|ون|ت|ن|ا)?"
    r"|(?:رافع|حامل|مردد|ملوح|منشد)(?:ين|ون|ات|ة)?)"
)
# A purpose infinitive: ل with the article on a verbal noun (للمطالبة، للتنديد، للاحتجاج).
PURPOSE_INFINITIVE = r"[وف]?لل[\u0621-\u064a]{3,}"
BANNER_CUES = re.compile(
    rf"(?:[وف]?(?:ت[\u0621-\u064a]{{2,}}(?<!ون)(?<!ان)|[\u0621-\u064a]{{2,}}ت|كتب)"
    rf"|{PURPOSE_INFINITIVE})(?:\s|$)"
)
# Verbs of protesting, gathering and marching: a purpose infinitive after one (احتشد الآلاف ...
# للمطالبة) is the aim of those who protest. Past and present, singular and plural.
PROTEST_VERBS = re.compile(
    r"[وف]?(?:[يت]?(?:تظاهر|تجمهر|تجمع|توجه|تدفق|خرج|نزل|زحف|سير|نظم)|سار|[اي]?(?:حتشد|عتصم|حتج))"
    r"(?:وا|ون|ت|ن|ا|ان)?"
)
# Prepositions whose object is no subject a later verb goes on from ("مع المتظاهرين").
GOVERNING_PREPOSITIONS = _fold_set("مع عن على الى إلى في لدى ضد حسب بحسب وفق وفقا بين")


RELATIVE_WORDS = "الذي|الذى|التي|التى|الذين|اللذين|اللتين"  # as a regex alternation

__all__ = [
    "ADVERBS",
    "BANNERS",
    "BANNER_CARRIERS",
    "BANNER_CUES",
    "CHAIN_VERBS",
    "CIRCUMSTANTIAL",
    "COLLECTIVES",
    "COMPLEMENTIZER_WORDS",
    "CONTINUATIONS",
    "COORDINATION",
    "DEMONSTRATIVES",
    "DOCUMENTS",
    "DUAL_COLLECTIVES",
    "ENGLISH_PRONOUN_SUBJECTS",
    "FILLERS",
    "GENERIC_WORDS",
    "GOVERNING_PREPOSITIONS",
    "OBJECT_VERBS",
    "OPENERS",
    "OPENING_QUOTES",
    "PARTICLES",
    "PERSONAL_COLLECTIVES",
    "PLURAL_VERB",
    "POSSESSIVE",
    "PREPOSITIONS",
    "PRONOUNS",
    "PROTEST_VERBS",
    "PURPOSE_INFINITIVE",
    "QUOTED_AS",
    "RELATIVES",
    "RELATIVE_WORDS",
    "RELAY_VERBS",
    "SAID_BEGINS",
    "SOURCE_AFTER",
    "SOURCE_CUE",
    "SUFFIX_PRONOUNS",
    "VERBAL_NOUNS",
    "VERBS",
    "WORDS",
    "WRITER_ASIDE",
    "bare_verb",
    "definite_noun",
    "word_stem",
]
