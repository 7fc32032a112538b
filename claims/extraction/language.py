"""Which language a text is in, with py3langid (its model ships inside the package).

`detect_language(text)` returns "en", "ru" or "kk" (the languages with extraction rules), or
"other". The identifier is limited to a handful of languages the team meets, so a short
testimony is not taken for a language nobody sends; the limits live in one place,
`_CANDIDATES`.
"""

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from .engine import LANGUAGES_WITH_RULES

OTHER = "other"
# What a person may choose: the languages with rules, and "other" (read with English rules).
LANGUAGE_CHOICES = (("en", "English"), ("ru", "Russian"), ("kk", "Kazakh"), (OTHER, "Other"))
# Languages with rules, then neighbours a text might be in: each of these that wins is "other".
_CANDIDATES = ("en", "ru", "kk", "uk", "be", "ky", "uz", "tr", "de", "fr", "es", "zh", "ar")
# Long texts are judged on their beginning: the first 20,000 characters decide as well as the
# whole, and classification time grows with length.
_SAMPLE = 20_000


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(_CANDIDATES))
    return identifier


def detect_language(text: str) -> str:
    """Return the language code of `text` among "en", "ru", "kk", or "other".

    A text without letters (numbers, punctuation) is "other".
    """
    sample = text[:_SAMPLE]
    if not any(character.isalpha() for character in sample):
        return OTHER
    language, _ = _identifier().classify(sample)
    return language if language in LANGUAGES_WITH_RULES else OTHER
